package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * Tickers and timers nobody stops. A time.NewTicker kept in a local that is never stopped (and not
 * handed to other code, which might stop it); a time.NewTimer never stopped whose channel a select
 * waits on beside other cases, so it can be abandoned pending; a time.Tick in code that can end
 * (a function that returns, or a loop making one per iteration), outside package main and tests,
 * where it is meant to live as long as the process. Before Go 1.23 such a ticker (or pending timer)
 * is never freed; since Go 1.23 (for a go.mod go line of 1.23 or later, always from Go 1.27) an
 * unreferenced one is collected, so what remains is a ticker firing as long as it is referenced.
 */
public final class TickerNotStopped implements SourceCheck {
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
        boolean tickAllowed = scan.file().packageName().name().equals("main")
                || scan.file().path().endsWith("_test.go");
        for (Decl d : scan.file().decls()) {
            if (!(d instanceof Decl.FuncDecl fn) || fn.body() == null) {
                continue;
            }
            SyntaxPath.walk(fn, (node, ancestors) -> {
                if (!(node instanceof Expr.Call call)) {
                    return;
                }
                String callee = scan.callee(call);
                if ("time.NewTicker".equals(callee) || "time.NewTimer".equals(callee)) {
                    checkNew(scan, fn, call, callee.equals("time.NewTicker"), ancestors);
                } else if ("time.Tick".equals(callee) && !tickAllowed
                        && !(fn.receiver() == null && fn.name().name().equals("init"))) {
                    checkTick(scan, call, ancestors);
                }
            });
        }
    }

    private static void checkNew(FileScan scan, Decl.FuncDecl fn, Expr.Call call, boolean ticker, List<Node> ancestors) {
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
        boolean abandonable = false;
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
                    abandonable |= inSelectWithOtherCases(ref);
                }
                default -> {
                    return;
                }
            }
        }
        int line = scan.file().line(call.pos());
        if (ticker) {
            scan.report(call, def.stmt(), "the ticker " + t + " from time.NewTicker at line " + line
                    + " is never stopped: it fires for as long as it is referenced, and " + BEFORE_123
                    + "; add defer " + t + ".Stop()");
        } else if (abandonable) {
            scan.report(call, def.stmt(), "the timer " + t + " from time.NewTimer at line " + line
                    + " is never stopped: when the select takes another case it stays pending until it fires, and "
                    + BEFORE_123 + "; add defer " + t + ".Stop()");
        }
    }

    /** t.C received from: {@code <-t.C} or {@code range t.C}. */
    private static boolean isReceived(Expr.Selector c, Node parent) {
        return (parent instanceof Expr.Unary u && u.op().equals("<-") && u.x() == c)
                || (parent instanceof Stmt.Range r && r.x() == c);
    }

    /** Whether the reference is in the case of a select that has other cases (a default included). */
    private static boolean inSelectWithOtherCases(Names.Ref ref) {
        List<Node> a = ref.ancestors();
        for (int i = a.size() - 1; i >= 2; i--) {
            if (a.get(i) instanceof Stmt.CommClause clause && clause.comm() != null
                    && (i + 1 < a.size() ? a.get(i + 1) == clause.comm() : false)) {
                return a.get(i - 2) instanceof Stmt.Select sel && sel.body().stmts().size() > 1;
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
}
