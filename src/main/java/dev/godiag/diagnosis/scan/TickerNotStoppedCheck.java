package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * Tickers and timers nobody stops. A time.NewTicker kept in a local that is never stopped (and not
 * handed to other code, which might stop it): either the code receiving its ticks can end, leaving
 * it behind, or that code loops forever, a goroutine per call waking on every tick (in package main
 * such an endless loop lives as long as the process, as meant, unless the package starts its
 * function again and again, as per request; tests are left alone, their tickers end with the test). A time.NewTimer never
 * stopped whose channel a select waits on beside another receive, so it can be left pending. A
 * time.Tick in code that can end (a function that returns, or a loop making one per iteration),
 * outside package main and tests. Before Go 1.23 such a ticker (or pending timer) is never freed;
 * since Go 1.23 (for a main module whose go.mod says go 1.23 or later; always from Go 1.27, which
 * removed the asynctimerchan setting) an unreferenced one is collected, so what remains is a ticker
 * firing for as long as it is referenced.
 */
public final class TickerNotStoppedCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.ticker-not-stopped", "goroutines.leak.ticker",
            Severity.WARNING, "time.NewTicker/NewTimer never stopped, time.Tick in code that returns");
    private static final String BEFORE_123 = "before Go 1.23 (or for a go.mod go line below 1.23) it is never "
            + "freed; since then it is freed once unreferenced";

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        // commands and tests: their endless ticker loops live as long as the process, as meant;
        // a test's tickers and timers end with it
        boolean test = scan.file().path().endsWith("_test.go");
        boolean tickAllowed = scan.file().packageName().name().equals("main") || test;
        for (Decl d : scan.file().decls()) {
            if (!(d instanceof Decl.FuncDecl fn) || fn.body() == null) {
                continue;
            }
            SyntaxPath.walk(fn, (node, ancestors) -> {
                if (!(node instanceof Expr.Call call)) {
                    return;
                }
                String callee = scan.callee(call);
                if (("time.NewTicker".equals(callee) || "time.NewTimer".equals(callee)) && !test
                        && !RangeUnclosedChannelCheck.runsOnce(scan, fn)) {
                    boolean processLifetime = tickAllowed && !calledRepeatedly(scan.pkg(), fn);
                    checkNew(scan, fn, call, callee.equals("time.NewTicker"), processLifetime, ancestors);
                } else if ("time.Tick".equals(callee) && !tickAllowed
                        && !(fn.receiver() == null && fn.name().name().equals("init"))) {
                    checkTick(scan, call, ancestors);
                }
            });
        }
    }

    private static void checkNew(FileScan scan, Decl.FuncDecl fn, Expr.Call call, boolean ticker, boolean processLifetime,
                                 List<Node> ancestors) {
        Node parent = ancestors.get(ancestors.size() - 1);
        Names.Def def = Names.definition(parent, ancestors.subList(0, ancestors.size() - 1));
        if (def == null || def.lhs().size() != 1 || def.call() != call) {
            return; // returned, passed, stored in a field: someone else's to stop
        }
        String t = def.name(0);
        Node function = SyntaxPath.enclosingFunction(ancestors);
        if (t == null || t.equals("_") || !Names.declares(function, t)) {
            return;
        }
        if (!ticker && Names.unparen(call.args().get(0)) instanceof Expr.BasicLit lit
                && lit.kind() == Expr.LitKind.INT) {
            return; // a duration in nanoseconds written as a number: 0 or 1, fired at once
        }
        boolean abandonable = false;
        boolean received = false;
        for (Names.Ref ref : Names.refs(fn, t)) {
            Node p = ref.parent();
            if (ref.assigned()) {
                continue; // its definition, or a new ticker in the same variable
            }
            if (!(p instanceof Expr.Selector s && s.x() == ref.ident())) {
                return; // handed on: returned, passed, stored, compared
            }
            switch (s.sel().name()) {
                case "Stop" -> {
                    return;
                }
                case "Reset" -> {
                }
                case "C" -> {
                    if (!isReceived(s, ref.above(1))) {
                        return; // the channel handed on
                    }
                    received = true;
                    abandonable |= ticker ? receiverCanEnd(ref) : inSelectWithOtherReceive(ref);
                }
                default -> {
                    return;
                }
            }
        }
        int line = scan.file().line(call.pos());
        if (ticker && (abandonable || !received)) {
            scan.report(call, def.stmt(), "the ticker " + t + " from time.NewTicker at line " + line
                    + " is never stopped, though the code that receives its ticks can end: it fires for as long as "
                    + "it is referenced, and " + BEFORE_123 + "; add defer " + t + ".Stop()");
        } else if (ticker && !processLifetime) {
            scan.report(call, def.stmt(), "the ticker " + t + " from time.NewTicker at line " + line
                    + " is never stopped and the loop over its ticks has no way out: each call leaves a goroutine "
                    + "waking on every tick for good; give the loop an exit (ctx.Done()) and add defer " + t
                    + ".Stop()");
        } else if (!ticker && abandonable) {
            scan.report(call, def.stmt(), "the timer " + t + " from time.NewTimer at line " + line
                    + " is never stopped: when the select takes another case it stays pending until it fires, and "
                    + BEFORE_123 + "; add defer " + t + ".Stop()");
        }
    }

    /**
     * Whether the code receiving the ticks can stop receiving: a range over t.C with a way out of
     * it, or a receive in a function that can return. A ticker whose only receiver loops forever
     * lives as long as its goroutine, as meant.
     */
    private static boolean receiverCanEnd(Names.Ref ref) {
        if (ref.above(1) instanceof Stmt.Range r) {
            return loopExit(r) != null;
        }
        Node function = SyntaxPath.enclosingFunction(ref.ancestors());
        return function == null || Paths.anyExit(Names.body(function)) != null;
    }

    /** t.C received from: {@code <-t.C} or {@code range t.C}. */
    private static boolean isReceived(Expr.Selector c, Node parent) {
        return (parent instanceof Expr.Unary u && u.op().equals("<-") && u.x() == c)
                || (parent instanceof Stmt.Range r && r.x() == c);
    }

    /**
     * Whether the reference is in the case of a select that has another receiving case: a
     * channel that can be ready first and leave the timer pending (a default only polls it).
     */
    private static boolean inSelectWithOtherReceive(Names.Ref ref) {
        List<Node> a = ref.ancestors();
        for (int i = a.size() - 2; i >= 2; i--) {
            if (a.get(i) instanceof Stmt.CommClause clause && a.get(i + 1) == clause.comm()) {
                return a.get(i - 2) instanceof Stmt.Select sel && sel.body().stmts().stream()
                        .anyMatch(c -> c != clause && c instanceof Stmt.CommClause other && other.comm() != null
                                && !(other.comm() instanceof Stmt.Send));
            }
        }
        return false;
    }

    private static void checkTick(FileScan scan, Expr.Call call, List<Node> ancestors) {
        int line = scan.file().line(call.pos());
        Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
        if (loop != null) {
            scan.report(call, loop, "time.Tick at line " + line + " runs in a loop, so every iteration makes a "
                    + "ticker that is never stopped: " + BEFORE_123
                    + "; make one time.NewTicker before the loop and stop it with defer");
            return;
        }
        Node function = SyntaxPath.enclosingFunction(ancestors);
        Stmt stmt = statementOf(call, ancestors);
        if (stmt == null) {
            return;
        }
        int end;
        if (stmt instanceof Stmt.Range r && contains(r.x(), call)) {
            Node out = loopExit(r);
            if (out == null) {
                return; // ranges over the ticks for as long as the goroutine lives
            }
            end = scan.file().line(out.pos());
        } else {
            Paths.Exit exit = Paths.unusedExit(Names.body(function), stmt, n -> false, Paths.Guard.NONE);
            if (exit == null) {
                return; // an endless loop: the ticker lives as long as the goroutine, as meant
            }
            end = scan.file().line(exit.pos());
        }
        scan.report(call, stmt, "time.Tick at line " + line + " makes a ticker that can never be stopped, and the "
                + "function can end (line " + end + "): " + BEFORE_123
                + "; use time.NewTicker with defer Stop() in code that returns");
    }

    /** The statement of the function's own statement lists (a block's, a case's) that holds the node. */
    private static Stmt statementOf(Node node, List<Node> ancestors) {
        Node child = node;
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            Node a = ancestors.get(i);
            if (a instanceof Expr.FuncLit || a instanceof Decl.FuncDecl) {
                return null;
            }
            boolean listed = switch (a) {
                case Stmt.Block b -> b.stmts().contains(child);
                case Stmt.CaseClause c -> c.body().contains(child);
                case Stmt.CommClause c -> c.body().contains(child);
                default -> false;
            };
            if (listed) {
                return (Stmt) child;
            }
            child = a;
        }
        return null;
    }

    private static boolean contains(Node root, Node target) {
        boolean[] found = {false};
        Node.walk(root, n -> found[0] |= n == target);
        return found[0];
    }

    /** A return, or a break or goto that leaves the range loop, in its body; null when none. */
    private static Node loopExit(Stmt.Range r) {
        Node[] out = {null};
        SyntaxPath.walk(r.body(), (n, ancestors) -> {
            if (out[0] != null || ancestors.stream().anyMatch(a -> a instanceof Expr.FuncLit)) {
                return;
            }
            if (n instanceof Stmt.Return) {
                out[0] = n;
            } else if (n instanceof Stmt.Branch b && (b.keyword().equals("goto") || (b.keyword().equals("break")
                    && (b.label() != null || ancestors.stream().noneMatch(a -> a instanceof Stmt.For
                    || a instanceof Stmt.Range || a instanceof Stmt.Switch || a instanceof Stmt.TypeSwitch
                    || a instanceof Stmt.Select))))) {
                out[0] = n;
            }
        });
        return out[0];
    }

    /**
     * True when the package starts the function again and again, as per request: a call (or go
     * statement) in an endless or condition-only {@code for}, in a loop inside another loop, or in
     * a loop of a function that is itself called in a loop. A single loop over a list (a goroutine
     * per configured target, started once) is not. Calls are matched by name ({@code watch(...)},
     * {@code s.watch(...)}), without types.
     */
    static boolean calledRepeatedly(GoPackage pkg, Decl.FuncDecl fn) {
        return anyCall(pkg, fn, (call, ancestors) -> {
            Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
            if (loop == null) {
                return false;
            }
            Decl.FuncDecl caller = SyntaxPath.enclosingDecl(ancestors);
            return loop instanceof Stmt.For f && f.init() == null && f.post() == null
                    || SyntaxPath.enclosingLoop(loop, ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop))) != null
                    || caller != null && caller != fn
                    && anyCall(pkg, caller, (c, a) -> SyntaxPath.enclosingLoop(c, a) != null);
        });
    }

    /** Whether a call of the function in the package (main and init are never called) passes the test. */
    private static boolean anyCall(GoPackage pkg, Decl.FuncDecl fn, BiPredicate<Expr.Call, List<Node>> test) {
        String name = fn.name().name();
        if (fn.receiver() == null && (name.equals("main") || name.equals("init"))) {
            return false;
        }
        boolean[] found = {false};
        for (var file : pkg.files()) {
            for (Decl d : file.decls()) {
                SyntaxPath.walk(d, (node, ancestors) -> {
                    if (!found[0] && node instanceof Expr.Call c && (fn.receiver() == null
                            ? c.fun() instanceof Expr.Ident id && id.name().equals(name)
                            : c.fun() instanceof Expr.Selector sel && sel.sel().name().equals(name))
                            && test.test(c, ancestors)) {
                        found[0] = true;
                    }
                });
            }
        }
        return found[0];
    }
}
