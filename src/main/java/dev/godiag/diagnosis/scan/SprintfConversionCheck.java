package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * {@code fmt.Sprintf("%d", x)}, {@code ("%s", x)} or {@code ("%v", x)} in a loop: a format parsed
 * and an argument boxed in an interface on every iteration, for what strconv or the value itself
 * gives directly.
 */
public final class SprintfConversionCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.sprintf-conversion", "code.string-building",
            Severity.INFO, "fmt.Sprintf with a lone %d, %s or %v (a plain conversion) in a loop");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        if (!scan.imports("fmt")) {
            return;
        }
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (!(node instanceof Expr.Call call) || call.args().size() != 2 || call.ellipsis()
                        || !"fmt.Sprintf".equals(scan.callee(call))
                        || !(call.args().get(0) instanceof Expr.BasicLit format)) {
                    return;
                }
                String verb = switch (format.value()) {
                    case "\"%d\"", "`%d`" -> "%d";
                    case "\"%s\"", "`%s`" -> "%s";
                    case "\"%v\"", "`%v`" -> "%v";
                    default -> null;
                };
                Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
                if (verb == null || loop == null
                        || Loops.exempt(scan, loop, Loops.label(ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop))))) {
                    return;
                }
                Expr arg = call.args().get(1);
                String shown = SourceText.show(arg);
                if (shown == null && arg instanceof Expr.Call c && SourceText.show(c.fun()) != null) {
                    shown = SourceText.show(c.fun()) + "(…)";
                }
                String x = shown == null ? "x" : shown;
                String instead = instead(scan, verb, arg, x, ancestors);
                if (instead == null) {
                    return;
                }
                scan.report(call, loop, "fmt.Sprintf(\"" + verb + "\", " + x + ") parses its format and boxes "
                        + x + " on every iteration of the loop at line " + scan.file().line(loop.pos()) + "; "
                        + instead);
            });
        }
    }

    /**
     * What to write instead, or null when the argument's type makes the verb more than a conversion
     * (a %v of a struct, a %s of a named type whose String method is not known).
     */
    private static String instead(FileScan scan, String verb, Expr arg, String x, List<Node> ancestors) {
        Expr declared = LocalTypes.typeOf(scan, arg, ancestors);
        boolean builtin = declared instanceof Expr.Ident id && LocalTypes.BASIC.contains(id.name());
        Expr under = LocalTypes.underlying(scan, declared);
        String basic = under instanceof Expr.Ident id && LocalTypes.BASIC.contains(id.name()) ? id.name() : null;
        String same = " says the same without either";
        return switch (verb) {
            case "%d" -> {
                if (basic == null) {
                    yield null; // a *big.Int, a named type with a Format method: not a plain conversion
                }
                if (basic.equals("int")) {
                    yield "strconv.Itoa(" + x + ")" + same;
                }
                if (basic.matches("int(8|16|32|64)|rune")) {
                    yield "strconv.FormatInt(int64(" + x + "), 10)" + same;
                }
                yield basic.matches("uint(8|16|32|64|ptr)?|byte") ? "strconv.FormatUint(uint64(" + x + "), 10)" + same
                        : null;
            }
            case "%s" -> {
                if (builtin && basic.equals("string")) {
                    yield x + " is already that string";
                }
                yield declared == null ? "use " + x + " itself if it is a string, or its String or Error method" : null;
            }
            default -> {
                if (!builtin) {
                    yield null;
                }
                yield switch (basic) {
                    case "string" -> x + " is already that string";
                    case "int" -> "strconv.Itoa(" + x + ")" + same;
                    case "bool" -> "strconv.FormatBool(" + x + ")" + same;
                    default -> null;
                };
            }
        };
    }
}
