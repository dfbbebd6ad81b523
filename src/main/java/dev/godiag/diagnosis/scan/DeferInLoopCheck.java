package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code defer} directly in a loop of the same function: each iteration adds a deferred call that
 * runs only when the function returns (through the runtime, not open-coded), holding what it
 * releases until then. A defer in a function literal called per iteration is the fix, not the
 * problem; a defer on a path that leaves the loop or the function right after (return, panic,
 * break) runs at most once and is not reported. Nor is a defer meant to hold each iteration's
 * resource until the function ends: the resource (or a value made from it) is kept beyond the
 * iteration, appended to or stored in a variable from outside the loop, or the function waits
 * (a receive, Wait, select {}) right after the loop before it returns.
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
                if (Loops.exempt(scan, loop, label) || Loops.leavesRightAfter(scan, defer, ancestors, at, label)
                        || underOnceGuard(ancestors, at) || inOneShotCase(scan, ancestors, at)
                        || keptBeyondIteration(scan, defer, loop) || waitsAfter(loop, ancestors, at)) {
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

    /**
     * True when what the deferred call releases outlives the iteration on purpose: the call's
     * receiver ({@code block} of {@code block.Close()}), or for a cancel function the names defined
     * with it ({@code ctx} of {@code ctx, cancel := ...}) and what calls make from those, reach a
     * variable declared outside the loop as a value (appended to it, or stored in one of its elements
     * or fields: {@code blocks = append(blocks, block)}, {@code streams[i] = stream}). Data read
     * through the resource ({@code line := f.readLine()}) is not the resource and does not count.
     */
    private static boolean keptBeyondIteration(FileScan scan, Stmt.Defer defer, Stmt loop) {
        Set<String> tied = new HashSet<>();
        Expr fun = Names.unparen(defer.call().fun());
        Expr.Ident root = Loops.root(fun);
        if (root == null) {
            return false;
        }
        boolean packageFunction = fun instanceof Expr.Selector && scan.importPath(root) != null;
        if (packageFunction) {
            defer.call().args().forEach(a -> valuesIn(a, false, tied)); // os.Remove(name): the argument
        } else {
            tied.add(root.name());
        }
        boolean cancelFunc = fun instanceof Expr.Ident; // what is made with its context lives with it
        Set<String> local = declaredIn(loop);
        tied.retainAll(local);
        if (tied.isEmpty()) {
            return false;
        }
        List<Stmt.Assign> assigns = new ArrayList<>();
        Node.walk(Loops.body(loop), n -> {
            if (n instanceof Stmt.Assign a && (a.op().equals(":=") || a.op().equals("="))) {
                assigns.add(a);
            }
        });
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Stmt.Assign a : assigns) {
                Set<String> lhs = new HashSet<>();
                a.lhs().forEach(l -> valuesIn(Loops.root(l), false, lhs));
                Set<String> rhs = new HashSet<>();
                a.rhs().forEach(r -> valuesIn(r, cancelFunc, rhs));
                boolean fromTied = rhs.stream().anyMatch(tied::contains);
                boolean definesTied = cancelFunc && a.op().equals(":=") && lhs.stream().anyMatch(tied::contains);
                if (fromTied) {
                    for (Expr l : a.lhs()) {
                        Expr.Ident r = Loops.root(l);
                        if (r != null && !local.contains(r.name()) && !r.name().equals("_")
                                && (!(l instanceof Expr.Ident) || appends(a))) {
                            return true;
                        }
                    }
                }
                if (fromTied || definesTied) {
                    for (String name : lhs) {
                        if (local.contains(name) && tied.add(name)) {
                            grew = true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /**
     * The names an expression's value holds itself: an identifier, through parentheses, {@code &},
     * composite literals and append's arguments, and through other calls' arguments only when
     * {@code throughCalls}. Not a selector's or index's base: {@code f.name}, {@code f.Read()} and
     * {@code a[i]} are data taken from {@code f} or {@code a}.
     */
    private static void valuesIn(Expr e, boolean throughCalls, Set<String> into) {
        switch (e) {
            case Expr.Ident id -> into.add(id.name());
            case Expr.Paren p -> valuesIn(p.x(), throughCalls, into);
            case Expr.Unary u when u.op().equals("&") -> valuesIn(u.x(), throughCalls, into);
            case Expr.CompositeLit c -> c.elements().forEach(x -> valuesIn(x, throughCalls, into));
            case Expr.KeyValue kv -> valuesIn(kv.value(), throughCalls, into);
            case Expr.Call c when throughCalls || c.fun() instanceof Expr.Ident id && id.name().equals("append") ->
                    c.args().forEach(x -> valuesIn(x, throughCalls, into));
            case null, default -> {
            }
        }
    }

    /** {@code x = append(x, ...)}. */
    private static boolean appends(Stmt.Assign a) {
        return a.rhs().size() == 1 && Names.unparen(a.rhs().get(0)) instanceof Expr.Call c
                && c.fun() instanceof Expr.Ident id && id.name().equals("append");
    }

    /** The names the loop declares: its own and inner loops' range and init variables, := and var. */
    private static Set<String> declaredIn(Stmt loop) {
        Set<String> names = new HashSet<>();
        Node.walk(loop, n -> {
            switch (n) {
                case Stmt.Assign a when a.op().equals(":=") -> a.lhs().forEach(l -> valuesIn(l, false, names));
                case Stmt.Range r when ":=".equals(r.op()) -> {
                    valuesIn(r.key(), false, names);
                    valuesIn(r.value(), false, names);
                }
                case Decl.ValueSpec v -> v.names().forEach(id -> names.add(id.name()));
                default -> {
                }
            }
        });
        return names;
    }

    /**
     * True when the loop is a statement of the function's body whose last statement, after the
     * loop, waits: {@code <-ch}, {@code x.Wait()}, {@code select {}}. The loop gathers what the
     * function holds open until then (a test server's accepted connections).
     */
    private static boolean waitsAfter(Stmt loop, List<Node> ancestors, int loopIndex) {
        Stmt.Block body = Names.body(SyntaxPath.enclosingFunction(ancestors));
        boolean labeled = loopIndex > 0 && ancestors.get(loopIndex - 1) instanceof Stmt.Labeled;
        int parent = loopIndex - (labeled ? 2 : 1);
        if (body == null || parent < 0 || ancestors.get(parent) != body) {
            return false;
        }
        Node holder = labeled ? ancestors.get(loopIndex - 1) : loop;
        int at = SyntaxPath.indexOf(body.stmts(), holder);
        Stmt last = body.stmts().get(body.stmts().size() - 1);
        return at >= 0 && at < body.stmts().size() - 1 && switch (last) {
            case Stmt.ExprStmt e when e.x() instanceof Expr.Unary u -> u.op().equals("<-");
            case Stmt.ExprStmt e when e.x() instanceof Expr.Call c -> c.args().isEmpty()
                    && c.fun() instanceof Expr.Selector sel && sel.sel().name().equals("Wait");
            case Stmt.Select sel -> sel.body().stmts().isEmpty();
            default -> false;
        };
    }
}
