package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Local variables by name, for checks that follow one value through a function without types:
 * where a name is declared, where it is referred to and in what role (a field read, a call's
 * argument, a result). Names are not resolved through nested scopes; checks use them where a
 * shadowing declaration would only make them silent.
 */
public final class Names {
    private Names() {
    }

    /** A reference to a name, with its ancestors (outermost first) at the time of the walk. */
    public record Ref(Expr.Ident ident, List<Node> ancestors) {
        /** The node directly holding the reference. */
        public Node parent() {
            return ancestors.get(ancestors.size() - 1);
        }

        /** Whether the reference is a name being given a value: {@code x := ...}, {@code x = ...}, {@code var x = ...}. */
        public boolean assigned() {
            return switch (parent()) {
                case Stmt.Assign a -> a.lhs().contains(ident);
                case Decl.ValueSpec v -> v.names().contains(ident);
                default -> false;
            };
        }

        /** The ancestor {@code up} levels above the parent (0: the parent), or null. */
        public Node above(int up) {
            int i = ancestors.size() - 1 - up;
            return i >= 0 ? ancestors.get(i) : null;
        }
    }

    /**
     * Every reference to {@code name} under {@code root}, function literals included: identifiers
     * other than a selector's member ({@code x.name}), a parameter's or field's declared name, a
     * label, or a struct literal's key.
     */
    public static List<Ref> refs(Node root, String name) {
        List<Ref> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        SyntaxPath.walk(root, (node, ancestors) -> {
            if (node instanceof Expr.Ident id && id.name().equals(name) && !ancestors.isEmpty()) {
                Node parent = ancestors.get(ancestors.size() - 1);
                boolean notRef = switch (parent) {
                    case Expr.Selector s -> s.sel() == id;
                    case Field f -> f.names().contains(id);
                    case Stmt.Labeled l -> l.label() == id;
                    case Stmt.Branch b -> true;
                    case Expr.KeyValue kv -> kv.key() == id && ancestors.size() > 1
                            && ancestors.get(ancestors.size() - 2) instanceof Expr.CompositeLit;
                    default -> false;
                };
                if (!notRef) {
                    out.add(new Ref(id, List.copyOf(ancestors)));
                }
            }
        });
        return out;
    }

    /** Whether {@code name} is referred to anywhere under {@code root}. */
    public static boolean mentions(Node root, String name) {
        return root != null && !refs(root, name).isEmpty();
    }

    /** The body of a function node (a declaration or a literal), or null. */
    public static Stmt.Block body(Node function) {
        return switch (function) {
            case Decl.FuncDecl f -> f.body();
            case Expr.FuncLit f -> f.body();
            case null, default -> null;
        };
    }

    /** The signature of a function node, or null. */
    public static Expr.FuncType type(Node function) {
        return switch (function) {
            case Decl.FuncDecl f -> f.type();
            case Expr.FuncLit f -> f.type();
            case null, default -> null;
        };
    }

    /** Whether the function names {@code name} among its results. */
    public static boolean isNamedResult(Node function, String name) {
        Expr.FuncType t = type(function);
        return t != null && t.results().stream().anyMatch(f -> f.names().stream().anyMatch(n -> n.name().equals(name)));
    }

    /**
     * The declared type of a local name: a parameter, result or receiver of the function, or a
     * {@code var name T} in its body (nested function literals not searched); null when none is
     * written.
     */
    public static Expr declaredType(Node function, String name) {
        Expr[] found = {null};
        List<Field> fields = new ArrayList<>();
        if (function instanceof Decl.FuncDecl fd && fd.receiver() != null) {
            fields.add(fd.receiver());
        }
        Expr.FuncType t = type(function);
        if (t != null) {
            fields.addAll(t.params());
            fields.addAll(t.results());
        }
        for (Field f : fields) {
            if (f.names().stream().anyMatch(n -> n.name().equals(name))) {
                return f.type();
            }
        }
        ownStatements(body(function), n -> {
            if (found[0] == null && n instanceof Decl.ValueSpec v && v.type() != null
                    && v.names().stream().anyMatch(id -> id.name().equals(name))) {
                found[0] = v.type();
            }
        });
        return found[0];
    }

    /**
     * Whether the function itself declares the name: a parameter, result or receiver, a
     * {@code :=}, a {@code var}, a range variable (nested function literals not searched).
     */
    public static boolean declares(Node function, String name) {
        if (declaredType(function, name) != null) {
            return true;
        }
        boolean[] found = {false};
        ownStatements(body(function), n -> {
            switch (n) {
                case Stmt.Assign a when a.op().equals(":=") -> found[0] |= a.lhs().stream()
                        .anyMatch(e -> e instanceof Expr.Ident id && id.name().equals(name));
                case Stmt.Range r when ":=".equals(r.op()) -> found[0] |= (r.key() instanceof Expr.Ident k
                        && k.name().equals(name)) || (r.value() instanceof Expr.Ident v && v.name().equals(name));
                case Decl.ValueSpec v -> found[0] |= v.names().stream().anyMatch(id -> id.name().equals(name));
                default -> {
                }
            }
        });
        return found[0];
    }

    /** Visits the nodes under root that belong to its own function: function literals are not entered. */
    public static void ownStatements(Node root, Consumer<Node> visit) {
        if (root == null) {
            return;
        }
        visit.accept(root);
        root.children(child -> {
            if (!(child instanceof Expr.FuncLit)) {
                ownStatements(child, visit);
            }
        });
    }

    /** The call's function as {@code x.Method} when it is a method call on the name, else null. */
    public static String methodOn(Expr.Call call, String name) {
        if (call.fun() instanceof Expr.Selector s && s.x() instanceof Expr.Ident id && id.name().equals(name)) {
            return s.sel().name();
        }
        return null;
    }

    /** Whether the expression, parentheses removed, is the identifier {@code name}. */
    public static boolean isIdent(Expr e, String name) {
        Expr x = e;
        while (x instanceof Expr.Paren p) {
            x = p.x();
        }
        return x instanceof Expr.Ident id && id.name().equals(name);
    }

    /** The expression without enclosing parentheses. */
    public static Expr unparen(Expr e) {
        Expr x = e;
        while (x instanceof Expr.Paren p) {
            x = p.x();
        }
        return x;
    }

    /**
     * A statement that gives names the results of one call: {@code a, b := f()}, {@code a, b = f()}
     * or {@code var a, b = f()} inside a function.
     *
     * @param stmt the statement (the DeclStmt of a var)
     * @param lhs  the names or expressions assigned, in order
     * @param call the call
     */
    public record Def(Stmt stmt, List<Expr> lhs, Expr.Call call) {
        /** The name given the i-th result, or null when it is not a plain name. */
        public String name(int i) {
            return i < lhs.size() && lhs.get(i) instanceof Expr.Ident id ? id.name() : null;
        }
    }

    /** The definition a walk is at (the Assign, or a var spec of a DeclStmt), or null. */
    public static Def definition(Node node, List<Node> ancestors) {
        if (node instanceof Stmt.Assign a && (a.op().equals(":=") || a.op().equals("=")) && a.rhs().size() == 1
                && unparen(a.rhs().get(0)) instanceof Expr.Call c) {
            return new Def(a, a.lhs(), c);
        }
        if (node instanceof Decl.ValueSpec v && v.values().size() == 1 && unparen(v.values().get(0)) instanceof Expr.Call c
                && ancestors.size() >= 2 && ancestors.get(ancestors.size() - 2) instanceof Stmt.DeclStmt d) {
            return new Def(d, List.copyOf(v.names()), c);
        }
        return null;
    }
}
