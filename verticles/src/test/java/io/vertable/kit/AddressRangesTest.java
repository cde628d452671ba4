package io.vertable.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

    @Test
    void exactAddressesAndCidrRangesOfBothFamiliesMatch() {
        AddressRanges ranges = AddressRanges.of(List.of("192.0.2.7", "10.0.0.0/8", "fd00::/8", "2001:db8::1"));
        assertThat(ranges.contains("192.0.2.7")).isTrue();
        assertThat(ranges.contains("192.0.2.8")).isFalse();
        assertThat(ranges.contains("10.255.3.4")).isTrue();
        assertThat(ranges.contains("11.0.0.1")).isFalse();
        assertThat(ranges.contains("fd12:3456::9")).isTrue();
        assertThat(ranges.contains("fe80::1")).isFalse();
        assertThat(ranges.contains("2001:db8:0:0:0:0:0:1"))
                .as("another spelling")
                .isTrue();
        assertThat(ranges.contains("[2001:db8::1]"))
                .as("bracketed, as in a URL")
                .isTrue();
        assertThat(ranges.contains("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
    }

    @Test
    void prefixBoundariesAreExact() {
        AddressRanges ranges = AddressRanges.of(List.of("172.16.0.0/12", "198.51.100.128/25"));
        assertThat(ranges.contains("172.31.255.255")).isTrue();
        assertThat(ranges.contains("172.32.0.0")).isFalse();
        assertThat(ranges.contains("172.15.255.255")).isFalse();
        assertThat(ranges.contains("198.51.100.128")).isTrue();
        assertThat(ranges.contains("198.51.100.127")).isFalse();
        assertThat(AddressRanges.of(List.of("0.0.0.0/0")).contains("203.0.113.9"))
                .isTrue();
        assertThat(AddressRanges.of(List.of("0.0.0.0/0")).contains("::1"))
                .as("a range of one family never holds the other")
                .isFalse();
    }

    @Test
    void namesAndGarbageAreNeitherAcceptedNorLookedUp() {
        AddressRanges ranges = AddressRanges.of(List.of("0.0.0.0/0", "::/0"));
        for (String notAnAddress : List.of(
                "localhost",
                "example.com",
                "unknown",
                "",
                "1.2.3",
                "999.1.1.1",
                "1.2.3.4.5",
                "::g",
                "10.0.0.1%eth0",
                ".:",
                "..:1",
                ".::ffff:10.0.0.1",
                "x".repeat(100))) {
            assertThat(ranges.contains(notAnAddress)).as(notAnAddress).isFalse();
        }
    }

    @Test
    void aBadEntryIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> AddressRanges.of(List.of("proxy.internal")))
                .hasMessageContaining("'proxy.internal' is not an IP address or a CIDR range");
        assertThatThrownBy(() -> AddressRanges.of(List.of("10.0.0.0/33")))
                .hasMessageContaining("prefix length must be a whole number from 0 to 32");
        assertThatThrownBy(() -> AddressRanges.of(List.of("fd00::/129"))).hasMessageContaining("from 0 to 128");
        assertThatThrownBy(() -> AddressRanges.of(List.of("10.0.0.0/"))).hasMessageContaining("prefix length");
    }
}
