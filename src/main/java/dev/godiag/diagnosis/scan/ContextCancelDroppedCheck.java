package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;
import java.util.Set;

/**
 * A cancel function of context.WithCancel, WithTimeout, WithDeadline (or their Cause variants)
 * that is discarded, or that some path of the function returns without using: the context and
 * its timer live until the parent is cancelled. The semantics of go vet's lostcancel: any
 * reference to the variable counts as a use (a defer, a call, passing or storing it); a variable
 * declared outside the function is not followed; main.main is exempt, since its return ends the
 * process.
 */
public final class ContextCancelDroppedCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.context-cancel-dropped", "goroutines.context-leak",
            Severity.WARNING, "the cancel function of context.WithCancel/WithTimeout/WithDeadline discarded or "
            + "not called on every path");
    private static final Set<String> WITH_CANCEL = Set.of("context.WithCancel", "context.WithCancelCause",
            "context.WithTimeout", "context.WithTimeoutCause", "context.WithDeadline", "context.WithDeadlineCause");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl fn && fn.body() != null) {
                SyntaxPath.walk(fn, (node, ancestors) -> {
                    Names.Def def = Names.definition(node, ancestors);
                    if (def != null && def.lhs().size() == 2) {
                        String callee = scan.callee(def.call());
                        if (callee != null && WITH_CANCEL.contains(callee)) {
                            check(scan, def, callee.substring("context.".length()), ancestors);
                        }
                    }
                });
            }
        }
    }

    private static void check(FileScan scan, Names.Def def, String with, List<Node> ancestors) {
        String cancel = def.name(1);
        if (cancel == null) {
            return; // a field or an element: stored, someone else's to call
        }
        int line = scan.file().line(def.call().pos());
        if (cancel.equals("_")) {
            scan.report(def.lhs().get(1), def.stmt(), "the cancel function of context." + with + " at line " + line
                    + " is discarded, so the context and its resources live until the parent context is cancelled");
            return;
        }
        Node function = SyntaxPath.enclosingFunction(ancestors);
        if (function instanceof Decl.FuncDecl fd && fd.receiver() == null && fd.name().name().equals("main")
                && scan.file().packageName().name().equals("main")) {
            return; // returning from main ends the process
        }
        if (!Names.declares(function, cancel)) {
            return; // declared outside: other uses may exist
        }
        boolean namedResult = Names.isNamedResult(function, cancel);
        Paths.Exit exit = Paths.unusedExit(Names.body(function), def.stmt(),
                n -> Names.mentions(n, cancel) || (namedResult && n instanceof Stmt.Return r && r.results().isEmpty()),
                Paths.Guard.NONE);
        if (exit != null) {
            scan.report(def.lhs().get(1), def.stmt(), "the cancel function " + cancel + " of context." + with
                    + " at line " + line + " is not called on the path that returns at line "
                    + scan.file().line(exit.pos()) + ", so the context lives until its parent is cancelled");
        }
    }
}
