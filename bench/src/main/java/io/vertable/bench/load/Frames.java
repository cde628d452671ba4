package io.vertable.bench.load;

/**
 * The wire formats the generator speaks, kept free of I/O so they can be tested: Engine.IO v4 / Socket.IO v4 packets,
 * the plain-WebSocket move, the SockJS bridge's frames, and a field scanner that reads a number or a string out of a
 * JSON text without building a tree (the generator reads hundreds of thousands of deliveries a second on one core).
 */
public final class Frames {

    private Frames() {}

    // ---- Engine.IO v4 / Socket.IO v4 ----

    /** Engine.IO packet types (the first character of a WebSocket text frame). */
    public static final char EIO_OPEN = '0';

    public static final char EIO_CLOSE = '1';
    public static final char EIO_PING = '2';
    public static final char EIO_PONG = '3';
    public static final char EIO_MESSAGE = '4';

    /** Socket.IO packet types (the character after the Engine.IO message type). */
    public static final char SIO_CONNECT = '0';

    public static final char SIO_DISCONNECT = '1';
    public static final char SIO_EVENT = '2';
    public static final char SIO_CONNECT_ERROR = '4';

    /** What an incoming Engine.IO frame is, as far as the generator cares. */
    public enum EioKind {
        OPEN,
        PING,
        CONNECTED,
        CONNECT_ERROR,
        EVENT,
        CLOSE,
        OTHER
    }

    public static EioKind classify(String frame) {
        if (frame.isEmpty()) return EioKind.OTHER;
        char type = frame.charAt(0);
        if (type == EIO_OPEN) return EioKind.OPEN;
        if (type == EIO_PING) return EioKind.PING;
        if (type == EIO_CLOSE) return EioKind.CLOSE;
        if (type != EIO_MESSAGE || frame.length() < 2) return EioKind.OTHER;
        return switch (frame.charAt(1)) {
            case SIO_CONNECT -> EioKind.CONNECTED;
            case SIO_CONNECT_ERROR -> EioKind.CONNECT_ERROR;
            case SIO_EVENT -> EioKind.EVENT;
            case SIO_DISCONNECT -> EioKind.CLOSE;
            default -> EioKind.OTHER;
        };
    }

    /** The Socket.IO connect packet for the default namespace. */
    public static String sioConnect() {
        return "" + EIO_MESSAGE + SIO_CONNECT;
    }

    public static String eioPong() {
        return String.valueOf(EIO_PONG);
    }

    /** {@code 42["event",<json>]}: an event on the default namespace; {@code json} is already encoded. */
    public static String sioEvent(String event, String json) {
        return "" + EIO_MESSAGE + SIO_EVENT + "[\"" + event + "\"," + json + "]";
    }

    /** The event name of a {@code 42[...]} frame, or null. */
    public static String sioEventName(String frame) {
        int start = frame.indexOf("[\"");
        if (start < 0) return null;
        int end = frame.indexOf('"', start + 2);
        return end < 0 ? null : frame.substring(start + 2, end);
    }

    // ---- the move every system relays ----

    /**
     * The move of peers B and C: room, sender, sequence, phase, intended send time in ms since the phase's epoch (µs
     * precision), and padding to a realistic size.
     */
    public static String move(String room, int sender, int seq, int phase, double timeMs, String pad) {
        StringBuilder out = new StringBuilder(96 + pad.length());
        out.append("{\"r\":\"")
                .append(room)
                .append("\",\"s\":")
                .append(sender)
                .append(",\"q\":")
                .append(seq)
                .append(",\"p\":")
                .append(phase)
                .append(",\"t\":")
                .append(timeMs);
        if (!pad.isEmpty()) out.append(",\"pad\":\"").append(pad).append('"');
        return out.append('}').toString();
    }

    /** Rounds a time in ms to µs, so it survives a trip through any JSON encoder unchanged. */
    public static double roundMicros(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    // ---- the SockJS bridge ----

    /** A bridge {@code send} frame; {@code bodyJson} already encoded; {@code replyAddress} may be null. */
    public static String bridgeSend(String address, String bodyJson, String replyAddress) {
        StringBuilder out = new StringBuilder(64 + bodyJson.length());
        out.append("{\"type\":\"send\",\"address\":\"")
                .append(address)
                .append("\",\"body\":")
                .append(bodyJson);
        if (replyAddress != null)
            out.append(",\"replyAddress\":\"").append(replyAddress).append('"');
        return out.append('}').toString();
    }

    public static String bridgeRegister(String address) {
        return "{\"type\":\"register\",\"address\":\"" + address + "\"}";
    }

    public static String bridgePing() {
        return "{\"type\":\"ping\"}";
    }

    // ---- scanning ----

    /** Index just after {@code "key":} in {@code text} from {@code from}, or -1. */
    static int valueStart(String text, String key, int from) {
        String needle = "\"" + key + "\":";
        int at = text.indexOf(needle, from);
        return at < 0 ? -1 : at + needle.length();
    }

    /** The number after {@code "key":}, or NaN when missing or not a number. */
    public static double number(String text, String key) {
        return number(text, key, 0);
    }

    public static double number(String text, String key, int from) {
        int start = valueStart(text, key, from);
        if (start < 0) return Double.NaN;
        int end = start;
        while (end < text.length()) {
            char c = text.charAt(end);
            if ((c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+') end++;
            else break;
        }
        if (end == start) return Double.NaN;
        try {
            return Double.parseDouble(text.substring(start, end));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The string after {@code "key":"}, without escapes (ids and addresses have none), or null. */
    public static String string(String text, String key) {
        return string(text, key, 0);
    }

    public static String string(String text, String key, int from) {
        int start = valueStart(text, key, from);
        if (start < 0 || start >= text.length() || text.charAt(start) != '"') return null;
        int end = text.indexOf('"', start + 1);
        return end < 0 ? null : text.substring(start + 1, end);
    }
}
