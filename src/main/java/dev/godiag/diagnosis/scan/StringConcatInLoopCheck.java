package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.HashSet;
import java.util.List;
import java.util.Set;


/**
 * {@code s += x} or {@code s = s + x} on a string in a loop, where s is declared before the loop:
 * each iteration allocates a new string and copies everything built so far, quadratic in the
 * result's length. Only strings known from their declaration (a string type, a string literal, a
 * standard function returning a string); a name of unknown type stays silent.
 */
public final class StringConcatInLoopCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.string-concat-in-loop", "code.string-building",
            Severity.INFO, "a string built with += across the iterations of a loop");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        Set<String> reported = new HashSet<>(); // one finding per string and loop
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (!(node instanceof Stmt.Assign a) || a.lhs().size() != 1 || a.rhs().size() != 1
                        || !(a.lhs().get(0) instanceof Expr.Ident s)) {
                    return;
                }
                boolean concat = a.op().equals("+=")
                        || a.op().equals("=") && a.rhs().get(0) instanceof Expr.Binary b && b.op().equals("+")
                        && leftmost(b) instanceof Expr.Ident first && first.name().equals(s.name());
                if (!concat) {
                    return;
                }
                Stmt loop = SyntaxPath.enclosingLoop(a, ancestors);
                if (loop == null) {
                    return;
                }
                int at = SyntaxPath.indexOf(ancestors, loop);
                if (Loops.exempt(scan, loop, Loops.label(ancestors.subList(0, at)))) {
                    return;
                }
                List<Node> here = LocalTypes.at(ancestors, a);
                LocalTypes.Binding b = LocalTypes.resolve(scan, s.name(), here);
                // declared outside the loop, in this function (a package-level string is not a local build-up)
                if (b == null || b.kind() == LocalTypes.Kind.PACKAGE_VAR || SyntaxPath.indexOf(b.context(), loop) >= 0
                        || !LocalTypes.isString(scan, LocalTypes.typeOfName(scan, s.name(), here))
                        || resetInLoop(loop, s.name(), a) || !reported.add(loop.pos() + " " + s.name())) {
                    return;
                }
                scan.report(a, loop, s.name() + " " + a.op() + " … copies the whole string built so far on every "
                        + "iteration of the loop at line " + scan.file().line(loop.pos())
                        + "; build it in a strings.Builder and take String() once");
            });
        }
    }

    private static Expr leftmost(Expr.Binary b) {
        Expr x = b.x();
        while (x instanceof Expr.Binary inner && inner.op().equals("+")) {
            x = inner.x();
        }
        return x;
    }

    /** Another plain assignment to s in the loop ({@code s = ""}): it does not grow across iterations. */
    private static boolean resetInLoop(Stmt loop, String name, Stmt.Assign concat) {
        boolean[] reset = {false};
        Node.walk(Loops.body(loop), n -> {
            if (n instanceof Stmt.Assign a && a != concat && (a.op().equals("=") || a.op().equals(":="))
                    && a.lhs().stream().anyMatch(l -> l instanceof Expr.Ident id && id.name().equals(name))
                    && !(a.rhs().size() == 1 && a.rhs().get(0) instanceof Expr.Binary b && b.op().equals("+"))) {
                reset[0] = true;
            }
        });
        return reset[0];
    }
}
