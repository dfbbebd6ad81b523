package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Expr;

/** Short source renderings of simple expressions, for messages. */
final class SourceText {
    private SourceText() {
    }

    /** {@code fd.Close}, {@code s.mu.Unlock}, {@code xs[i]}: names, selectors, simple indexing; else null. */
    static String show(Expr e) {
        return switch (e) {
            case Expr.Ident id -> id.name();
            case Expr.Selector s -> {
                String x = show(s.x());
                yield x == null ? null : x + "." + s.sel().name();
            }
            case Expr.Paren p -> show(p.x());
            case Expr.BasicLit l when l.kind() == Expr.LitKind.INT -> l.value();
            case Expr.Index i when i.indices().size() == 1 -> {
                String x = show(i.x());
                String index = show(i.indices().get(0));
                yield x == null || index == null ? null : x + "[" + index + "]";
            }
            case null, default -> null;
        };
    }

    /** A type as written, for the simple shapes ([]T, map[K]V, *T, pkg.T, [N]T); else null. */
    static String type(Expr e) {
        return switch (e) {
            case Expr.Ident id -> id.name();
            case Expr.Selector s -> show(s);
            case Expr.Star s -> prefixed("*", type(s.x()));
            case Expr.ArrayType a when a.length() == null -> prefixed("[]", type(a.element()));
            case Expr.ArrayType a when a.length() instanceof Expr.BasicLit n -> prefixed("[" + n.value() + "]", type(a.element()));
            case Expr.MapType m -> type(m.key()) == null ? null : prefixed("map[" + type(m.key()) + "]", type(m.value()));
            case Expr.InterfaceType i when i.elements().isEmpty() -> "interface{}";
            case Expr.StructType s when s.fields().isEmpty() -> "struct{}";
            case null, default -> null;
        };
    }

    private static String prefixed(String prefix, String rest) {
        return rest == null ? null : prefix + rest;
    }

    /** "a counter", "an arch": the word with its indefinite article. */
    static String a(String word) {
        return (word.matches("(?i)[aeiou].*") ? "an " : "a ") + word;
    }
}
