package io.vertable.kit;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A list of IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.0.2.7}), such as the
 * reverse proxies a node believes. Only IP literals are read: a host name is refused, never looked up, so reading a
 * configuration or an {@code X-Forwarded-For} hop never waits on DNS. An IPv4 address written as IPv4-mapped IPv6
 * ({@code ::ffff:10.0.0.1}) is the same address.
 */
public final class AddressRanges {

    /** Digits, dots, hex and colons: the characters of an IP literal; anything else is not tried. */
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int bits = network.length * 8;
            BigInteger mask = prefix == 0
                    ? BigInteger.ZERO
                    : BigInteger.ONE
                            .shiftLeft(bits)
                            .subtract(BigInteger.ONE)
                            .shiftRight(bits - prefix)
                            .shiftLeft(bits - prefix);
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> ranges;

    private AddressRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @param entries addresses or {@code address/prefix} ranges
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static AddressRanges of(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) ranges.add(parse(entry));
        return new AddressRanges(List.copyOf(ranges));
    }

    /** Whether {@code address} (an IP literal, as a socket or a forwarded header gives it) is in one of the ranges. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent() && ranges.stream().anyMatch(range -> range.contains(bytes.get()));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    private static Range parse(String entry) {
        String text = entry.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] network = literal(address)
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + entry + "' is not an IP address or a CIDR range such as 10.0.0.0/8"));
        int bits = network.length * 8;
        if (slash < 0) return new Range(network, bits);
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException(
                    "'" + entry + "': the prefix length must be a whole number from 0 to " + bits);
        }
        return new Range(network, Integer.parseInt(prefix));
    }

    private static Optional<byte[]> literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.isEmpty() || bare.length() > 45 || !LITERAL.matcher(bare).matches()) return Optional.empty();
        if (!bare.contains(":") && !dottedQuad(bare)) return Optional.empty();
        // InetAddress reads text as a literal only when it starts with a hex digit or a colon; ".:" would be looked up.
        if (Character.digit(bare.charAt(0), 16) < 0 && bare.charAt(0) != ':') return Optional.empty();
        try {
            // A literal is parsed without a lookup; Inet4Address for mapped IPv6 forms.
            return Optional.of(InetAddress.getByName(bare).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Four numbers of 0-255: anything else without a colon is not an address (and would be looked up). */
    private static boolean dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) return false;
        }
        return true;
    }
}
