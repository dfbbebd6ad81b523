package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a loop does with its iterations: whether its body can reach a second iteration at all, how
 * a statement leaves it, and whether an expression has the same value on every iteration.
 */
public final class Loops {
    private Loops() {
    }

    /** The loop's body (a For's or a Range's). */
    public static Stmt.Block body(Stmt loop) {
        return switch (loop) {
            case Stmt.For f -> f.body();
            case Stmt.Range r -> r.body();
            default -> throw new IllegalArgumentException("not a loop: " + loop);
        };
    }

    /** The label of the loop ({@code outer: for ...}), or null; {@code ancestors} are the loop's. */
    public static String label(List<Node> ancestors) {
        return !ancestors.isEmpty() && ancestors.get(ancestors.size() - 1) instanceof Stmt.Labeled l
                ? l.label().name() : null;
    }

    /**
     * True when no iteration of the loop can be followed by another: its body always ends by
     * returning, panicking or breaking out of it, and nothing in it continues the loop. Such a loop
     * runs its body at most once per entry (a search loop that returns what it finds first).
     */
    public static boolean oneShot(FileScan scan, Stmt loop, String label) {
        Stmt.Block body = body(loop);
        return !continues(body, label, true) && endsLoop(scan, body, true, label);
    }

    /**
     * True when the loop's repetition is not what a cost check should report: it runs its body at
     * most once ({@link #oneShot}), or it is a benchmark's loop ({@code for i := 0; i < b.N; i++},
     * {@code for range b.N}, {@code for b.Loop()} in a _test.go file), which repeats its body to
     * measure it.
     */
    public static boolean exempt(FileScan scan, Stmt loop, String label) {
        return oneShot(scan, loop, label) || benchmark(scan, loop);
    }

    private static boolean benchmark(FileScan scan, Stmt loop) {
        if (!scan.file().path().endsWith("_test.go")) {
            return false;
        }
        Expr bound = switch (loop) {
            case Stmt.For f when f.cond() instanceof Expr.Binary b && b.op().equals("<") -> b.y();
            case Stmt.For f when f.cond() instanceof Expr.Call c && c.args().isEmpty() -> c.fun();
            case Stmt.Range r -> r.x();
            default -> null;
        };
        return bound instanceof Expr.Selector s && s.x() instanceof Expr.Ident
                && (s.sel().name().equals("N") || s.sel().name().equals("Loop") && loop instanceof Stmt.For);
    }

    /**
     * True when the statement, run to its end, leaves the loop for good: a return, a panic, a
     * {@code break} of the loop (an unlabeled one counts only where {@code breakLeavesLoop}: not in a
     * switch or select of its own), or a goto.
     */
    public static boolean endsLoop(FileScan scan, Stmt s, boolean breakLeavesLoop, String label) {
        return switch (s) {
            case Stmt.Return r -> true;
            case Stmt.Branch b when b.keyword().equals("goto") -> true;
            case Stmt.Branch b when b.keyword().equals("break") ->
                    b.label() == null ? breakLeavesLoop : b.label().name().equals(label);
            case Stmt.ExprStmt e -> e.x() instanceof Expr.Call c && exits(scan, c);
            case Stmt.Block b -> !b.stmts().isEmpty()
                    && endsLoop(scan, b.stmts().get(b.stmts().size() - 1), breakLeavesLoop, label);
            case Stmt.If i -> i.otherwise() != null && endsLoop(scan, i.then(), breakLeavesLoop, label)
                    && endsLoop(scan, i.otherwise(), breakLeavesLoop, label);
            case Stmt.Labeled l -> endsLoop(scan, l.stmt(), breakLeavesLoop, label);
            case Stmt.Switch sw -> clausesEnd(scan, sw.body(), label, true);
            case Stmt.TypeSwitch sw -> clausesEnd(scan, sw.body(), label, true);
            case Stmt.Select sel -> clausesEnd(scan, sel.body(), label, false);
            default -> false;
        };
    }

    /** True when a statement list ends the loop (its last statement does). */
    public static boolean endsLoop(FileScan scan, List<Stmt> stmts, boolean breakLeavesLoop, String label) {
        return !stmts.isEmpty() && endsLoop(scan, stmts.get(stmts.size() - 1), breakLeavesLoop, label);
    }

    private static boolean clausesEnd(FileScan scan, Stmt.Block body, String label, boolean needsDefault) {
        boolean hasDefault = false;
        for (Stmt c : body.stmts()) {
            List<Stmt> list;
            if (c instanceof Stmt.CaseClause cc) {
                hasDefault |= cc.isDefault();
                list = cc.body();
            } else if (c instanceof Stmt.CommClause cc) {
                list = cc.body();
            } else {
                return false;
            }
            if (!endsLoop(scan, list, false, label)) {
                return false;
            }
        }
        return hasDefault || !needsDefault;
    }

    /** panic, os.Exit, log.Fatal*, t.Fatal*, and the file's helpers ending in one: calls that do not come back. */
    static boolean exits(FileScan scan, Expr.Call c) {
        if (c.fun() instanceof Expr.Ident id && (id.name().equals("panic") || scan.fatalHelpers().contains(id.name()))) {
            return true;
        }
        // t.Fatal, b.FailNow, t.Skip: testing's methods that end the goroutine (and log.Logger's Fatal)
        if (c.fun() instanceof Expr.Selector s && s.x() instanceof Expr.Ident && scan.qualified(s) == null
                && s.sel().name().matches("Fatal|Fatalf|Fatalln|FailNow|Skip|Skipf|SkipNow")) {
            return true;
        }
        String callee = scan.callee(c);
        return callee != null && (callee.equals("os.Exit") || callee.equals("log.Fatal")
                || callee.equals("log.Fatalf") || callee.equals("log.Fatalln"));
    }

    /**
     * True when every path from {@code node} (a statement or an expression in one, inside the loop
     * at {@code ancestors[loopIndex]}) leaves the function or the loop before the next iteration: the
     * statement holding it or one after it, in its list or an enclosing one up to the loop body, always returns,
     * panics, exits or breaks the loop, and nothing before that continues or jumps. What runs there
     * runs at most once per entry into the loop.
     */
    public static boolean leavesRightAfter(FileScan scan, Node node, List<Node> ancestors, int loopIndex,
                                           String label) {
        Node child = node;
        for (int i = ancestors.size() - 1; i > loopIndex; i--) {
            Node a = ancestors.get(i);
            List<Stmt> list = switch (a) {
                case Stmt.Block b -> b.stmts();
                case Stmt.CaseClause c -> c.body();
                case Stmt.CommClause c -> c.comm() == child ? null : c.body();
                default -> null;
            };
            if (list != null) {
                boolean breakLeaves = breakLeavesLoop(ancestors, loopIndex, i);
                // the statement holding the node counts too (a return of the call), not the node itself
                int from = SyntaxPath.indexOf(list, child) + (child == node ? 1 : 0);
                for (int j = from; j < list.size(); j++) {
                    Stmt s = list.get(j);
                    if (endsLoop(scan, s, breakLeaves, label)) {
                        return true;
                    }
                    if (jumps(s)) {
                        return false;
                    }
                }
            }
            child = a;
        }
        return false;
    }

    /** No switch or select between the loop and the list at {@code index}: a plain break leaves the loop. */
    private static boolean breakLeavesLoop(List<Node> ancestors, int loopIndex, int index) {
        for (int k = loopIndex + 1; k <= index; k++) {
            Node n = ancestors.get(k);
            if (n instanceof Stmt.Switch || n instanceof Stmt.TypeSwitch || n instanceof Stmt.Select) {
                return false;
            }
        }
        return true;
    }

    /** A branch statement anywhere in it (outside function literals): the path may go elsewhere. */
    private static boolean jumps(Stmt s) {
        boolean[] found = {false};
        Node.walk(s, n -> found[0] |= n instanceof Stmt.Branch b && !b.keyword().equals("fallthrough"));
        return found[0];
    }

    /**
     * The file's functions and local closures ({@code fatalf := func(...) {...}}) whose body ends
     * in a call that does not come back: a test's or a command's fatal helper.
     */
    static Set<String> fatalHelpers(FileScan scan) {
        Set<String> names = new HashSet<>();
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl f && f.receiver() == null && f.body() != null
                    && endsInExit(scan, f.body().stmts())) {
                names.add(f.name().name());
            }
            Node.walk(d, n -> {
                if (n instanceof Stmt.Assign a && a.op().equals(":=") && a.lhs().size() == 1 && a.rhs().size() == 1
                        && a.lhs().get(0) instanceof Expr.Ident id && a.rhs().get(0) instanceof Expr.FuncLit lit
                        && endsInExit(scan, lit.body().stmts())) {
                    names.add(id.name());
                }
            });
        }
        return names;
    }

    private static boolean endsInExit(FileScan scan, List<Stmt> stmts) {
        return !stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof Stmt.ExprStmt e
                && e.x() instanceof Expr.Call c && exits(scan, c);
    }

    /**
     * True when something in the statement continues the loop: an unlabeled {@code continue} not in
     * an inner loop (where {@code own}), or a {@code continue label}.
     */
    private static boolean continues(Node n, String label, boolean own) {
        if (n instanceof Stmt.Branch b && b.keyword().equals("continue")) {
            return b.label() == null ? own : b.label().name().equals(label);
        }
        if (n instanceof Expr.FuncLit) {
            return false;
        }
        boolean inner = own && !(n instanceof Stmt.For || n instanceof Stmt.Range);
        boolean[] found = {false};
        n.children(c -> found[0] |= continues(c, label, inner));
        return found[0];
    }

    /**
     * True when the expression has the same value on every iteration of the loop: it names nothing
     * the loop declares or assigns, and calls nothing but conversions to written types. Receives and
     * function literals are never invariant.
     */
    public static boolean invariant(FileScan scan, Expr e, Stmt loop) {
        Set<String> changed = changedIn(loop);
        boolean[] ok = {true};
        Node.walk(e, n -> {
            switch (n) {
                case Expr.Ident id when changed.contains(id.name()) -> ok[0] = false;
                case Expr.Call c when !isConversion(scan, c.fun()) -> ok[0] = false;
                case Expr.Unary u when u.op().equals("<-") -> ok[0] = false;
                case Expr.FuncLit f -> ok[0] = false;
                default -> {
                }
            }
        });
        return ok[0];
    }

    private static boolean isConversion(FileScan scan, Expr fun) {
        Expr f = fun;
        while (f instanceof Expr.Paren p) {
            f = p.x();
        }
        return switch (f) {
            case Expr.Star s -> true;
            case Expr.ArrayType a -> true;
            case Expr.MapType m -> true;
            case Expr.ChanType c -> true;
            case Expr.FuncType t -> true;
            case Expr.InterfaceType t -> true;
            case Expr.Ident id -> LocalTypes.BASIC.contains(id.name()) || scan.pkg().types().containsKey(id.name());
            default -> false;
        };
    }

    /**
     * Names the loop declares or assigns anywhere in it (its header included): range and init
     * variables, {@code :=}, var, the roots of assigned or incremented expressions
     * ({@code a.b[i] = x} assigns {@code a}), and anything whose address is taken.
     */
    public static Set<String> changedIn(Stmt loop) {
        Set<String> names = new HashSet<>();
        Node.walk(loop, n -> {
            switch (n) {
                case Stmt.Assign a -> a.lhs().forEach(l -> addRoot(names, l));
                case Stmt.IncDec i -> addRoot(names, i.x());
                case Stmt.Range r -> {
                    addRoot(names, r.key());
                    addRoot(names, r.value());
                }
                case Decl.ValueSpec v -> v.names().forEach(id -> names.add(id.name()));
                case Expr.Unary u when u.op().equals("&") -> addRoot(names, u.x());
                default -> {
                }
            }
        });
        return names;
    }

    /** The variable at the root of an assignable expression: {@code a} of {@code a.b[i]} or {@code *a}. */
    public static Expr.Ident root(Expr e) {
        Expr x = e;
        while (true) {
            switch (x) {
                case Expr.Selector s -> x = s.x();
                case Expr.Index i -> x = i.x();
                case Expr.Star s -> x = s.x();
                case Expr.Paren p -> x = p.x();
                case Expr.Slice s -> x = s.x();
                case Expr.Ident id -> {
                    return id;
                }
                case null, default -> {
                    return null;
                }
            }
        }
    }

    private static void addRoot(Set<String> names, Expr e) {
        Expr.Ident id = root(e);
        if (id != null) {
            names.add(id.name());
        }
    }
}
