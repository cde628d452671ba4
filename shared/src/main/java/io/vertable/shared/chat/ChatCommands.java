package io.vertable.shared.chat;

import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a chat line the way Roll20 and Foundry VTT players type it: plain text is said; {@code /me} emotes; {@code
 * /ooc}; {@code /w name text}, {@code /w "Two Words" text}, {@code /w [a, b] text} or {@code /w a,b text} whisper ({@code
 * gm} names every GM); {@code /desc} and {@code /as "NPC" text} are the GM's; {@code /r} {@code /roll} {@code /pr}
 * public, {@code /gmroll} {@code /gr} {@code /gmr} GM, {@code /br} blind and {@code /sr} self rolls take an expression
 * with optional flavour after {@code #}. Pure: names are resolved against the room's members elsewhere.
 */
public final class ChatCommands {

    /** Longest message, in characters; Roll20 and Foundry keep chat lines far shorter in practice. */
    public static final int MAX_TEXT = 4_000;

    public static final String GM_RECIPIENT = "gm";

    private static final Map<String, RollMode> ROLLS = Map.ofEntries(
            Map.entry("/r", RollMode.PUBLIC),
            Map.entry("/roll", RollMode.PUBLIC),
            Map.entry("/pr", RollMode.PUBLIC),
            Map.entry("/publicroll", RollMode.PUBLIC),
            Map.entry("/gmroll", RollMode.GM),
            Map.entry("/gr", RollMode.GM),
            Map.entry("/gmr", RollMode.GM),
            Map.entry("/br", RollMode.BLIND),
            Map.entry("/blindroll", RollMode.BLIND),
            Map.entry("/sr", RollMode.SELF),
            Map.entry("/selfroll", RollMode.SELF));

    private ChatCommands() {}

    /** The command, or a failure that says what is wrong and where. */
    public static Parsed parse(String line) {
        if (line == null) return Parsed.refuse("text is required");
        if (line.length() > MAX_TEXT)
            return new Parsed(
                    null, Failure.of(ErrorCode.PAYLOAD_TOO_LARGE, "a message is at most " + MAX_TEXT + " characters"));
        int control = controlCharacter(line);
        if (control >= 0) return Parsed.refuse("control character at position " + control);
        String text = line.strip();
        if (text.isEmpty()) return Parsed.refuse("the message is empty");
        if (!text.startsWith("/"))
            return Parsed.of(new ChatCommand(ChatCommand.Kind.SAY, text, null, List.of(), null, null));
        int space = firstSpace(text);
        String word = text.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = text.substring(space).strip();
        RollMode mode = ROLLS.get(word);
        if (mode != null) return roll(rest, mode, word);
        return switch (word) {
            case "/me", "/em", "/emote" -> simple(ChatCommand.Kind.EMOTE, rest, word);
            case "/ooc" -> simple(ChatCommand.Kind.OOC, rest, word);
            case "/desc" -> simple(ChatCommand.Kind.DESC, rest, word);
            case "/w", "/whisper" -> whisper(rest);
            case "/as" -> speakAs(rest);
            default -> Parsed.refuse("unknown chat command " + word);
        };
    }

    /** The parse result: a command or a failure. */
    public record Parsed(ChatCommand command, Failure failure) {
        static Parsed of(ChatCommand command) {
            return new Parsed(command, null);
        }

        static Parsed refuse(String message) {
            return new Parsed(null, Failure.of(ErrorCode.BAD_REQUEST, message));
        }

        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Position of the first character that is neither printable text nor a line break or tab, or -1. Bidirectional
     * overrides count: they let a line pretend to say something else.
     */
    public static int controlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t') continue;
            if (Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'))
                return i;
        }
        return -1;
    }

    private static Parsed simple(ChatCommand.Kind kind, String rest, String word) {
        if (rest.isEmpty()) return Parsed.refuse(word + " needs some text");
        return Parsed.of(new ChatCommand(kind, rest, null, List.of(), null, null));
    }

    private static Parsed roll(String rest, RollMode mode, String word) {
        int hash = rest.indexOf('#');
        String expression = (hash < 0 ? rest : rest.substring(0, hash)).strip();
        String flavor = hash < 0 ? null : rest.substring(hash + 1).strip();
        if (expression.isEmpty()) return Parsed.refuse(word + " needs a dice expression, e.g. " + word + " 1d20+5");
        return Parsed.of(new ChatCommand(
                ChatCommand.Kind.ROLL,
                expression,
                mode,
                List.of(),
                null,
                flavor == null || flavor.isEmpty() ? null : flavor));
    }

    private static Parsed whisper(String rest) {
        List<String> names = new ArrayList<>();
        String message;
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0) return Parsed.refuse("the whisper's name has no closing quote");
            names.add(rest.substring(1, close).strip());
            message = rest.substring(close + 1);
        } else if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) return Parsed.refuse("the whisper's names have no closing ]");
            for (String name : rest.substring(1, close).split(",")) names.add(name.strip());
            message = rest.substring(close + 1);
        } else {
            int space = firstSpace(rest);
            for (String name : rest.substring(0, space).split(",")) names.add(name.strip());
            message = rest.substring(space);
        }
        names.removeIf(String::isEmpty);
        message = message.strip();
        if (names.isEmpty()) return Parsed.refuse("say whom to whisper to: /w name text");
        if (message.isEmpty()) return Parsed.refuse("the whisper is empty");
        return Parsed.of(new ChatCommand(ChatCommand.Kind.WHISPER, message, null, List.copyOf(names), null, null));
    }

    private static Parsed speakAs(String rest) {
        String speaker;
        String message;
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0) return Parsed.refuse("the speaker's name has no closing quote");
            speaker = rest.substring(1, close).strip();
            message = rest.substring(close + 1).strip();
        } else {
            int space = firstSpace(rest);
            speaker = rest.substring(0, space);
            message = rest.substring(space).strip();
        }
        if (speaker.isEmpty() || speaker.length() > 64) return Parsed.refuse("/as needs a name of 1 to 64 characters");
        if (message.isEmpty()) return Parsed.refuse("/as needs some text after the name");
        return Parsed.of(new ChatCommand(ChatCommand.Kind.AS, message, null, List.of(), speaker, null));
    }

    private static int firstSpace(String text) {
        for (int i = 0; i < text.length(); i++) if (Character.isWhitespace(text.charAt(i))) return i;
        return text.length();
    }
}
