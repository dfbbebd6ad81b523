package dev.godiag.model.gosyntax;

import java.util.List;
import java.util.function.Consumer;

/** A statement, as go/ast's Stmt. */
public sealed interface Stmt extends Node {

    /** A const, type or var declaration inside a function. */
    record DeclStmt(Decl.GenDecl decl) implements Stmt {
        @Override
        public int pos() {
            return decl.pos();
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, decl);
        }
    }

    /** An empty statement (an explicit or implied semicolon). */
    record Empty(int pos) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
        }
    }

    record Labeled(int pos, Expr.Ident label, Stmt stmt) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, label);
            Node.each(visit, stmt);
        }
    }

    /** An expression used as a statement (a call, a receive). */
    record ExprStmt(Expr x) implements Stmt {
        @Override
        public int pos() {
            return x.pos();
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
        }
    }

    /** {@code ch <- value}. */
    record Send(int pos, Expr channel, Expr value) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, channel);
            Node.each(visit, value);
        }
    }

    record IncDec(int pos, Expr x, boolean increment) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, x);
        }
    }

    /** An assignment or short variable declaration; {@code op} as written: {@code = := += <<= ...}. */
    record Assign(int pos, List<Expr> lhs, String op, List<Expr> rhs) implements Stmt {
        public Assign {
            lhs = List.copyOf(lhs);
            rhs = List.copyOf(rhs);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, lhs);
            Node.each(visit, rhs);
        }
    }

    /** {@code go f(x)}; {@code pos} is the {@code go} keyword. */
    record Go(int pos, Expr.Call call) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, call);
        }
    }

    /** {@code defer f(x)}; {@code pos} is the {@code defer} keyword. */
    record Defer(int pos, Expr.Call call) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, call);
        }
    }

    record Return(int pos, List<Expr> results) implements Stmt {
        public Return {
            results = List.copyOf(results);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, results);
        }
    }

    /** {@code break}, {@code continue}, {@code goto} or {@code fallthrough}, with its label or null. */
    record Branch(int pos, String keyword, Expr.Ident label) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, label);
        }
    }

    /** {@code { ... }}; {@code end} is the offset of the closing brace. */
    record Block(int pos, List<Stmt> stmts, int end) implements Stmt {
        public Block {
            stmts = List.copyOf(stmts);
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, stmts);
        }
    }

    /** {@code if init; cond {...} else ...}; {@code otherwise} is an If, a Block or null. */
    record If(int pos, Stmt init, Expr cond, Block then, Stmt otherwise) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, init);
            Node.each(visit, cond);
            Node.each(visit, then);
            Node.each(visit, otherwise);
        }
    }

    /** A case of a switch or type switch; {@code values} null for {@code default}. */
    record CaseClause(int pos, List<Expr> values, List<Stmt> body) implements Stmt {
        public CaseClause {
            values = values == null ? null : List.copyOf(values);
            body = List.copyOf(body);
        }

        public boolean isDefault() {
            return values == null;
        }

        @Override
        public void children(Consumer<Node> visit) {
            if (values != null) {
                Node.each(visit, values);
            }
            Node.each(visit, body);
        }
    }

    /** An expression switch; {@code tag} null in {@code switch {}}; the body holds CaseClauses. */
    record Switch(int pos, Stmt init, Expr tag, Block body) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, init);
            Node.each(visit, tag);
            Node.each(visit, body);
        }
    }

    /**
     * A type switch; {@code guard} is {@code x := y.(type)} (an Assign) or {@code y.(type)} (an
     * ExprStmt); the body holds CaseClauses whose values are types ({@code nil} an Ident).
     */
    record TypeSwitch(int pos, Stmt init, Stmt guard, Block body) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, init);
            Node.each(visit, guard);
            Node.each(visit, body);
        }
    }

    /**
     * A case of a select: {@code comm} is a Send, an ExprStmt receive ({@code <-ch}) or an Assign
     * receive ({@code v, ok := <-ch}); null for {@code default}.
     */
    record CommClause(int pos, Stmt comm, List<Stmt> body) implements Stmt {
        public CommClause {
            body = List.copyOf(body);
        }

        public boolean isDefault() {
            return comm == null;
        }

        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, comm);
            Node.each(visit, body);
        }
    }

    /** {@code select { ... }}; the body holds CommClauses. */
    record Select(int pos, Block body) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, body);
        }
    }

    /** {@code for init; cond; post {...}}; all three null in {@code for {}}. */
    record For(int pos, Stmt init, Expr cond, Stmt post, Block body) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, init);
            Node.each(visit, cond);
            Node.each(visit, post);
            Node.each(visit, body);
        }
    }

    /**
     * {@code for key, value := range x {...}}; {@code op} is {@code :=}, {@code =} or null (no
     * variables: {@code for range x}); key and value null when absent. {@code x} may be an integer
     * (Go 1.22) or a function (Go 1.23 iterators).
     */
    record Range(int pos, Expr key, Expr value, String op, Expr x, Block body) implements Stmt {
        @Override
        public void children(Consumer<Node> visit) {
            Node.each(visit, key);
            Node.each(visit, value);
            Node.each(visit, x);
            Node.each(visit, body);
        }
    }
}
