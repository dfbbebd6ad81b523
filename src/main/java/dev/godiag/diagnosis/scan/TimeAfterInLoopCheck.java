package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * {@code time.After} in a select case, or a {@code time.NewTimer} made per iteration and never
 * stopped, in a loop that goes on while the timer is pending: every iteration that another case
 * wins leaves a live timer behind (until it fires before Go 1.23) and adds one to the timer heap.
 * A select whose other cases all leave the loop is a one-timer wait per iteration, like a sleep,
 * and is not reported; neither is a bare {@code <-time.After(d)}, which always fires.
 */
public final class TimeAfterInLoopCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.time-after-in-loop", "code.time-after-loop",
            Severity.WARNING, "time.After in a select, or an unstopped time.NewTimer, on every iteration of a loop");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        if (!scan.imports("time")) {
            return;
        }
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (node instanceof Expr.Call call) {
                    String callee = scan.callee(call);
                    if ("time.After".equals(callee)) {
                        after(scan, call, ancestors);
                    } else if ("time.NewTimer".equals(callee)) {
                        newTimer(scan, call, ancestors);
                    }
                }
            });
        }
    }

    /** time.After as the receive of a select case, in a loop another case of that select continues. */
    private static void after(FileScan scan, Expr.Call call, List<Node> ancestors) {
        int n = ancestors.size();
        // case <-time.After(d):  or  case v := <-time.After(d):
        if (n < 3 || !(ancestors.get(n - 1) instanceof Expr.Unary u && u.op().equals("<-"))) {
            return;
        }
        Node comm = ancestors.get(n - 2);
        if (n < 5 || !(comm instanceof Stmt.ExprStmt || comm instanceof Stmt.Assign)
                || !(ancestors.get(n - 3) instanceof Stmt.CommClause clause) || clause.comm() != comm
                || !(ancestors.get(n - 5) instanceof Stmt.Select select)) {
            return;
        }
        Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
        if (loop == null) {
            return;
        }
        List<Node> loopAncestors = ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop));
        String label = Loops.label(loopAncestors);
        if (Loops.exempt(scan, loop, label)) {
            return;
        }
        Stmt.CommClause going = otherCaseGoingOn(scan, select, clause, label);
        if (going == null) {
            return;
        }
        scan.report(call, loop, "time.After in this select makes a new timer on every iteration of the loop at line "
                + scan.file().line(loop.pos()) + ", and the iterations that " + describe(scan, going)
                + " leave it pending; make one timer before the loop and Reset it");
    }

    /** A case of the select other than {@code timerCase} after which the loop goes on, or null. */
    private static Stmt.CommClause otherCaseGoingOn(FileScan scan, Stmt.Select select, Stmt.CommClause timerCase,
                                                    String label) {
        for (Stmt s : select.body().stmts()) {
            if (s != timerCase && s instanceof Stmt.CommClause other && !Loops.endsLoop(scan, other.body(), false, label)) {
                return other;
            }
        }
        return null;
    }

    private static String describe(FileScan scan, Stmt.CommClause c) {
        return c.isDefault() ? "take the default case" : "take the case at line " + scan.file().line(c.pos());
    }

    /** t := time.NewTimer(d) in a loop that can iterate again, with no t.Stop() in the loop. */
    private static void newTimer(FileScan scan, Expr.Call call, List<Node> ancestors) {
        int n = ancestors.size();
        if (n < 1 || !(ancestors.get(n - 1) instanceof Stmt.Assign a) || a.lhs().size() != 1 || a.rhs().size() != 1
                || !(a.lhs().get(0) instanceof Expr.Ident timer)) {
            return;
        }
        Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
        if (loop == null || Loops.exempt(scan, loop, Loops.label(ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop))))) {
            return;
        }
        boolean[] stoppedOrKept = {false};
        Node.walk(Loops.body(loop), x -> {
            // t.Stop() or t.Reset(...) handles it; handing t on (a field, a slice, a call) is not ours to judge
            if (x instanceof Expr.Call c && c.fun() instanceof Expr.Selector s && s.x() instanceof Expr.Ident id
                    && id.name().equals(timer.name()) && (s.sel().name().equals("Stop") || s.sel().name().equals("Reset"))) {
                stoppedOrKept[0] = true;
            }
            if (x instanceof Expr.Call c && c.args().stream().anyMatch(arg -> arg instanceof Expr.Ident id
                    && id.name().equals(timer.name()))) {
                stoppedOrKept[0] = true;
            }
            if (x instanceof Stmt.Assign as && as != a && as.rhs().stream().anyMatch(r -> r instanceof Expr.Ident id
                    && id.name().equals(timer.name()))) {
                stoppedOrKept[0] = true;
            }
            if (x instanceof Stmt.Defer) {
                stoppedOrKept[0] = true; // a deferred Stop is another check's business (defer in a loop)
            }
        });
        if (stoppedOrKept[0]) {
            return;
        }
        // only a timer a select may abandon: <-t.C alone always waits for it to fire
        String label = Loops.label(ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop)));
        // a select of an inner loop waits on the same timer across that loop's iterations: not a new one
        Stmt.CommClause[] going = {null};
        SyntaxPath.walk(Loops.body(loop), (x, inner) -> {
            if (x instanceof Stmt.Select sel && inner.stream().noneMatch(
                    i -> i instanceof Stmt.For || i instanceof Stmt.Range || i instanceof Expr.FuncLit)) {
                for (Stmt s : sel.body().stmts()) {
                    if (s instanceof Stmt.CommClause cc && receivesFrom(cc, timer.name())) {
                        Stmt.CommClause other = otherCaseGoingOn(scan, sel, cc, label);
                        going[0] = going[0] == null ? other : going[0];
                    }
                }
            }
        });
        if (going[0] == null) {
            return;
        }
        scan.report(call, loop, "time.NewTimer makes a new timer on every iteration of the loop at line "
                + scan.file().line(loop.pos()) + " and " + timer.name() + " is never stopped, so the iterations that "
                + describe(scan, going[0]) + " leave it pending; make one timer before the loop and Reset it");
    }

    /** case <-t.C: or case v := <-t.C: */
    private static boolean receivesFrom(Stmt.CommClause cc, String timer) {
        Expr received = switch (cc.comm()) {
            case Stmt.ExprStmt e -> e.x();
            case Stmt.Assign a when a.rhs().size() == 1 -> a.rhs().get(0);
            case null, default -> null;
        };
        return received instanceof Expr.Unary u && u.op().equals("<-") && u.x() instanceof Expr.Selector s
                && s.sel().name().equals("C") && s.x() instanceof Expr.Ident id && id.name().equals(timer);
    }
}
