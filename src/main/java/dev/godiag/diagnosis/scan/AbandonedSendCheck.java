package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.List;

/**
 * The classic time.After leak: a goroutine sends its result on an unbuffered channel the function
 * made, and the function receives it in a select that can return on another case (a timeout,
 * ctx.Done(), a default): then nobody receives, and the sender waits forever. Silent when the
 * channel is received anywhere else (a later drain), ranged over, or handed to other code.
 */
public final class AbandonedSendCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.abandoned-send", "goroutines.leak.chan-send",
            Severity.WARNING, "a goroutine sending on an unbuffered channel whose receiver can give up");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl fn && fn.body() != null) {
                SyntaxPath.walk(fn, (node, ancestors) -> {
                    Channels.Made made = Channels.made(node, ancestors);
                    if (made != null && !made.buffered()) {
                        check(scan, fn, made);
                    }
                });
            }
        }
    }

    private static void check(FileScan scan, Decl.FuncDecl fn, Channels.Made made) {
        List<Names.Ref> sends = new ArrayList<>();
        Stmt.CommClause receiving = null;
        Stmt.Select select = null;
        for (Channels.Use use : Channels.uses(fn, made.name())) {
            Names.Ref ref = use.ref();
            switch (use.kind()) {
                case SEND -> {
                    if (RangeUnclosedChannelCheck.goroutineOf(ref.ancestors()) == null
                            || ref.above(1) instanceof Stmt.CommClause) {
                        return; // a send outside a goroutine, or one that selects on a way out
                    }
                    sends.add(ref);
                }
                case RECEIVE -> {
                    // case <-ch: and case v := <-ch: (CommClause, its comm, the receive)
                    Stmt.CommClause clause = ref.above(2) instanceof Stmt.CommClause c && c.comm() == ref.above(1)
                            ? c : null;
                    if (clause == null || receiving != null) {
                        return; // received elsewhere: it may drain the sender
                    }
                    receiving = clause;
                    select = ref.ancestors().get(ref.ancestors().indexOf(clause) - 2) instanceof Stmt.Select s ? s : null;
                }
                case LEN, NIL_TEST -> {
                }
                case ASSIGNED -> {
                    if (!made.defines(use.ref())) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
        if (sends.isEmpty() || select == null
                || SyntaxPath.enclosingFunction(ancestorsOf(select, fn)) != SyntaxPath.enclosingFunction(
                ancestorsOf(made.stmt(), fn))) {
            return; // the receiver is another function (a goroutine, a closure called again): not followed
        }
        Stmt.CommClause giveUp = null;
        for (Stmt s : select.body().stmts()) {
            if (s != receiving && s instanceof Stmt.CommClause c && !(c.comm() instanceof Stmt.Send)
                    && !c.body().isEmpty() && c.body().get(c.body().size() - 1) instanceof Stmt.Return) {
                giveUp = c;
                break;
            }
        }
        if (giveUp == null) {
            return;
        }
        Names.Ref send = sends.get(0);
        boolean once = sends.size() == 1 && SyntaxPath.enclosingLoop(send.parent(), send.ancestors()) == null;
        String other = giveUp.isDefault() ? "default case" : "case at line " + scan.file().line(giveUp.pos());
        scan.report(send.parent(), send.parent(), "the send on " + made.name() + " at line "
                + scan.file().line(send.parent().pos()) + " blocks forever when the select at line "
                + scan.file().line(select.pos()) + " returns on its " + other + ": " + made.name()
                + " is unbuffered and nothing else receives from it; "
                + (once ? "make it make(chan T, 1) so the send always completes"
                        : "let each send select on ctx.Done() too"));
    }

    /** The ancestors of a node within the function (outermost first), found by walking it again. */
    private static List<Node> ancestorsOf(Node target, Decl.FuncDecl fn) {
        List<Node> found = new ArrayList<>();
        SyntaxPath.walk(fn, (n, ancestors) -> {
            if (n == target) {
                found.addAll(ancestors);
            }
        });
        return found;
    }
}
