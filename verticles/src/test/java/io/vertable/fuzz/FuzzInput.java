package io.vertable.fuzz;

import io.vertable.shared.room.RoomCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated input for the fuzz test, written as JSON text by hand so it can carry what a JSON library would not
 * produce: lone surrogates (as escapes), every control character, nesting near the parser's limit, huge numbers. Every
 * choice comes from one seeded {@link Random}, so a run reproduces.
 */
final class FuzzInput {

    static final String[] ADDRESSES = {
        "vtt.in.map",
        "vtt.in.map",
        "vtt.in.map",
        "vtt.in.room",
        "vtt.in.chat",
        "vtt.in.chat",
        "vtt.in.dice",
        "vtt.in.live",
        "vtt.in.nothing",
        "vtt.room.x",
        "vtt.internal.persist.rooms"
    };

    private static final String[] NUMBERS = {
        "0",
        "-0",
        "1",
        "-1",
        "5",
        "0.5",
        "-0.0",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551621",
        "-18446744073709551621",
        "1e400",
        "-1e400",
        "1e-400",
        "1.5e300",
        "123456789012345678901234567890.5",
        "3.141592653589793",
        "100000",
        "100001",
        "-100001",
        "1E2",
        "4294967301"
    };

    private static final String[] WORDS = {
        "NaN",
        "Infinity",
        "-Infinity",
        "null",
        "true",
        "1d20+5",
        "999999d999999",
        "4d6kh3",
        "((((((1",
        "/r 2d8",
        "/w Alice hi",
        "/gmroll 1d100",
        "@{str}",
        "[[1d20]]",
        "1d20 / 0",
        "hex",
        "square",
        "none",
        "gm",
        "tokens",
        "map",
        "line",
        "text",
        "rect",
        "polygon",
        "roll20",
        "foundry",
        "#a0b1c2",
        "#zzzzzz",
        "PLAYER",
        "GM",
        "OBSERVER"
    };

    private static final List<String> FIELDS = List.of(
            "room",
            "op",
            "cid",
            "tokenId",
            "sceneId",
            "noteId",
            "drawingId",
            "entryId",
            "x",
            "y",
            "w",
            "h",
            "hp",
            "maxHp",
            "name",
            "title",
            "body",
            "text",
            "image",
            "width",
            "height",
            "grid",
            "size",
            "rotation",
            "layer",
            "owners",
            "conditions",
            "hidden",
            "locked",
            "color",
            "kind",
            "points",
            "shape",
            "value",
            "rounds",
            "dialect",
            "enabled",
            "covered",
            "gmOnly",
            "since",
            "limit",
            "before",
            "q",
            "mode",
            "expression",
            "flavor",
            "attributes",
            "ownerId",
            "id",
            "character",
            "role",
            "maxUses",
            "expiresInMinutes",
            "format",
            "room",
            "events",
            "assets",
            "displayName",
            "instances",
            "messageId",
            "to");

    private final Random random;
    private final List<String> ops = new ArrayList<>(RoomCommands.ops());
    private final List<String> ids;
    private final String roomId;

    FuzzInput(long seed, String roomId, List<String> ids) {
        this.random = new Random(seed);
        this.roomId = roomId;
        this.ids = ids;
        java.util.Collections.sort(ops);
        ops.addAll(List.of(
                "join",
                "sync",
                "send",
                "edit",
                "delete",
                "history",
                "search",
                "roll",
                "character.create",
                "character.update",
                "character.get",
                "character.list",
                "drag",
                "ping",
                "cursor",
                "rotateSeed"));
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A bridge send frame with a reply address, to an inbound address mostly, with a generated body. */
    String frame(String replyAddress) {
        StringBuilder out = new StringBuilder("{\"type\":\"send\",\"address\":\"")
                .append(ADDRESSES[random.nextInt(ADDRESSES.length)])
                .append("\",\"replyAddress\":\"")
                .append(replyAddress)
                .append("\",");
        if (random.nextInt(20) == 0) out.append("\"headers\":").append(value(3)).append(',');
        return out.append("\"body\":").append(body()).append('}').toString();
    }

    /** A request or command body: mostly an object shaped like a real one, sometimes anything at all. */
    String body() {
        int shape = random.nextInt(100);
        if (shape < 5) return value(4);
        if (shape < 7) return "[" + value(2) + "]";
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        if (random.nextInt(10) != 0) {
            out.append("\"room\":\"")
                    .append(random.nextInt(10) == 0 ? "elsewhere" : roomId)
                    .append('"');
            first = false;
        }
        if (random.nextInt(8) != 0) {
            if (!first) out.append(',');
            out.append("\"op\":\"").append(ops.get(random.nextInt(ops.size()))).append('"');
            first = false;
        }
        int fields = random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            if (!first) out.append(',');
            first = false;
            String field = random.nextInt(8) == 0 ? string(12) : FIELDS.get(random.nextInt(FIELDS.size()));
            out.append(quoted(field)).append(':').append(fieldValue(field));
        }
        return out.append('}').toString();
    }

    private String fieldValue(String field) {
        int pick = random.nextInt(100);
        if (pick < 4) return deep(33 + random.nextInt(950));
        if (pick < 8) return deep(1 + random.nextInt(30));
        if (pick < 10) return quoted("x".repeat(1 + random.nextInt(70_000)));
        if (field.endsWith("Id") && pick < 60 && !ids.isEmpty()) return quoted(ids.get(random.nextInt(ids.size())));
        if (field.equals("points") && pick < 50) return points();
        return value(random.nextInt(4));
    }

    private String points() {
        StringBuilder out = new StringBuilder("[");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) out.append(',');
            out.append('[').append(number()).append(',').append(number()).append(']');
        }
        return out.append(']').toString();
    }

    /** Any JSON value, nesting at most {@code depth} more levels. */
    String value(int depth) {
        int kind = random.nextInt(depth == 0 ? 5 : 7);
        return switch (kind) {
            case 0 -> number();
            case 1, 2 -> random.nextBoolean() ? quoted(WORDS[random.nextInt(WORDS.length)]) : quoted(string(40));
            case 3 -> random.nextBoolean() ? "true" : "false";
            case 4 -> "null";
            case 5 -> {
                StringBuilder out = new StringBuilder("[");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) out.append(i > 0 ? "," : "").append(value(depth - 1));
                yield out.append(']').toString();
            }
            default -> {
                StringBuilder out = new StringBuilder("{");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    out.append(i > 0 ? "," : "")
                            .append(quoted(
                                    random.nextBoolean() ? FIELDS.get(random.nextInt(FIELDS.size())) : string(8)))
                            .append(':')
                            .append(value(depth - 1));
                }
                yield out.append('}').toString();
            }
        };
    }

    /** Objects or arrays nested exactly {@code depth} levels. */
    String deep(int depth) {
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return open.repeat(depth) + number() + close.repeat(depth);
    }

    String number() {
        return random.nextInt(3) == 0
                ? Integer.toString(random.nextInt(2_000) - 1_000)
                : NUMBERS[random.nextInt(NUMBERS.length)];
    }

    /** Up to {@code max} characters from every class: controls, bidi and zero-width marks, lone surrogates, emoji. */
    String string(int max) {
        int length = random.nextInt(max + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(12)) {
                case 0, 1, 2 -> out.append((char) (0x20 + random.nextInt(0x5f)));
                case 3 -> out.append((char) random.nextInt(0x20));
                case 4 -> out.append((char) (0x7f + random.nextInt(0x21)));
                case 5 -> out.append(pick(0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069));
                case 6 -> out.append(pick(0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x200e, 0x200f, 0x00ad));
                case 7 -> out.append((char) (0x0300 + random.nextInt(0x70)));
                case 8 -> out.append((char) (0x4e00 + random.nextInt(0x5000)));
                case 9 -> out.appendCodePoint(0x1f600 + random.nextInt(0x50));
                case 10 -> out.append((char) (0xd800 + random.nextInt(0x800))); // a lone surrogate
                default -> out.append(pick(0xfffe, 0xffff, 0xe000, 0x0430, 0x0391, 0x2028, 0x2029));
            }
        }
        return out.toString();
    }

    private char pick(int... chars) {
        return (char) chars[random.nextInt(chars.length)];
    }

    /** A JSON string literal; surrogates and controls as escapes, so lone surrogates reach the parser intact. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || Character.isSurrogate(c) || c == 0x2028 || c == 0x2029)
                out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
