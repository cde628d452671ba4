package io.vertable.shared;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * Whole numbers from JSON, range-checked on their exact value before anything narrows them. The parser hands over
 * huge numbers as BigInteger; {@code longValue()} or {@code intValue()} on one keeps only its low bits, so
 * 18446744073709551621 would pass a range check as 5.
 */
public final class WholeNumbers {

    private WholeNumbers() {}

    /**
     * The value when it is a whole number from {@code min} to {@code max}, compared exactly; empty for fractions, NaN,
     * infinities, anything out of range and anything that is not a number.
     */
    public static OptionalLong exact(Object value, long min, long max) {
        if (!(value instanceof Number number)) return OptionalLong.empty();
        BigDecimal exact = exactValue(number);
        if (exact == null
                || exact.compareTo(BigDecimal.valueOf(min)) < 0
                || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
            return OptionalLong.empty();
        }
        if (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0) return OptionalLong.empty();
        return OptionalLong.of(exact.longValueExact());
    }

    /** True when the value is a whole number from {@code min} to {@code max}, compared exactly. */
    public static boolean within(Object value, long min, long max) {
        return exact(value, min, max).isPresent();
    }

    private static BigDecimal exactValue(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(number.longValue());
        }
        if (number instanceof BigInteger big) return new BigDecimal(big);
        if (number instanceof BigDecimal decimal) return decimal;
        double d = number.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(d) : null;
    }
}
