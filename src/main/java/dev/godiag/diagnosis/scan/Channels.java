package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.List;

/**
 * Channels a function makes for itself ({@code ch := make(chan T)}) and what the function does
 * with them, for checks that ask who sends, who receives, who closes.
 */
public final class Channels {
    private Channels() {
    }

    /** What a reference to the channel does. */
    public enum Kind { SEND, RECEIVE, RANGE, CLOSE, LEN, ASSIGNED, NIL_TEST, ARGUMENT, OTHER }

    /** One reference and what it does. */
    public record Use(Kind kind, Names.Ref ref) {
    }

    /**
     * A channel made by a definition: its name, the statement and whether it has a buffer
     * ({@code make(chan T, n)} with n other than the literal 0).
     */
    public record Made(String name, Stmt stmt, Expr.Call make, boolean buffered) {
        /** Whether the reference is the name this definition gives. */
        public boolean defines(Names.Ref ref) {
            return ref.parent() == stmt || (stmt instanceof Stmt.DeclStmt d && ref.above(1) == d.decl());
        }
    }

    /** The channel made at a node of a walk ({@code ch := make(chan T)}, {@code var ch = make(...)}), or null. */
    public static Made made(Node node, List<Node> ancestors) {
        Names.Def def = Names.definition(node, ancestors);
        if (def == null || def.lhs().size() != 1 || def.name(0) == null || def.name(0).equals("_")) {
            return null;
        }
        Expr.Call c = def.call();
        if (!Names.isIdent(c.fun(), "make") || c.args().isEmpty() || !(c.args().get(0) instanceof Expr.ChanType)) {
            return null;
        }
        boolean buffered = c.args().size() > 1
                && !(c.args().get(1) instanceof Expr.BasicLit lit && lit.value().equals("0"));
        return new Made(def.name(0), def.stmt(), c, buffered);
    }

    /** Every reference to the channel under root (function literals included), classified. */
    public static List<Use> uses(Node root, String name) {
        List<Use> out = new ArrayList<>();
        for (Names.Ref ref : Names.refs(root, name)) {
            out.add(new Use(kind(ref), ref));
        }
        return out;
    }

    private static Kind kind(Names.Ref ref) {
        Node p = ref.parent();
        Expr.Ident id = ref.ident();
        return switch (p) {
            case Stmt.Send s when s.channel() == id -> Kind.SEND;
            case Expr.Unary u when u.op().equals("<-") -> Kind.RECEIVE;
            case Stmt.Range r when r.x() == id -> Kind.RANGE;
            case Expr.Call c when c.fun() instanceof Expr.Ident f && c.args().size() == 1
                    && (f.name().equals("close") || f.name().equals("len") || f.name().equals("cap")) ->
                    f.name().equals("close") ? Kind.CLOSE : Kind.LEN;
            case Expr.Call c when c.args().contains(id) -> Kind.ARGUMENT;
            case Stmt.Assign a when a.lhs().contains(id) -> Kind.ASSIGNED;
            case dev.godiag.model.gosyntax.Decl.ValueSpec v when v.names().contains(id) -> Kind.ASSIGNED;
            case Expr.Binary b when (b.op().equals("==") || b.op().equals("!="))
                    && (Names.isIdent(b.x(), "nil") || Names.isIdent(b.y(), "nil")) -> Kind.NIL_TEST;
            default -> Kind.OTHER;
        };
    }
}
