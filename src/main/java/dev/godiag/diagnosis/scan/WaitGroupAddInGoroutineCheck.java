package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * {@code wg.Add} inside the goroutine it counts: {@code go func() { wg.Add(1); defer wg.Done() ... }()}.
 * The goroutine may not have run its Add when Wait is called, so Wait can return before it starts.
 * The goroutine counts itself when its body says Add and Done on the same WaitGroup, both as its own
 * statements (not in a branch), and it starts no goroutine of its own (an Add for goroutines it
 * starts is right; a Done in a branch is some other bookkeeping). wg must be a sync.WaitGroup: a local or
 * parameter declared so, a package variable, or a field declared so in the package.
 */
public final class WaitGroupAddInGoroutineCheck implements SourceCheck {
    private static final String WAIT_GROUP = "sync.WaitGroup";
    private static final CheckInfo INFO = new CheckInfo("scan.waitgroup-add-in-goroutine",
            "goroutines.waitgroup-add-in-goroutine", Severity.WARNING,
            "sync.WaitGroup.Add called inside the goroutine it counts");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl fn && fn.body() != null) {
                SyntaxPath.walk(fn, (node, ancestors) -> {
                    if (node instanceof Stmt.Go go && go.call().fun() instanceof Expr.FuncLit lit) {
                        check(scan, go, lit, ancestors);
                    }
                });
            }
        }
    }

    private static void check(FileScan scan, Stmt.Go go, Expr.FuncLit lit, List<Node> ancestors) {
        Expr.Call[] add = {null};
        boolean[] startsGoroutines = {false};
        Names.ownStatements(lit.body(), n -> startsGoroutines[0] |= n instanceof Stmt.Go);
        for (Stmt s : lit.body().stmts()) {
            if (add[0] == null && s instanceof Stmt.ExprStmt e && e.x() instanceof Expr.Call c
                    && c.fun() instanceof Expr.Selector sel && sel.sel().name().equals("Add") && c.args().size() == 1) {
                add[0] = c;
            }
        }
        if (add[0] == null || startsGoroutines[0]) {
            return;
        }
        Expr wg = ((Expr.Selector) add[0].fun()).x();
        String text = text(wg);
        if (text == null || !callsDone(lit, text) || !isWaitGroup(scan, wg, ancestors)) {
            return;
        }
        scan.report(add[0], go, text + ".Add at line " + scan.file().line(add[0].pos())
                + " runs inside the goroutine it counts, started at line " + scan.file().line(go.pos()) + ", so "
                + text + ".Wait() can return before the goroutine has run it; call " + text
                + ".Add before the go statement");
    }

    /** {@code wg} or {@code s.wg} as written, for comparing receivers; null for anything else. */
    private static String text(Expr e) {
        Expr x = Names.unparen(e);
        if (x instanceof Expr.Ident id) {
            return id.name();
        }
        if (x instanceof Expr.Selector s) {
            String base = text(s.x());
            return base == null ? null : base + "." + s.sel().name();
        }
        return null;
    }

    /** Whether the literal's body itself says Done: {@code defer wg.Done()} or {@code wg.Done()}, not in a branch. */
    private static boolean callsDone(Expr.FuncLit lit, String wg) {
        for (Stmt s : lit.body().stmts()) {
            Expr.Call c = s instanceof Stmt.Defer d ? d.call() : s instanceof Stmt.ExprStmt e && e.x() instanceof Expr.Call x ? x : null;
            if (c != null && c.args().isEmpty() && c.fun() instanceof Expr.Selector sel && sel.sel().name().equals("Done")
                    && wg.equals(text(sel.x()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWaitGroup(FileScan scan, Expr wg, List<Node> ancestors) {
        Expr x = Names.unparen(wg);
        if (x instanceof Expr.Ident id) {
            for (int i = ancestors.size() - 1; i >= 0; i--) {
                Node a = ancestors.get(i);
                if (!(a instanceof Expr.FuncLit) && !(a instanceof Decl.FuncDecl)) {
                    continue;
                }
                Expr type = Names.declaredType(a, id.name());
                if (type != null) {
                    return LocalTypes.isNamed(scan, type, WAIT_GROUP);
                }
                Expr init = initializer(a, id.name());
                if (init != null) {
                    return LocalTypes.isNewValue(scan, init, WAIT_GROUP);
                }
                if (Names.declares(a, id.name())) {
                    return false;
                }
            }
            return packageVariable(scan, id.name());
        }
        if (x instanceof Expr.Selector s) {
            return scan.pkg().fieldAlwaysOf(s.sel().name(), "sync", "WaitGroup");
        }
        return false;
    }

    /** The value a {@code :=} gives the name in the function's own statements, or null. */
    private static Expr initializer(Node function, String name) {
        Expr[] init = {null};
        Names.ownStatements(Names.body(function), n -> {
            if (n instanceof Stmt.Assign as && as.op().equals(":=") && as.lhs().size() == as.rhs().size()) {
                for (int k = 0; k < as.lhs().size(); k++) {
                    if (Names.isIdent(as.lhs().get(k), name)) {
                        init[0] = as.rhs().get(k);
                    }
                }
            }
        });
        return init[0];
    }

    private static boolean packageVariable(FileScan scan, String name) {
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.GenDecl g && g.keyword().equals("var")) {
                for (Decl.Spec s : g.specs()) {
                    if (s instanceof Decl.ValueSpec v && v.names().stream().anyMatch(n -> n.name().equals(name))) {
                        return v.type() != null ? LocalTypes.isNamed(scan, v.type(), WAIT_GROUP)
                                : v.values().size() == v.names().size()
                                && LocalTypes.isNewValue(scan, v.values().get(v.names().indexOf(
                                v.names().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow())), WAIT_GROUP);
                    }
                }
            }
        }
        return false;
    }

}
