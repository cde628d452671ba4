package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Bin;
import io.vertable.shared.dice.Node.Call;
import io.vertable.shared.dice.Node.Dice;
import io.vertable.shared.dice.Node.DieKind;
import io.vertable.shared.dice.Node.Group;
import io.vertable.shared.dice.Node.Labeled;
import io.vertable.shared.dice.Node.Neg;
import io.vertable.shared.dice.Node.Num;
import io.vertable.shared.dice.Node.Paren;
import io.vertable.shared.dice.Node.Var;
import java.util.List;

/** The plain-text breakdown of a finished roll; the convention is described on {@link Roll}. */
final class TextRenderer {

    private final String src;
    private final TermResult[] terms;
    private final GroupResult[] groups;
    private final double[] vars;
    private final StringBuilder out = new StringBuilder(64);

    private TextRenderer(String src, TermResult[] terms, GroupResult[] groups, double[] vars) {
        this.src = src;
        this.terms = terms;
        this.groups = groups;
        this.vars = vars;
    }

    static String render(Roll roll, Node root, TermResult[] terms, GroupResult[] groups, double[] vars) {
        TextRenderer r = new TextRenderer(roll.expression(), terms, groups, vars);
        r.node(root);
        r.out.append(" = ").append(Numbers.text(roll.total()));
        if (roll.successes().isPresent() || roll.failures().isPresent()) {
            r.out.append(" (");
            if (roll.successes().isPresent()) {
                int s = roll.successes().getAsInt();
                r.out.append(s).append(s == 1 ? " success" : " successes");
            }
            if (roll.failures().isPresent()) {
                int f = roll.failures().getAsInt();
                if (roll.successes().isPresent()) r.out.append(", ");
                r.out.append(f).append(f == 1 ? " failure" : " failures");
            }
            r.out.append(')');
        }
        return r.out.toString();
    }

    private void node(Node node) {
        if (node instanceof Num n) out.append(Numbers.text(n.value()));
        else if (node instanceof Dice d) dice(d);
        else if (node instanceof Bin b) {
            node(b.left());
            out.append(' ')
                    .append(b.op() == '^' ? "**" : String.valueOf(b.op()))
                    .append(' ');
            node(b.right());
        } else if (node instanceof Var v) {
            out.append(src, v.pos(), v.end())
                    .append(" (")
                    .append(Numbers.text(vars[v.slot()]))
                    .append(')');
        } else if (node instanceof Neg n) {
            out.append('-');
            node(n.operand());
        } else if (node instanceof Paren p) {
            out.append('(');
            node(p.inner());
            out.append(')');
        } else if (node instanceof Labeled l) {
            node(l.inner());
            label(l.label());
        } else if (node instanceof Call c) {
            out.append(c.fn().label()).append('(');
            list(c.args());
            out.append(')');
        } else {
            group((Group) node);
        }
    }

    private void list(List<Node> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) out.append(", ");
            node(nodes.get(i));
        }
    }

    private void label(String label) {
        if (label != null) out.append(" [").append(label).append(']');
    }

    /** A count or faces written as something other than a plain number shows what it came to. */
    private void piece(Node node, int from, int to) {
        if (node == null || node instanceof Num) out.append(src, from, to);
        else if (node instanceof Var v) out.append(Numbers.text(vars[v.slot()]));
        else node(node);
    }

    private void dice(Dice d) {
        piece(d.count(), d.start(), d.dPos());
        out.append(src, d.dPos(), d.dPos() + 1);
        piece(d.faces(), d.dPos() + 1, d.modsStart());
        out.append(src, d.modsStart(), d.end()).append(" (");
        TermResult t = terms[d.slot()];
        boolean fate = d.kind() == DieKind.FATE;
        for (int i = 0; i < t.dice.size(); i++) {
            Outcome die = t.dice.get(i);
            if (i > 0) out.append(fate ? ' ' : '+');
            if (fate) out.append(die.value > 0 ? "+" : die.value < 0 ? "-" : "0");
            else out.append(Numbers.text(die.value));
            marks(die);
        }
        out.append(')');
        label(d.label());
    }

    private void marks(Outcome o) {
        if (o.exploded) out.append('!');
        if (o.rerolled) out.append('r');
        if (o.dropped) out.append('d');
        if (o.success) out.append('*');
        if (o.failure) out.append('f');
    }

    private void group(Group g) {
        GroupResult r = groups[g.slot()];
        out.append('{');
        list(g.elements());
        out.append('}').append(src, g.modsStart(), g.end());
        // subtotals are shown when the modifiers acted on them (not when they acted on the dice inside)
        boolean onSubtotals = r.perDie == null && (!r.acrossDice || r.countsSuccesses);
        if (g.modsStart() < g.end() && onSubtotals) {
            out.append(" (");
            for (int i = 0; i < r.subtotals.length; i++) {
                if (i > 0) out.append('+');
                out.append(Numbers.text(r.subtotals[i].value));
                marks(r.subtotals[i]);
            }
            out.append(')');
        }
        label(g.label());
    }
}
