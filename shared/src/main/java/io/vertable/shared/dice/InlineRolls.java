package io.vertable.shared.dice;

import java.util.ArrayList;
import java.util.List;

/**
 * Inline rolls in chat text: {@code "I hit [[1d20+5]] for [[2d6]]"}. Inside a {@code [[…]]} single brackets nest
 * (labels such as {@code [[1d20[STR]]]}), so the roll ends at the first {@code ]]} outside any label; braces need no
 * care ({@code [[ {1d6,1d8}kh1 ]]}). An opening {@code [[} that is never closed is plain text.
 */
public final class InlineRolls {

    /** One inline roll: {@code start..end} (end exclusive) covers the whole {@code [[…]]}; the expression is inside. */
    public record Span(int start, int end, String expression) {}

    private InlineRolls() {}

    /** The inline rolls in the text, left to right; none for null. */
    public static List<Span> find(String text) {
        List<Span> spans = new ArrayList<>(2);
        if (text == null) return spans;
        int n = text.length();
        int i = text.indexOf("[[");
        while (i >= 0) {
            int end = close(text, i + 2, n);
            if (end < 0) break;
            spans.add(new Span(i, end + 2, text.substring(i + 2, end)));
            i = text.indexOf("[[", end + 2);
        }
        return spans;
    }

    /** The index of the {@code ]]} that closes a roll whose inside starts at {@code from}, or -1. */
    private static int close(String text, int from, int n) {
        int depth = 0;
        for (int j = from; j < n; j++) {
            char c = text.charAt(j);
            if (c == '[') depth++;
            else if (c == ']') {
                if (depth > 0) depth--;
                else if (j + 1 < n && text.charAt(j + 1) == ']') return j;
            }
        }
        return -1;
    }
}
