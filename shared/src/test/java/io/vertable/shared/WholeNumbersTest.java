package io.vertable.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WholeNumbersTest {

    /** A number as the JSON parser hands it over, whatever type it picks. */
    private static Object parsed(String number) {
        return new JsonObject("{\"n\":" + number + "}").getValue("n");
    }

    @Test
    void hugeNumbersDoNotWrapIntoRange() {
        // 2^64 + 5: its low 64 bits are 5.
        assertThat(parsed("18446744073709551621")).isInstanceOf(BigInteger.class);
        assertThat(((Number) parsed("18446744073709551621")).longValue()).isEqualTo(5);
        assertThat(WholeNumbers.exact(parsed("18446744073709551621"), -100_000, 100_000))
                .isEmpty();
        assertThat(WholeNumbers.exact(parsed("-18446744073709551611"), -100_000, 100_000))
                .isEmpty();
        assertThat(WholeNumbers.exact(parsed("4294967301"), 0, Integer.MAX_VALUE))
                .as("2^32 + 5 as an int would be 5")
                .isEmpty();
        assertThat(WholeNumbers.exact(new BigDecimal("1E+400"), 0, 10)).isEmpty();
        assertThat(WholeNumbers.exact(parsed("1e400"), 0, 10)).isEmpty();
    }

    @Test
    void wholeNumbersInRangePassWhateverTheirType() {
        assertThat(WholeNumbers.exact(parsed("5"), 0, 10)).isEqualTo(OptionalLong.of(5));
        assertThat(WholeNumbers.exact(parsed("5.0"), 0, 10)).isEqualTo(OptionalLong.of(5));
        assertThat(WholeNumbers.exact(parsed("-0.0"), 0, 10)).isEqualTo(OptionalLong.of(0));
        assertThat(WholeNumbers.exact(parsed("9223372036854775807"), 0, Long.MAX_VALUE))
                .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
        assertThat(WholeNumbers.exact(new BigDecimal("7.000"), 0, 10)).isEqualTo(OptionalLong.of(7));
        assertThat(WholeNumbers.exact(BigInteger.TEN, 0, 10)).isEqualTo(OptionalLong.of(10));
    }

    @Test
    void fractionsNonNumbersAndNonFiniteValuesFail() {
        assertThat(WholeNumbers.exact(parsed("2.5"), 0, 10)).isEmpty();
        assertThat(WholeNumbers.exact(new BigDecimal("2.0000000000000000000001"), 0, 10))
                .isEmpty();
        assertThat(WholeNumbers.exact(Double.NaN, 0, 10)).isEmpty();
        assertThat(WholeNumbers.exact(Double.POSITIVE_INFINITY, 0, Long.MAX_VALUE))
                .isEmpty();
        assertThat(WholeNumbers.exact("5", 0, 10)).isEmpty();
        assertThat(WholeNumbers.exact(null, 0, 10)).isEmpty();
        assertThat(WholeNumbers.exact(11, 0, 10)).isEmpty();
        assertThat(WholeNumbers.within(-1, 0, 10)).isFalse();
    }
}
