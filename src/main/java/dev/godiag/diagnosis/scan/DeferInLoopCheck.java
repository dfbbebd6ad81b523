package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * {@code defer} directly in a loop of the same function: each iteration adds a deferred call that
 * runs only when the function returns (through the runtime, not open-coded), holding what it
 * releases until then. A defer in a function literal called per iteration is the fix, not the
 * problem; a defer on a path that leaves the loop or the function right after (return, panic,
 * break) runs at most once and is not reported.
 */
public final class DeferInLoopCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.defer-in-loop", "code.defer-hot",
            Severity.WARNING, "defer directly in a loop body, run only when the function returns");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (!(node instanceof Stmt.Defer defer)) {
                    return;
                }
                Stmt loop = SyntaxPath.enclosingLoop(defer, ancestors);
                if (loop == null) {
                    return;
                }
                int at = SyntaxPath.indexOf(ancestors, loop);
                String label = Loops.label(ancestors.subList(0, at));
                if (Loops.exempt(scan, loop, label) || leavesRightAfter(scan, defer, ancestors, at, label)
                        || underOnceGuard(ancestors, at) || inOneShotCase(scan, ancestors, at)) {
                    return;
                }
                String call = SourceText.show(defer.call().fun());
                String shown = call == null ? "" : call + (defer.call().args().isEmpty() ? "()" : "(…)") + " ";
                scan.report(defer, loop, "defer " + shown + "in the loop at line " + scan.file().line(loop.pos())
                        + " runs only when " + functionName(ancestors) + " returns, so each iteration that reaches it"
                        + " stacks another deferred call and holds what it releases until then; move the loop body"
                        + " into a function of its own");
            });
        }
    }

    private static String functionName(List<Node> ancestors) {
        Node fn = SyntaxPath.enclosingFunction(ancestors);
        return fn instanceof Decl.FuncDecl d ? SyntaxPath.functionName(d) : "the function literal";
    }

    /**
     * True when every path from the defer leaves the function or the loop before the next
     * iteration: a statement after it, in its list or an enclosing one up to the loop body, always
     * returns, panics or breaks the loop, and nothing before that continues or jumps.
     */
    private static boolean leavesRightAfter(FileScan scan, Stmt.Defer defer, List<Node> ancestors, int loopIndex,
                                            String label) {
        Node child = defer;
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
                for (int j = SyntaxPath.indexOf(list, child) + 1; j < list.size(); j++) {
                    Stmt s = list.get(j);
                    if (Loops.endsLoop(scan, s, breakLeaves, label)) {
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

    /**
     * True when the defer sits in a lazy initialisation inside the loop, {@code if x == nil { x = ...; defer ... }}
     * or {@code if !done { done = true; defer ... }}: the guard lets it run once per call, not per iteration.
     */
    private static boolean underOnceGuard(List<Node> ancestors, int loopIndex) {
        for (int i = loopIndex + 1; i < ancestors.size(); i++) {
            if (!(ancestors.get(i) instanceof Stmt.If guard)) {
                continue;
            }
            String guarded = switch (guard.cond()) {
                case Expr.Binary b when b.op().equals("==") && b.y() instanceof Expr.Ident nil
                        && nil.name().equals("nil") -> SourceText.show(b.x());
                case Expr.Unary u when u.op().equals("!") -> SourceText.show(u.x());
                case null, default -> null;
            };
            if (guarded != null && guard.then().stmts().stream().anyMatch(st -> st instanceof Stmt.Assign a
                    && a.lhs().stream().anyMatch(l -> guarded.equals(SourceText.show(l))))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the defer sits in a select case receiving from a timer's channel ({@code <-t.C} of a
     * {@code t := time.NewTimer(...)}): a timer fires once,
     * so the case, and the defer, run at most once per call (net.dialParallel's fallback racer).
     */
    private static boolean inOneShotCase(FileScan scan, List<Node> ancestors, int loopIndex) {
        for (int i = loopIndex + 1; i < ancestors.size(); i++) {
            if (!(ancestors.get(i) instanceof Stmt.CommClause c) || c.comm() == null) {
                continue;
            }
            Expr received = switch (c.comm()) {
                case Stmt.ExprStmt e -> e.x();
                case Stmt.Assign a when a.rhs().size() == 1 -> a.rhs().get(0);
                default -> null;
            };
            if (received instanceof Expr.Unary u && u.op().equals("<-")
                    && u.x() instanceof Expr.Selector sel && sel.sel().name().equals("C")
                    && sel.x() instanceof Expr.Ident timer && madeByNewTimer(scan, ancestors, timer.name())) {
                return true;
            }
        }
        return false;
    }

    /** The function around declares {@code name := time.NewTimer(...)} (a timer, not a ticker). */
    private static boolean madeByNewTimer(FileScan scan, List<Node> ancestors, String name) {
        Decl.FuncDecl fn = SyntaxPath.enclosingDecl(ancestors);
        if (fn == null) {
            return false;
        }
        boolean[] found = {false};
        Node.walk(fn, n -> {
            if (n instanceof Stmt.Assign a && a.op().equals(":=") && a.lhs().size() == 1 && a.rhs().size() == 1
                    && a.lhs().get(0) instanceof Expr.Ident id && id.name().equals(name)
                    && a.rhs().get(0) instanceof Expr.Call call && "time.NewTimer".equals(scan.callee(call))) {
                found[0] = true;
            }
        });
        return found[0];
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
}
