package dev.godiag.model.gosyntax;

import java.util.List;
import java.util.function.Consumer;

/** A top-level (or, for GenDecl, local) declaration, as go/ast's Decl. */
public sealed interface Decl extends Node {

    /**
     * {@code import}, {@code const}, {@code type} or {@code var} with its specs, grouped in
     * parentheses or not.
     */
    record GenDecl(int pos, String keyword, List<Spec> specs) implements Decl {
        public GenDecl {
            specs = List.copyOf(specs);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, specs);
        }
    }

    /**
     * A function or method; {@code receiver} null for a function; {@code body} null for a
     * declaration without one (assembly). {@code type.typeParams} holds a generic function's type
     * parameters; a generic method's receiver type is an {@link Expr.Index} ({@code *List[T]}).
     */
    record FuncDecl(int pos, Field receiver, Expr.Ident name, Expr.FuncType type, Stmt.Block body) implements Decl {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, receiver);
            Node.each(visit, name);
            Node.each(visit, type);
            Node.each(visit, body);
        }
    }

    /** A spec of a GenDecl. */
    sealed interface Spec extends Node {
    }

    /**
     * One import; {@code name} null when not renamed, else the new name, {@code _} or {@code .};
     * {@code path} unquoted ("net/http").
     */
    record ImportSpec(int pos, Expr.Ident name, String path) implements Spec {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, name);
        }
    }

    /** A const or var spec; {@code type} null when not written; {@code values} empty when none. */
    record ValueSpec(int pos, List<Expr.Ident> names, Expr type, List<Expr> values) implements Spec {
        public ValueSpec {
            names = List.copyOf(names);
            values = List.copyOf(values);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, names);
            Node.each(visit, type);
            Node.each(visit, values);
        }
    }

    /** {@code type Name[P any] T} or the alias {@code type Name = T}. */
    record TypeSpec(int pos, Expr.Ident name, List<Field> typeParams, boolean alias, Expr type) implements Spec {
        public TypeSpec {
            typeParams = List.copyOf(typeParams);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, name);
            Node.each(visit, typeParams);
            Node.each(visit, type);
        }
    }
}
