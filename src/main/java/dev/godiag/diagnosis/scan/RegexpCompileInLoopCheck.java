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
 * parsed and compiled again on every iteration or request, by Compile/MustCompile or by the
 * package-level Match functions, which compile their pattern on each call. A compile on a path that
 * leaves the loop right after (a failure branch ending in t.Fatalf or return) runs once and is not
 * reported. Only constant patterns (literals,
 * constants and sums of them) are reported: a pattern built at run time may differ each time, and
 * its fix is a cache keyed by pattern, not a package-level variable, so the check cannot say
 * "compile it once" with confidence.
 */
public final class RegexpCompileInLoopCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.regexp-compile-in-loop", "code.regex-compile",
            Severity.WARNING, "regexp.Compile/MustCompile/MatchString of a constant pattern in a loop or an HTTP handler");
    private static final Set<String> COMPILERS = Set.of("regexp.MustCompile", "regexp.Compile",
            "regexp.MustCompilePOSIX", "regexp.CompilePOSIX");
    /** Package-level functions that compile their first argument on every call. */
    private static final Set<String> MATCHERS = Set.of("regexp.Match", "regexp.MatchString", "regexp.MatchReader");
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
                if (!(node instanceof Expr.Call call)) {
                    return;
                }
                String callee = scan.callee(call);
                if (callee == null) {
                    return;
                }
                boolean matcher = MATCHERS.contains(callee) && call.args().size() == 2;
                if (!matcher && !(COMPILERS.contains(callee) && call.args().size() == 1)) {
                    return;
                }
                Expr pattern = call.args().get(0);
                if (!constant(scan, pattern, ancestors)) {
                    return;
                }
                String what = callee + "(" + show(pattern) + (matcher ? ", …)" : ")");
                String fix = matcher ? "; compile it once with regexp.MustCompile" : "; compile it once";
                String method = matcher ? " and call its " + callee.substring("regexp.".length()) : "";
                Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
                if (loop != null && perIteration(scan, call, loop, ancestors)) {
                    scan.report(call, loop, what + " compiles the same pattern on every iteration of the loop at line "
                            + scan.file().line(loop.pos()) + fix + " outside the loop" + method);
                    return;
                }
                Node fn = SyntaxPath.enclosingFunction(ancestors);
                String handler = handlerName(scan, fn);
                if (handler != null) {
                    scan.report(call, fn, what + " compiles the same pattern on every request " + handler
                            + " handles" + fix + " in a package-level variable" + method);
                }
            });
        }
    }

    /** The call runs again on the loop's next iteration: the loop repeats and the call's path stays in it. */
    private static boolean perIteration(FileScan scan, Expr.Call call, Stmt loop, List<Node> ancestors) {
        int at = SyntaxPath.indexOf(ancestors, loop);
        String label = Loops.label(ancestors.subList(0, at));
        return !Loops.exempt(scan, loop, label) && !Loops.leavesRightAfter(scan, call, ancestors, at, label);
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
