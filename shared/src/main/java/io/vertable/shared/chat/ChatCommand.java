package io.vertable.shared.chat;

import java.util.List;

/**
 * One line a user typed, understood: what kind of message it is, its text (for rolls: the expression), the roll mode,
 * the names a whisper goes to, the speaker a GM speaks as, and the flavour text of a roll ({@code /r 1d20 # attack}).
 */
public record ChatCommand(
        Kind kind, String text, RollMode mode, List<String> recipients, String speaker, String flavor) {

    public enum Kind {
        SAY,
        EMOTE,
        OOC,
        DESC,
        AS,
        WHISPER,
        ROLL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Only a GM narrates or speaks as someone else. */
        public boolean gmOnly() {
            return this == DESC || this == AS;
        }
    }
}
