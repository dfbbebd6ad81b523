package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * A goroutine ranging over a channel its function makes and never closes: once the senders are
 * done, the range waits forever. The goroutine is a function literal or a function of the package
 * given the channel; a channel handed to any other code (passed, returned, stored), which might
 * close it, is not followed. Not in main and init of package main, which run once.
 */
public final class RangeUnclosedChannelCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.range-unclosed-channel", "goroutines.leak.chan-receive",
            Severity.WARNING, "a goroutine ranging over a channel that nothing closes");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl fn && fn.body() != null && !runsOnce(scan, fn)) {
                SyntaxPath.walk(fn, (node, ancestors) -> {
                    Channels.Made made = Channels.made(node, ancestors);
                    if (made != null) {
                        check(scan, fn, made);
                    }
                });
            }
        }
    }

    /** main and init of package main, and every init: one goroutine for the process's life is no leak. */
    static boolean runsOnce(FileScan scan, Decl.FuncDecl fn) {
        String name = fn.name().name();
        return fn.receiver() == null && (name.equals("init")
                || (name.equals("main") && scan.file().packageName().name().equals("main")));
    }

    private static void check(FileScan scan, Decl.FuncDecl fn, Channels.Made made) {
        String ch = made.name();
        Node ranging = null;
        Stmt.Go started = null;
        for (Channels.Use use : Channels.uses(fn, ch)) {
            Names.Ref ref = use.ref();
            switch (use.kind()) {
                case SEND, RECEIVE, LEN, NIL_TEST -> {
                }
                case RANGE -> {
                    Stmt.Go go = goroutineOf(ref.ancestors());
                    if (go != null && ranging == null) {
                        ranging = ref.parent();
                        started = go;
                    }
                }
                case ARGUMENT -> {
                    Stmt.Go go = ref.above(1) instanceof Stmt.Go g && g.call() == ref.parent() ? g : null;
                    if (go == null || !rangesOnlyOver(scan, go.call(), ref.ident())) {
                        return; // passed to code that may close it
                    }
                    if (ranging == null) {
                        ranging = go;
                        started = go;
                    }
                }
                case ASSIGNED -> {
                    if (!made.defines(ref)) {
                        return;
                    }
                }
                default -> {
                    return; // closed, returned, stored, sent on: not this function's alone
                }
            }
        }
        if (ranging == null) {
            return;
        }
        scan.report(ranging, started, "the goroutine started at line " + scan.file().line(started.pos())
                + " ranges over " + ch + ", made at line " + scan.file().line(made.make().pos())
                + ", which is never closed: it waits forever once the senders are done; close " + ch
                + " after the last send");
    }

    /** The go statement whose function literal holds the node, the innermost literal being it. */
    static Stmt.Go goroutineOf(List<Node> ancestors) {
        for (int i = ancestors.size() - 1; i >= 2; i--) {
            if (ancestors.get(i) instanceof Expr.FuncLit lit) {
                return ancestors.get(i - 1) instanceof Expr.Call c && c.fun() == lit
                        && ancestors.get(i - 2) instanceof Stmt.Go g ? g : null;
            }
            if (ancestors.get(i) instanceof Decl.FuncDecl) {
                return null;
            }
        }
        return null;
    }

    /**
     * Whether {@code go f(..., ch, ...)} starts a function of the package whose parameter for the
     * channel is only ranged over, received from or tested: it closes it nowhere, passes it nowhere.
     */
    private static boolean rangesOnlyOver(FileScan scan, Expr.Call call, Expr.Ident arg) {
        if (!(call.fun() instanceof Expr.Ident name)) {
            return false;
        }
        Decl.FuncDecl target = scan.pkg().functions().get(name.name());
        if (target == null || target.body() == null || target.type().typeParams().size() > 0) {
            return false;
        }
        int index = call.args().indexOf(arg);
        String param = null;
        int k = 0;
        for (Field f : target.type().params()) {
            if (f.names().isEmpty()) {
                return false;
            }
            for (Expr.Ident n : f.names()) {
                if (k++ == index) {
                    param = n.name();
                }
            }
            if (f.type() instanceof Expr.Ellipsis) {
                return false;
            }
        }
        if (param == null) {
            return false;
        }
        boolean ranges = false;
        for (Channels.Use use : Channels.uses(target.body(), param)) {
            switch (use.kind()) {
                case RANGE -> ranges = true;
                case RECEIVE, LEN, NIL_TEST -> {
                }
                default -> {
                    return false;
                }
            }
        }
        return ranges;
    }
}
