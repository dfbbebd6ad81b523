package dev.godiag.model.gosyntax;

import java.util.List;
import java.util.function.Consumer;

/**
 * One entry of a parameter, result, type parameter, struct field or interface element list, as
 * go/ast's Field: {@code a, b int} has two names; an unnamed parameter or an embedded field has
 * none; an interface method has one name and a {@link Expr.FuncType}; an interface's embedded
 * type or union ({@code ~int | ~string}) has no name and that type.
 *
 * @param tag a struct field's tag literal as written (with quotes), else null
 */
public record Field(int pos, List<Expr.Ident> names, Expr type, String tag) implements Node {
    public Field {
        names = List.copyOf(names);
    }

    @Override
    public void children(Consumer<Node> visit) {
        Node.each(visit, names);
        Node.each(visit, type);
    }
}
