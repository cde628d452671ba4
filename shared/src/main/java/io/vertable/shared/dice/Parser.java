package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Arg;
import io.vertable.shared.dice.Node.Bin;
import io.vertable.shared.dice.Node.Call;
import io.vertable.shared.dice.Node.Dice;
import io.vertable.shared.dice.Node.DieKind;
import io.vertable.shared.dice.Node.Fn;
import io.vertable.shared.dice.Node.Group;
import io.vertable.shared.dice.Node.Labeled;
import io.vertable.shared.dice.Node.Mods;
import io.vertable.shared.dice.Node.Neg;
import io.vertable.shared.dice.Node.Num;
import io.vertable.shared.dice.Node.Paren;
import io.vertable.shared.dice.Node.Var;
import io.vertable.shared.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive descent over the characters of an expression, no tokenizer and no regular expressions. This base class
 * holds the grammar both dialects share (arithmetic, numbers, variables, labels, groups, the shape of a dice term); a
 * subclass per dialect decides what its modifiers, functions and operators are. Anything a dialect does not have is a
 * DICE_SYNTAX at the position of the character that starts it.
 *
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/' | '%') unary)*          % only in Roll20
 * unary      := ('-' | '+') unary | power
 * power      := labeled ('**' unary)?                     Roll20 only; right-associative
 * labeled    := primary ('[' text ']')?
 * primary    := number dice? | dice | '(' expression ')' dice? | '{' expression (',' expression)* '}' groupMods
 *             | variable dice? | function '(' expression (',' expression)* ')'
 * dice       := ('d' | 'D') faces diceMods                a count in parentheses, (..) faces and dc: Foundry only
 * </pre>
 *
 * Errors at the end of the input point at the construct left unfinished (the operator, the open bracket, the
 * {@code d}), so a position is always inside a non-empty expression.
 */
abstract class Parser {

    /** How deeply brackets, signs and powers may nest; deeper input is refused with DICE_LIMIT, not a stack overflow. */
    static final int MAX_DEPTH = 32;

    /** Big enough for any modifier number that makes sense; larger literals are refused (DICE_LIMIT). */
    static final int MAX_MODIFIER_NUMBER = 1_000_000_000;

    final String src;
    final int len;
    int pos;
    private int depth;
    private int diceSlots;
    private int groupSlots;
    private int varSlots;

    Parser(String src) {
        this.src = src;
        this.len = src.length();
    }

    /** The parsed tree and how many result slots an evaluation needs. */
    record Parsed(Node root, int diceSlots, int groupSlots, int varSlots) {}

    static Parsed parse(String expression, Dialect dialect) {
        Parser parser = dialect == Dialect.ROLL20 ? new Roll20Parser(expression) : new FoundryParser(expression);
        return parser.parseAll();
    }

    // ---- what a dialect decides

    abstract boolean modulo();

    abstract boolean power();

    /** Counts and faces written as parenthesized expressions: {@code (2d4)d8}, {@code 1d(1d20)}. */
    abstract boolean nestedDice();

    abstract boolean coins();

    /** The function of that (lower-case) name, or null. */
    abstract Fn function(String name);

    abstract Mods diceModifiers(DieKind kind);

    abstract Mods groupModifiers();

    /** Where the dialect has the construct under another spelling, a hint for the error message; else "". */
    abstract String hint(char c);

    /** An optional {@code h} (highest) or {@code l} (lowest) after k/d; {@code otherwise} when neither comes. */
    final boolean highOrLow(boolean otherwise) {
        char next = peekLower();
        if (next != 'h' && next != 'l') return otherwise;
        pos++;
        return next == 'h';
    }

    /** A keep/drop count, or 1 when none is written ({@code k} alone keeps one). */
    final Arg countOrOne(int at) {
        Arg count = arg();
        return count != null ? count : new Arg(1, null, at);
    }

    // ---- the shared grammar

    final Parsed parseAll() {
        skipSpace();
        if (pos == len) throw syntax(0, "The dice expression is empty (position 0)");
        Node root = expression(0);
        skipSpace();
        if (pos < len) throw unexpected();
        return new Parsed(root, diceSlots, groupSlots, varSlots);
    }

    /** {@code anchor}: what to blame if the input ends before the expression starts. */
    final Node expression(int anchor) {
        Node left = term(anchor);
        while (true) {
            skipSpace();
            if (pos >= len) return left;
            char c = src.charAt(pos);
            if (c != '+' && c != '-') return left;
            int op = pos++;
            left = new Bin(c, left, term(op), op);
        }
    }

    private Node term(int anchor) {
        Node left = unary(anchor);
        while (true) {
            skipSpace();
            if (pos >= len) return left;
            char c = src.charAt(pos);
            if (c == '%' && !modulo()) throw syntax(pos, "Unexpected '%' at position " + pos + hint('%'));
            if (c != '*' && c != '/' && c != '%') return left;
            int op = pos++;
            left = new Bin(c, left, unary(op), op);
        }
    }

    private Node unary(int anchor) {
        skipSpace();
        if (pos >= len) throw expectedTerm(anchor);
        if (++depth > MAX_DEPTH) {
            throw new DiceException(
                    ErrorCode.DICE_LIMIT,
                    pos,
                    "The expression nests more than " + MAX_DEPTH + " levels deep at position " + pos);
        }
        try {
            char c = src.charAt(pos);
            if (c == '-') {
                int sign = pos++;
                return new Neg(unary(sign), sign);
            }
            if (c == '+') return unary(pos++);
            Node base = labeled(anchor);
            skipSpace();
            if (pos + 1 < len && src.charAt(pos) == '*' && src.charAt(pos + 1) == '*') {
                if (!power()) throw syntax(pos, "Unexpected '**' at position " + pos + hint('^'));
                int op = pos;
                pos += 2;
                return new Bin('^', base, unary(op), op);
            }
            return base;
        } finally {
            depth--;
        }
    }

    private Node labeled(int anchor) {
        Node node = primary(anchor);
        int save = pos;
        skipSpace();
        if (pos >= len || src.charAt(pos) != '[') {
            pos = save;
            return node;
        }
        int open = pos;
        String label = label();
        if (label.isEmpty()) return node;
        if (node instanceof Dice dice) return dice.label() == null ? dice.withLabel(label) : twice(open);
        if (node instanceof Group group) return group.label() == null ? group.withLabel(label) : twice(open);
        if (node instanceof Labeled) return twice(open);
        return new Labeled(node, label);
    }

    private Node twice(int open) {
        throw syntax(open, "A term has one label; a second one starts at position " + open);
    }

    private String label() {
        int open = pos;
        int close = src.indexOf(']', open + 1);
        if (close < 0) throw syntax(open, "The label opened at position " + open + " is not closed with ']'");
        int inner = src.indexOf('[', open + 1);
        if (inner >= 0 && inner < close) throw syntax(inner, "Unexpected '[' inside a label at position " + inner);
        pos = close + 1;
        return src.substring(open + 1, close).trim();
    }

    private Node primary(int anchor) {
        if (pos >= len) throw expectedTerm(anchor);
        char c = src.charAt(pos);
        int start = pos;
        if (Numbers.isDigit(c)) {
            Num number = number();
            return isD() ? dice(number, start) : number;
        }
        if (c == 'd' || c == 'D') return dice(null, start);
        if (c == '(') {
            Paren paren = paren();
            if (isD()) {
                if (!nestedDice())
                    throw syntax(
                            pos,
                            "Unexpected 'd' after ')' at position " + pos
                                    + " (a dice count in parentheses is Foundry syntax)");
                return dice(paren, start);
            }
            return paren;
        }
        if (c == '{') return group();
        if (c == '@') {
            Var var = variable();
            return isD() ? dice(var, start) : var;
        }
        if (isLetter(c)) return call();
        throw unexpected();
    }

    private boolean isD() {
        return pos < len && (src.charAt(pos) == 'd' || src.charAt(pos) == 'D');
    }

    private Num number() {
        int start = pos;
        while (pos < len && Numbers.isDigit(src.charAt(pos))) pos++;
        if (pos + 1 < len && src.charAt(pos) == '.' && Numbers.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < len && Numbers.isDigit(src.charAt(pos))) pos++;
        }
        double value = Double.parseDouble(src.substring(start, pos));
        if (!Double.isFinite(value))
            throw new DiceException(ErrorCode.DICE_LIMIT, start, "The number at position " + start + " is too large");
        return new Num(value, start, pos);
    }

    private Paren paren() {
        int open = pos++;
        Node inner = expression(open);
        close(open, ')');
        return new Paren(inner, open, pos);
    }

    private void close(int open, char closer) {
        skipSpace();
        if (pos >= len)
            throw syntax(
                    open,
                    "The '" + src.charAt(open) + "' at position " + open + " is not closed with '" + closer + "'");
        if (src.charAt(pos) != closer) throw unexpected();
        pos++;
    }

    private Group group() {
        int open = pos++;
        List<Node> elements = new ArrayList<>(2);
        int anchor = open;
        while (true) {
            elements.add(expression(anchor));
            skipSpace();
            if (pos >= len) throw syntax(open, "The '{' at position " + open + " is not closed with '}'");
            char c = src.charAt(pos);
            if (c == '}') break;
            if (c != ',') throw unexpected();
            anchor = pos++;
        }
        pos++;
        int slot = groupSlots++;
        int modsStart = pos;
        Mods mods = groupModifiers();
        return new Group(slot, List.copyOf(elements), mods, open, modsStart, pos, null);
    }

    private Var variable() {
        int at = pos++;
        String path;
        if (pos < len && src.charAt(pos) == '{') {
            int open = pos;
            int close = src.indexOf('}', open + 1);
            if (close < 0) throw syntax(at, "The variable at position " + at + " is not closed with '}'");
            int inner = src.indexOf('{', open + 1);
            if (inner >= 0 && inner < close)
                throw syntax(inner, "Unexpected '{' in a variable name at position " + inner);
            path = src.substring(open + 1, close).trim();
            pos = close + 1;
        } else {
            int start = pos;
            while (pos < len && isNameChar(src.charAt(pos))) {
                pos++;
                if (pos + 1 < len && src.charAt(pos) == '.' && isNameChar(src.charAt(pos + 1))) pos++;
            }
            path = src.substring(start, pos);
        }
        if (path.isEmpty()) throw syntax(at, "Expected a variable name after '@' at position " + at);
        return new Var(path, varSlots++, at, pos);
    }

    private Call call() {
        int start = pos;
        while (pos < len && isLetter(src.charAt(pos))) pos++;
        String name = src.substring(start, pos);
        Fn fn = function(name.toLowerCase(java.util.Locale.ROOT));
        if (fn == null) {
            throw syntax(
                    start,
                    (name.length() == 1 ? "Unexpected '" + name + "'" : "Unknown name '" + name + "'") + " at position "
                            + start + hint(name.charAt(0)));
        }
        skipSpace();
        if (pos >= len || src.charAt(pos) != '(')
            throw syntax(start, "Expected '(' after " + fn.label() + " at position " + start);
        int open = pos++;
        List<Node> args = new ArrayList<>(2);
        int anchor = open;
        while (true) {
            args.add(expression(anchor));
            skipSpace();
            if (pos >= len) throw syntax(open, "The '(' at position " + open + " is not closed with ')'");
            char c = src.charAt(pos);
            if (c == ')') break;
            if (c != ',') throw unexpected();
            anchor = pos++;
        }
        pos++;
        if (args.size() < fn.minArgs || args.size() > fn.maxArgs) {
            String wanted = fn.minArgs == fn.maxArgs ? "1 argument" : "at least 2 arguments";
            throw syntax(start, fn.label() + " takes " + wanted + " (position " + start + ")");
        }
        return new Call(fn, List.copyOf(args), start);
    }

    private Dice dice(Node count, int start) {
        int dPos = pos++;
        if (pos >= len) throw syntax(dPos, "Expected the number of faces after 'd' at position " + dPos);
        char c = src.charAt(pos);
        int facesPos = pos;
        DieKind kind = DieKind.NUMBER;
        Node faces = null;
        if (Numbers.isDigit(c)) {
            int from = pos;
            while (pos < len && Numbers.isDigit(src.charAt(pos))) pos++;
            faces = new Num(Double.parseDouble(src.substring(from, pos)), from, pos);
        } else if (c == '%') {
            kind = DieKind.PERCENT;
            pos++;
        } else if (c == 'F' || c == 'f') {
            kind = DieKind.FATE;
            pos++;
        } else if (c == 'c' || c == 'C') {
            if (!coins()) throw syntax(pos, "Unexpected '" + c + "' at position " + pos + hint('c'));
            kind = DieKind.COIN;
            pos++;
        } else if (c == '(') {
            if (!nestedDice()) throw syntax(pos, "Unexpected '(' after 'd' at position " + pos + hint('('));
            faces = paren();
        } else if (c == '@') {
            faces = variable();
        } else {
            throw syntax(pos, "Unexpected '" + c + "' at position " + pos + ": a die's faces follow its 'd'");
        }
        int modsStart = pos;
        Mods mods = diceModifiers(kind);
        return new Dice(diceSlots++, count, kind, faces, facesPos, mods, start, dPos, modsStart, pos, null);
    }

    // ---- helpers for the dialects' modifier parsers

    final char peekLower() {
        return pos < len ? Character.toLowerCase(src.charAt(pos)) : '\0';
    }

    final char peekLower(int ahead) {
        return pos + ahead < len ? Character.toLowerCase(src.charAt(pos + ahead)) : '\0';
    }

    final boolean lookingAt(String lower) {
        if (pos + lower.length() > len) return false;
        for (int i = 0; i < lower.length(); i++)
            if (Character.toLowerCase(src.charAt(pos + i)) != lower.charAt(i)) return false;
        return true;
    }

    /** A whole number or a variable, or null when neither comes next. */
    final Arg arg() {
        if (pos >= len) return null;
        char c = src.charAt(pos);
        int start = pos;
        if (Numbers.isDigit(c)) {
            long value = 0;
            while (pos < len && Numbers.isDigit(src.charAt(pos))) {
                value = value * 10 + (src.charAt(pos++) - '0');
                if (value > MAX_MODIFIER_NUMBER)
                    throw new DiceException(
                            ErrorCode.DICE_LIMIT, start, "The number at position " + start + " is too large");
            }
            return new Arg((int) value, null, start);
        }
        if (c == '@') return new Arg(0, variable(), start);
        return null;
    }

    /** An argument that may be negative ({@code >-1} for Fate dice); required, blamed on {@code owner}. */
    final Arg signedArg(int owner) {
        int start = pos;
        boolean negative = pos < len && src.charAt(pos) == '-';
        if (negative) pos++;
        Arg arg = arg();
        if (arg == null) {
            if (pos >= len) throw syntax(owner, "Expected a number after position " + owner);
            throw unexpected();
        }
        if (!negative) return arg;
        if (arg.var() != null)
            throw syntax(start, "Write -@name as a separate term, not here (position " + start + ")");
        return new Arg(-arg.value(), null, start);
    }

    final DiceException unexpected() {
        char c = src.charAt(pos);
        return syntax(pos, "Unexpected '" + c + "' at position " + pos + hint(c));
    }

    final DiceException expectedTerm(int anchor) {
        if (anchor < len && anchor >= 0 && pos >= len) {
            return syntax(anchor, "Expected a number or dice after '" + src.charAt(anchor) + "' at position " + anchor);
        }
        int at = Math.min(pos, Math.max(0, len - 1));
        return syntax(at, "Expected a number or dice at position " + at);
    }

    static DiceException syntax(int position, String message) {
        return new DiceException(ErrorCode.DICE_SYNTAX, position, message);
    }

    final void skipSpace() {
        while (pos < len) {
            char c = src.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNameChar(char c) {
        return isLetter(c) || Numbers.isDigit(c) || c == '_';
    }
}
