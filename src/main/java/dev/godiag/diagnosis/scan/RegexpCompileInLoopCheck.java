package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A regexp compiled from a constant pattern in a loop or in an HTTP handler: the same program
 * parsed and compiled again on every iteration or request. Only constant patterns (literals,
 * constants and sums of them) are reported: a pattern built at run time may differ each time, and
 * its fix is a cache keyed by pattern, not a package-level variable, so the check cannot say
 * "compile it once" with confidence.
 */
public final class RegexpCompileInLoopCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.regexp-compile-in-loop", "code.regex-compile",
            Severity.WARNING, "regexp.Compile/MustCompile of a constant pattern in a loop or an HTTP handler");
    private static final Set<String> COMPILERS = Set.of("regexp.MustCompile", "regexp.Compile",
            "regexp.MustCompilePOSIX", "regexp.CompilePOSIX");
    private static final int SHOWN = 40;

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        if (!scan.imports("regexp")) {
            return;
        }
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (!(node instanceof Expr.Call call) || call.args().size() != 1) {
                    return;
                }
                String callee = scan.callee(call);
                if (callee == null || !COMPILERS.contains(callee)) {
                    return;
                }
                Expr pattern = call.args().get(0);
                if (!constant(scan, pattern, ancestors)) {
                    return;
                }
                String what = callee + "(" + show(pattern) + ")";
                Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
                if (loop != null && !Loops.exempt(scan, loop, Loops.label(ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop))))) {
                    scan.report(call, loop, what + " compiles the same pattern on every iteration of the loop at line "
                            + scan.file().line(loop.pos()) + "; compile it once outside the loop");
                    return;
                }
                Node fn = SyntaxPath.enclosingFunction(ancestors);
                String handler = handlerName(scan, fn);
                if (handler != null) {
                    scan.report(call, fn, what + " compiles the same pattern on every request " + handler
                            + " handles; compile it once in a package-level variable");
                }
            });
        }
    }

    /** A string literal, a constant, or a sum of them. */
    private static boolean constant(FileScan scan, Expr e, List<Node> ancestors) {
        return switch (e) {
            case Expr.BasicLit l -> l.kind() == Expr.LitKind.STRING;
            case Expr.Paren p -> constant(scan, p.x(), ancestors);
            case Expr.Binary b -> b.op().equals("+") && constant(scan, b.x(), ancestors) && constant(scan, b.y(), ancestors);
            case Expr.Ident id -> {
                LocalTypes.Binding b = LocalTypes.resolve(scan, id.name(), ancestors);
                yield b != null && (b.kind() == LocalTypes.Kind.CONST || b.kind() == LocalTypes.Kind.PACKAGE_CONST);
            }
            default -> false;
        };
    }

    private static String show(Expr pattern) {
        if (pattern instanceof Expr.BasicLit l) {
            return l.value().length() <= SHOWN ? l.value() : l.value().substring(0, SHOWN) + "…";
        }
        if (pattern instanceof Expr.Ident id) {
            return id.name();
        }
        return "…";
    }

    /**
     * "ServeHTTP" or "handle" when the function serves HTTP requests: a ServeHTTP method, or a
     * function taking (http.ResponseWriter, *http.Request); "this handler" for such a literal.
     */
    private static String handlerName(FileScan scan, Node fn) {
        Expr.FuncType type;
        String name;
        switch (fn) {
            case Decl.FuncDecl d -> {
                type = d.type();
                name = SyntaxPath.functionName(d);
                if (d.receiver() != null && d.name().name().equals("ServeHTTP") && isHandlerSignature(scan, type)) {
                    return name;
                }
            }
            case Expr.FuncLit l -> {
                type = l.type();
                name = "this handler";
            }
            case null, default -> {
                return null;
            }
        }
        return isHandlerSignature(scan, type) ? name : null;
    }

    private static boolean isHandlerSignature(FileScan scan, Expr.FuncType type) {
        List<Expr> params = new ArrayList<>();
        for (Field f : type.params()) {
            for (int i = 0; i < Math.max(1, f.names().size()); i++) {
                params.add(f.type());
            }
        }
        return params.size() == 2 && "net/http.ResponseWriter".equals(scan.qualified(params.get(0)))
                && params.get(1) instanceof Expr.Star s && "net/http.Request".equals(scan.qualified(s.x()));
    }
}
