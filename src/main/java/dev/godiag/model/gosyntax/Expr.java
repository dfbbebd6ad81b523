package dev.godiag.model.gosyntax;

import java.util.List;
import java.util.function.Consumer;

/** An expression or a type, as go/ast's Expr. */
public sealed interface Expr extends Node {

    /** An identifier; {@code _} included. */
    record Ident(int pos, String name) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
        }
    }

    enum LitKind { INT, FLOAT, IMAG, CHAR, STRING }

    /** A literal; {@code value} is the literal as written (quotes and backquotes kept). */
    record BasicLit(int pos, LitKind kind, String value) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
        }
    }

    /**
     * {@code T{...}}; {@code type} is null for an elided type inside another composite literal.
     * {@code end} is the offset of the closing brace.
     */
    record CompositeLit(int pos, Expr type, List<Expr> elements, int end) implements Expr {
        public CompositeLit {
            elements = List.copyOf(elements);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, type);
            Node.each(visit, elements);
        }
    }

    /** A function literal (closure). */
    record FuncLit(int pos, FuncType type, Stmt.Block body) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, type);
            Node.each(visit, body);
        }
    }

    record Paren(int pos, Expr x) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
        }
    }

    /** {@code x.sel}: a field, a method or a package member (the parser does not tell them apart). */
    record Selector(int pos, Expr x, Ident sel) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
            Node.each(visit, sel);
        }
    }

    /** {@code x[i]}, or a generic instantiation {@code F[int, string]} (several indices). */
    record Index(int pos, Expr x, List<Expr> indices) implements Expr {
        public Index {
            indices = List.copyOf(indices);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
            Node.each(visit, indices);
        }
    }

    /** {@code x[low:high]} or {@code x[low:high:max]}; absent bounds are null. */
    record Slice(int pos, Expr x, Expr low, Expr high, Expr max, boolean threeIndex) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
            Node.each(visit, low);
            Node.each(visit, high);
            Node.each(visit, max);
        }
    }

    /** {@code x.(T)}; {@code type} is null in a type switch's {@code x.(type)}. */
    record TypeAssert(int pos, Expr x, Expr type) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
            Node.each(visit, type);
        }
    }

    /**
     * A call or a conversion; {@code ellipsis} when the last argument is spread ({@code f(xs...)}).
     * {@code end} is the offset of the closing parenthesis.
     */
    record Call(int pos, Expr fun, List<Expr> args, boolean ellipsis, int end) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, fun);
            Node.each(visit, args);
        }
    }

    /** {@code *x}: a dereference or a pointer type. */
    record Star(int pos, Expr x) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
        }
    }

    /** A unary expression; {@code op} is one of {@code + - ! ^ & <- ~}. */
    record Unary(int pos, String op, Expr x) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
        }
    }

    /** A binary expression; {@code op} as written ({@code +}, {@code &&}, {@code ==}, {@code |} ...). */
    record Binary(int pos, Expr x, String op, Expr y) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
            Node.each(visit, y);
        }
    }

    /** {@code key: value} in a composite literal. */
    record KeyValue(int pos, Expr key, Expr value) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, key);
            Node.each(visit, value);
        }
    }

    /**
     * {@code [N]T}, {@code [...]T} (length an {@link Ellipsis} with no element) or {@code []T}
     * (length null).
     */
    record ArrayType(int pos, Expr length, Expr element) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, length);
            Node.each(visit, element);
        }
    }

    record StructType(int pos, List<Field> fields) implements Expr {
        public StructType {
            fields = List.copyOf(fields);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, fields);
        }
    }

    /** A function signature; {@code pos} is the {@code func} keyword, or the parameters' opening parenthesis in a method spec. */
    record FuncType(int pos, List<Field> typeParams, List<Field> params, List<Field> results) implements Expr {
        public FuncType {
            typeParams = List.copyOf(typeParams);
            params = List.copyOf(params);
            results = List.copyOf(results);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, typeParams);
            Node.each(visit, params);
            Node.each(visit, results);
        }
    }

    record InterfaceType(int pos, List<Field> elements) implements Expr {
        public InterfaceType {
            elements = List.copyOf(elements);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, elements);
        }
    }

    record MapType(int pos, Expr key, Expr value) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, key);
            Node.each(visit, value);
        }
    }

    enum ChanDir { BOTH, SEND, RECV }

    /** {@code chan T}, {@code chan<- T} (SEND) or {@code <-chan T} (RECV). */
    record ChanType(int pos, ChanDir dir, Expr value) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, value);
        }
    }

    /** {@code ...T} of a variadic parameter; {@code element} null in {@code [...]T}. */
    record Ellipsis(int pos, Expr element) implements Expr {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, element);
        }
    }
}
