package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * A slice or map made empty right before a loop whose every iteration adds exactly one element
 * ({@code s = append(s, x)}, {@code m[k] = v}, unconditionally), where the loop's length is known
 * (a range over a slice, array, map or integer of known type, or {@code for i := 0; i < n; i++};
 * not a string, whose runes are not its length): the size hint is at hand, and without it the slice or map grows and copies itself log(n) times.
 * Anything that makes the count uncertain (an if around the add, a continue, break or return in the
 * loop, another use of the slice or map in it) keeps the check silent.
 */
public final class GrowWithoutHintCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.grow-without-hint", "code.map-growth",
            Severity.INFO, "a slice or map filled one element per iteration of a loop of known length, made without a size");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if ((node instanceof Stmt.Range || node instanceof Stmt.For) && !ancestors.isEmpty()) {
                    loop(scan, (Stmt) node, ancestors);
                }
            });
        }
    }

    private static void loop(FileScan scan, Stmt loop, List<Node> ancestors) {
        String label = Loops.label(ancestors);
        Stmt.Block body = Loops.body(loop);
        if (leavesEarly(body, label, true) || Loops.exempt(scan, loop, label)) {
            return;
        }
        String length = knownLength(scan, loop, ancestors);
        if (length == null) {
            return;
        }
        for (Stmt s : body.stmts()) {
            Expr.Ident target = addsOne(s);
            if (target == null || mentions(body, target.name(), s)) {
                continue;
            }
            LocalTypes.Binding made = emptyDeclarationBefore(scan, target, loop, ancestors);
            boolean isMap = s instanceof Stmt.Assign a && a.lhs().get(0) instanceof Expr.Index;
            Expr type = made == null ? null : made.type() != null ? made.type() : madeType(made.value());
            if (type == null || isMap != LocalTypes.underlying(scan, type) instanceof Expr.MapType) {
                continue;
            }
            Node decl = made.context().get(made.context().size() - 1);
            String typeText = type == null ? null : SourceText.type(type);
            String fix = typeText == null ? "a capacity of " + length
                    : isMap ? "make(" + typeText + ", " + length + ")" : "make(" + typeText + ", 0, " + length + ")";
            scan.report(s, loop, target.name() + (isMap ? " gets one entry" : " gets one append")
                    + " on each of the " + length + " iterations of the loop at line " + scan.file().line(loop.pos())
                    + " but starts empty (line " + scan.file().line(decl.pos()) + "), so it grows and copies itself "
                    + "as it fills; " + fix + " sizes it once");
        }
    }

    /** s = append(s, x) or m[k] = v: the slice or map it adds to, else null. */
    private static Expr.Ident addsOne(Stmt s) {
        if (!(s instanceof Stmt.Assign a) || !a.op().equals("=") || a.lhs().size() != 1 || a.rhs().size() != 1) {
            return null;
        }
        Expr lhs = a.lhs().get(0);
        if (lhs instanceof Expr.Ident id && a.rhs().get(0) instanceof Expr.Call c && c.fun() instanceof Expr.Ident f
                && f.name().equals("append") && !c.ellipsis() && c.args().size() == 2
                && c.args().get(0) instanceof Expr.Ident first && first.name().equals(id.name())) {
            return id;
        }
        if (lhs instanceof Expr.Index ix && ix.indices().size() == 1 && ix.x() instanceof Expr.Ident m) {
            return m;
        }
        return null;
    }

    /** True when the name appears in the loop body anywhere but in {@code add}'s own target and first argument. */
    private static boolean mentions(Stmt.Block body, String name, Stmt add) {
        int[] count = {0};
        Node.walk(body, n -> {
            if (n instanceof Expr.Ident id && id.name().equals(name)) {
                count[0]++;
            }
        });
        int own = add instanceof Stmt.Assign a && a.lhs().get(0) instanceof Expr.Ident ? 2 : 1; // s = append(s, x)
        int[] inAdd = {0};
        Node.walk(add, n -> {
            if (n instanceof Expr.Ident id && id.name().equals(name)) {
                inAdd[0]++;
            }
        });
        return inAdd[0] != own || count[0] != own;
    }

    /** A continue, goto, return or break of this loop anywhere in the body: not every iteration adds. */
    private static boolean leavesEarly(Node n, String label, boolean own) {
        if (n instanceof Stmt.Branch b) {
            return switch (b.keyword()) {
                case "continue", "goto" -> true;
                case "break" -> b.label() == null ? own : b.label().name().equals(label);
                default -> false;
            };
        }
        if (n instanceof Stmt.Return) {
            return true;
        }
        if (n instanceof Expr.FuncLit) {
            return false;
        }
        boolean inner = own && !(n instanceof Stmt.For || n instanceof Stmt.Range || n instanceof Stmt.Switch
                || n instanceof Stmt.TypeSwitch || n instanceof Stmt.Select);
        boolean[] found = {false};
        n.children(c -> found[0] |= leavesEarly(c, label, inner));
        return found[0];
    }

    /**
     * How many iterations the loop makes, as Go source ({@code len(rows)}, {@code n}), when its header
     * says so plainly; null otherwise (a channel, an iterator function, a condition).
     */
    private static String knownLength(FileScan scan, Stmt loop, List<Node> ancestors) {
        if (loop instanceof Stmt.Range r) {
            String x = SourceText.show(r.x());
            if (r.x() instanceof Expr.BasicLit l && l.kind() == Expr.LitKind.INT) {
                return l.value();
            }
            if (x == null) {
                return null;
            }
            Expr t = LocalTypes.underlying(scan, LocalTypes.typeOf(scan, r.x(), LocalTypes.at(ancestors, loop)));
            if (t instanceof Expr.Star s && LocalTypes.underlying(scan, s.x()) instanceof Expr.ArrayType a
                    && a.length() != null) {
                t = a;
            }
            return switch (t) {
                case Expr.ArrayType a -> "len(" + x + ")";
                case Expr.MapType m -> "len(" + x + ")";
                case Expr.Ident id when id.name().matches("int|int64|int32|uint|uint64|uint32") -> x;
                case null, default -> null;
            };
        }
        Stmt.For f = (Stmt.For) loop;
        if (!(f.init() instanceof Stmt.Assign init) || !init.op().equals(":=") || init.lhs().size() != 1
                || !(init.lhs().get(0) instanceof Expr.Ident i) || !(init.rhs().get(0) instanceof Expr.BasicLit zero)
                || !zero.value().equals("0") || !(f.post() instanceof Stmt.IncDec inc) || !inc.increment()
                || !(inc.x() instanceof Expr.Ident incremented) || !incremented.name().equals(i.name())
                || !(f.cond() instanceof Expr.Binary cond) || !cond.op().equals("<")
                || !(cond.x() instanceof Expr.Ident left) || !left.name().equals(i.name())) {
            return null;
        }
        java.util.Set<String> changed = Loops.changedIn(f.body());
        if (changed.contains(i.name())) {
            return null;
        }
        Expr bound = cond.y();
        if (bound instanceof Expr.BasicLit l && l.kind() == Expr.LitKind.INT) {
            return l.value();
        }
        if (bound instanceof Expr.Call c && c.fun() instanceof Expr.Ident len && len.name().equals("len")
                && c.args().size() == 1 && SourceText.show(c.args().get(0)) != null) {
            Expr.Ident root = Loops.root(c.args().get(0));
            return root != null && !changed.contains(root.name()) ? "len(" + SourceText.show(c.args().get(0)) + ")" : null;
        }
        String n = SourceText.show(bound);
        Expr.Ident root = Loops.root(bound);
        return n != null && root != null && !changed.contains(root.name()) ? n : null;
    }

    /**
     * The declaration of the name as an empty slice or map, by a statement in the loop's own block
     * before the loop with nothing in between touching it; null when there is none.
     */
    private static LocalTypes.Binding emptyDeclarationBefore(FileScan scan, Expr.Ident name, Stmt loop, List<Node> ancestors) {
        Node parent = ancestors.get(ancestors.size() - 1);
        Node self = loop;
        if (parent instanceof Stmt.Labeled l && ancestors.size() >= 2) {
            self = l;
            parent = ancestors.get(ancestors.size() - 2);
        }
        List<Stmt> stmts = switch (parent) {
            case Stmt.Block b -> b.stmts();
            case Stmt.CaseClause c -> c.body();
            case Stmt.CommClause c -> c.body();
            default -> null;
        };
        if (stmts == null) {
            return null;
        }
        LocalTypes.Binding b = LocalTypes.resolve(scan, name.name(), LocalTypes.at(ancestors, self));
        if (b == null || b.context().size() < 2) {
            return null;
        }
        Node declaring = b.context().get(b.context().size() - 1);
        int declIndex = SyntaxPath.indexOf(stmts, declaring);
        int loopIndex = SyntaxPath.indexOf(stmts, self);
        if (declIndex < 0 || loopIndex < declIndex || !empty(scan, b)) {
            return null;
        }
        for (int k = declIndex + 1; k < loopIndex; k++) {
            boolean[] touched = {false};
            Node.walk(stmts.get(k), n -> touched[0] |= n instanceof Expr.Ident id && id.name().equals(name.name()));
            if (touched[0]) {
                return null;
            }
        }
        return b;
    }

    /** var s []T, s := []T{}, make([]T, 0), make(map[K]V), map[K]V{} (named slice and map types too). */
    private static boolean empty(FileScan scan, LocalTypes.Binding b) {
        if (b.kind() != LocalTypes.Kind.VAR && b.kind() != LocalTypes.Kind.SHORT) {
            return false;
        }
        Expr v = b.value();
        if (v == null) {
            return b.kind() == LocalTypes.Kind.VAR && b.type() != null
                    && LocalTypes.underlying(scan, b.type()) instanceof Expr.ArrayType a && a.length() == null;
        }
        if (v instanceof Expr.CompositeLit c) {
            return c.elements().isEmpty() && c.type() != null && sliceOrMap(scan, c.type());
        }
        if (v instanceof Expr.Call c && c.fun() instanceof Expr.Ident make && make.name().equals("make")
                && !c.args().isEmpty()) {
            Expr t = LocalTypes.underlying(scan, c.args().get(0));
            if (t instanceof Expr.MapType) {
                return c.args().size() == 1;
            }
            return t instanceof Expr.ArrayType a && a.length() == null && c.args().size() == 2
                    && c.args().get(1) instanceof Expr.BasicLit l && l.value().equals("0");
        }
        return false;
    }

    private static boolean sliceOrMap(FileScan scan, Expr type) {
        Expr t = LocalTypes.underlying(scan, type);
        return t instanceof Expr.MapType || t instanceof Expr.ArrayType a && a.length() == null;
    }

    private static Expr madeType(Expr value) {
        return switch (value) {
            case Expr.CompositeLit c -> c.type();
            case Expr.Call c when !c.args().isEmpty() -> c.args().get(0);
            case null, default -> null;
        };
    }
}
