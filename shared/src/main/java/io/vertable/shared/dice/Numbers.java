package io.vertable.shared.dice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalDouble;

/** Number reading and writing shared by the engine, the text breakdown and the JSON form. */
final class Numbers {

    /** Totals and decimals are shown to this many places; the exact double stays in {@link Roll#total()}. */
    static final int DECIMALS = 4;

    private static final double EXACT_LONG = 9_007_199_254_740_992d; // 2^53

    private Numbers() {}

    /** A plain decimal such as {@code 3}, {@code -1.5}, {@code +2}: no exponents, hex, NaN or Java's "1d" suffixes. */
    static OptionalDouble parseStrict(String s) {
        int i = 0, n = s.length();
        if (n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) i++;
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0 || i != n || n > 40) return OptionalDouble.empty();
        double d = Double.parseDouble(s);
        return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value rounded to {@link #DECIMALS} places. */
    static double rounded(double value) {
        if (Math.abs(value) >= EXACT_LONG || value == Math.rint(value)) return value;
        return BigDecimal.valueOf(value)
                .setScale(DECIMALS, RoundingMode.HALF_UP)
                .doubleValue();
    }

    /** The JSON form of a number: a Long when (after rounding) it is whole and exact, else the rounded double. */
    static Number json(double value) {
        double r = rounded(value);
        if (r == Math.rint(r) && Math.abs(r) < EXACT_LONG) return (long) r;
        return r;
    }

    /** The text form: {@code 13}, {@code -2.5}, {@code 0.3333}; never an exponent for ordinary sizes. */
    static String text(double value) {
        double r = rounded(value);
        if (r == Math.rint(r) && Math.abs(r) < EXACT_LONG) return Long.toString((long) r);
        if (Math.abs(r) >= EXACT_LONG) return BigDecimal.valueOf(r).toPlainString();
        return BigDecimal.valueOf(r).stripTrailingZeros().toPlainString();
    }
}
