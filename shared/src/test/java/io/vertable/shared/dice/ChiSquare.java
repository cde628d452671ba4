package io.vertable.shared.dice;

/**
 * Pearson's chi-square goodness-of-fit: the statistic and its p-value, P(X ≥ x) for X ~ χ²(df), computed as the
 * regularized upper incomplete gamma function Q(df/2, x/2) (series below a+1, Lentz's continued fraction above).
 */
final class ChiSquare {

    private ChiSquare() {}

    static double statistic(long[] observed, double[] expected) {
        double sum = 0;
        for (int i = 0; i < observed.length; i++) {
            double d = observed[i] - expected[i];
            sum += d * d / expected[i];
        }
        return sum;
    }

    static double uniformStatistic(long[] observed) {
        long n = 0;
        for (long o : observed) n += o;
        double[] expected = new double[observed.length];
        java.util.Arrays.fill(expected, (double) n / observed.length);
        return statistic(observed, expected);
    }

    /** The probability that a fair source gives a statistic at least this large. */
    static double pValue(double statistic, int degreesOfFreedom) {
        return upperGamma(degreesOfFreedom / 2.0, statistic / 2.0);
    }

    static double upperGamma(double a, double x) {
        if (x <= 0) return 1;
        if (x < a + 1) return 1 - lowerSeries(a, x);
        return upperFraction(a, x);
    }

    private static double lowerSeries(double a, double x) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < 10_000; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    private static double upperFraction(double a, double x) {
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** ln Γ(x) for x > 0, Lanczos approximation (g = 7, 9 terms), relative error around 1e-15. */
    static double logGamma(double x) {
        double[] c = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) sum += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
