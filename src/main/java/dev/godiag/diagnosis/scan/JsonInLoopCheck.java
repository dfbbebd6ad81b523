package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Stmt;

/**
 * Reflection-based JSON in a loop: encoding/json's Marshal and Unmarshal on every iteration, and a
 * json Encoder or Decoder made anew each iteration for the same writer or reader. The reflect
 * package itself is not reported: TypeOf and ValueOf cost an interface conversion, not a walk, and
 * DeepEqual has no replacement the source alone can name (over Go's own tree, every DeepEqual in a
 * loop was a test comparing results or code comparing values of arbitrary types).
 */
public final class JsonInLoopCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.json-in-loop", "code.json-reflection",
            Severity.INFO, "encoding/json encoding, decoding or a new Encoder/Decoder on every iteration of a loop");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        if (!scan.imports("encoding/json")) {
            return;
        }
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (!(node instanceof Expr.Call call)) {
                    return;
                }
                String callee = scan.callee(call);
                if (callee == null || !callee.startsWith("encoding/json.")) {
                    return;
                }
                Stmt loop = SyntaxPath.enclosingLoop(call, ancestors);
                if (loop == null
                        || Loops.exempt(scan, loop, Loops.label(ancestors.subList(0, SyntaxPath.indexOf(ancestors, loop))))) {
                    return;
                }
                String name = callee.substring(callee.lastIndexOf('/') + 1);
                String where = " on every iteration of the loop at line " + scan.file().line(loop.pos());
                boolean sameArg = call.args().size() == 1 && Loops.invariant(scan, call.args().get(0), loop);
                String arg = call.args().size() == 1 ? SourceText.show(call.args().get(0)) : null;
                String message = switch (name) {
                    case "json.Marshal", "json.MarshalIndent" -> name + " encodes through reflection" + where
                            + "; for many values written to one place, one json.Encoder streams them";
                    case "json.Unmarshal" -> name + " decodes through reflection" + where
                            + "; decode into concrete types, and stream with one json.Decoder where the input is one stream";
                    case "json.NewEncoder", "json.NewDecoder" -> sameArg
                            ? name + "(" + (arg == null ? "…" : arg) + ") makes a new " + name.substring(8)
                            + " for the same " + (name.endsWith("Encoder") ? "writer" : "reader") + where
                            + "; make it once before the loop"
                            : null;
                    default -> null;
                };
                if (message != null) {
                    scan.report(call, loop, message);
                }
            });
        }
    }
}
