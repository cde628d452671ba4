package io.vertable.shared.people;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.util.Optional;

/**
 * The names people at a table address each other by ({@code /w Alice}). A name must be readable as what it is: no
 * control, format (zero-width, bidirectional override), private-use or unassigned characters. Two names are "the same"
 * when they look alike (UTS #39 confusable skeletons and case folding), so "alice", "ALICE" and "аlice" (Cyrillic a) are
 * one name.
 */
public final class DisplayNames {

    public static final int MAX_LENGTH = 40;

    private static final Normalizer2 NFC = Normalizer2.getNFCInstance();
    private static final Normalizer2 CASE_FOLD = Normalizer2.getNFKCCasefoldInstance();
    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().build();

    private DisplayNames() {}

    /** Why a typed name is refused, as a message for the person who typed it ({@code DISPLAY_NAME_INVALID}). */
    public static Optional<String> refusal(String raw) {
        if (raw == null) return Optional.of("a display name is required");
        String name = NFC.normalize(raw.strip());
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_LENGTH) {
            return Optional.of("a display name is 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            String why = unreadable(c);
            if (why != null) return Optional.of("a display name must not contain " + why);
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    /** The name as stored: trimmed and NFC-normalised (check {@link #refusal} first). */
    public static String normalized(String raw) {
        return NFC.normalize(raw.strip());
    }

    /**
     * Whether one name could pass for the other. Compared twice, because case folding and confusable mapping do not
     * commute: folded first, "ALICE" meets "alice"; mapped first, "PayPaI" (capital i) meets "Paypal".
     */
    public static boolean lookAlike(String a, String b) {
        return foldedThenMapped(a).equals(foldedThenMapped(b))
                || mappedThenFolded(a).equals(mappedThenFolded(b));
    }

    private static String foldedThenMapped(String name) {
        return CONFUSABLES.getSkeleton(CASE_FOLD.normalize(name.strip()));
    }

    private static String mappedThenFolded(String name) {
        return CONFUSABLES.getSkeleton(CASE_FOLD.normalize(CONFUSABLES.getSkeleton(name.strip())));
    }

    private static String unreadable(int c) {
        if (c == ' ') return null;
        int type = UCharacter.getType(c);
        if (UCharacter.hasBinaryProperty(c, UProperty.BIDI_CONTROL)) return "bidirectional control characters";
        if (UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) return "invisible characters";
        return switch (type) {
            case UCharacter.CONTROL -> "control characters";
            case UCharacter.FORMAT -> "invisible characters";
            case UCharacter.PRIVATE_USE -> "private-use characters";
            case UCharacter.SURROGATE -> "broken characters";
            case UCharacter.UNASSIGNED -> "unassigned characters";
            case UCharacter.LINE_SEPARATOR, UCharacter.PARAGRAPH_SEPARATOR -> "line breaks";
            case UCharacter.SPACE_SEPARATOR -> "spaces other than the plain space";
            default -> null;
        };
    }
}
