package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;


/**
 * A goroutine (a {@code go func(){...}()}) that can never end: it waits in {@code select {}}, or
 * loops forever receiving with no way out of the loop (no return, no break, no ctx.Done() case,
 * no receive that tests for a closed channel), or waits on a channel of its function that nothing
 * sends on or closes. Not in main and init of package main, whose goroutines are meant to live as
 * long as the process, nor in tests (on Go's source and four projects, every goroutine a test
 * blocks for good does so on purpose: a deadlock or leak detector under test).
 */
public final class GoroutineBlocksForeverCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.goroutine-blocks-forever", "goroutines.leak.select",
            Severity.WARNING, "select {} or an endless receive loop in a goroutine with no way out");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        if (scan.file().path().endsWith("_test.go")) {
            return; // a test's blocked goroutine ends with the test binary, and is often the point
        }
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl fn && fn.body() != null && !RangeUnclosedChannelCheck.runsOnce(scan, fn)) {
                SyntaxPath.walk(fn, (node, ancestors) -> {
                    if (node instanceof Stmt.Go go && go.call().fun() instanceof Expr.FuncLit lit) {
                        check(scan, fn, go, lit);
                    }
                });
            }
        }
    }

    private static void check(FileScan scan, Decl.FuncDecl fn, Stmt.Go go, Expr.FuncLit lit) {
        int started = scan.file().line(go.pos());
        Node[] found = {null};
        String[] why = {null};
        SyntaxPath.walk(lit.body(), (n, ancestors) -> {
            if (found[0] != null || ancestors.stream().anyMatch(a -> a instanceof Expr.FuncLit)) {
                return;
            }
            if (n instanceof Stmt.Select s && s.body().stmts().isEmpty()) {
                found[0] = s;
                why[0] = "select {} at line " + scan.file().line(s.pos()) + " blocks the goroutine started at line "
                        + started + " forever";
            } else if (n instanceof Stmt.For f && f.init() == null && f.cond() == null && f.post() == null
                    && receivesOnlyLocal(f.body(), fn, lit) && !hasWayOut(f)) {
                found[0] = f;
                why[0] = "the loop at line " + scan.file().line(f.pos()) + " in the goroutine started at line "
                        + started + " waits on channels with no way out (no return, break or ctx.Done() case), "
                        + "so the goroutine never ends";
            } else if (n instanceof Stmt.ExprStmt e && !(ancestors.get(ancestors.size() - 1) instanceof Stmt.CommClause)
                    && Names.unparen(e.x()) instanceof Expr.Unary u && u.op().equals("<-")
                    && Names.unparen(u.x()) instanceof Expr.Ident ch && neverSignalled(fn, ch.name())) {
                found[0] = e;
                why[0] = "the receive from " + ch.name() + " at line " + scan.file().line(e.pos())
                        + " in the goroutine started at line " + started + " waits forever: nothing sends on "
                        + ch.name() + " or closes it";
            }
        });
        if (found[0] != null) {
            scan.report(found[0], go, why[0]);
        }
    }

    /**
     * Whether the loop body waits on channels (a receive outside a select, or in one without a
     * default), each one a variable of the functions around the goroutine: a goroutine of one call.
     * A package variable or a field is a channel of a longer-lived owner (a daemon meant to run as
     * long as the process or the object): not judged.
     */
    private static boolean receivesOnlyLocal(Stmt.Block body, Decl.FuncDecl fn, Expr.FuncLit lit) {
        boolean[] waits = {false};
        boolean[] local = {true};
        SyntaxPath.walk(body, (n, ancestors) -> {
            if (n instanceof Expr.Unary u && u.op().equals("<-")
                    && ancestors.stream().noneMatch(a -> a instanceof Expr.FuncLit || (a instanceof Stmt.Select s
                    && s.body().stmts().stream().anyMatch(c -> c instanceof Stmt.CommClause cc && cc.isDefault())))) {
                waits[0] = true;
                Expr x = Names.unparen(u.x());
                while (x instanceof Expr.Selector sel) {
                    x = Names.unparen(sel.x()); // t.C of a local ticker
                }
                local[0] &= x instanceof Expr.Ident id && declaredAround(fn, lit, id.name());
            }
        });
        return waits[0] && local[0];
    }

    /** Declared by the goroutine's literal, or by the function around it other than as its receiver. */
    private static boolean declaredAround(Decl.FuncDecl fn, Expr.FuncLit lit, String name) {
        if (Names.declares(lit, name)) {
            return true;
        }
        boolean[] found = {false};
        SyntaxPath.walk(fn, (n, ancestors) -> {
            if (n instanceof Expr.FuncLit f && f != lit && Names.declares(f, name)) {
                found[0] = true;
            }
        });
        boolean receiver = fn.receiver() != null && fn.receiver().names().stream().anyMatch(r -> r.name().equals(name));
        return found[0] || (!receiver && Names.declares(fn, name));
    }

    /**
     * Whether the endless loop can end: a return, a break or goto leaving it, a call that never
     * returns, a receive on a Done() channel or one with the ok form that sees a close.
     */
    private static boolean hasWayOut(Stmt.For loop) {
        boolean[] out = {false};
        SyntaxPath.walk(loop.body(), (n, ancestors) -> {
            if (out[0] || ancestors.stream().anyMatch(a -> a instanceof Expr.FuncLit)) {
                return;
            }
            switch (n) {
                case Stmt.Return r -> out[0] = true;
                case Stmt.Branch b when b.keyword().equals("goto") -> out[0] = true;
                case Stmt.Branch b when b.keyword().equals("break") -> out[0] = b.label() != null
                        || ancestors.stream().noneMatch(a -> a instanceof Stmt.For || a instanceof Stmt.Range
                        || a instanceof Stmt.Switch || a instanceof Stmt.TypeSwitch || a instanceof Stmt.Select);
                case Stmt.ExprStmt e when Paths.neverReturns(e.x()) -> out[0] = true;
                case Stmt.Assign a when a.lhs().size() == 2 && a.rhs().size() == 1
                        && Names.unparen(a.rhs().get(0)) instanceof Expr.Unary u && u.op().equals("<-") -> out[0] = true;
                case Expr.Call c when c.fun() instanceof Expr.Selector s && s.sel().name().equals("Done")
                        && c.args().isEmpty() -> out[0] = true;
                default -> {
                }
            }
        });
        return out[0];
    }

    /** A channel the function makes whose only uses are receives: nobody can ever send on it or close it. */
    private static boolean neverSignalled(Decl.FuncDecl fn, String name) {
        Channels.Made[] made = {null};
        int[] count = {0};
        SyntaxPath.walk(fn, (n, ancestors) -> {
            Channels.Made m = Channels.made(n, ancestors);
            if (m != null && m.name().equals(name)) {
                made[0] = m;
                count[0]++;
            }
        });
        if (count[0] != 1) {
            return false;
        }
        for (Channels.Use use : Channels.uses(fn, name)) {
            boolean ok = switch (use.kind()) {
                case RECEIVE, LEN, NIL_TEST -> true;
                case ASSIGNED -> made[0].defines(use.ref());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
