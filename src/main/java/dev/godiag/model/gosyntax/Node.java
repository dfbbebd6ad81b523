package dev.godiag.model.gosyntax;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A node of a Go file's syntax tree, in the shape of go/ast (a few nodes merged where go/ast
 * splits them only for printing). {@link #pos()} is the byte offset of the node's first token in
 * its file; {@link GoFile#line(int)} and {@link GoFile#column(int)} turn it into Go's line and
 * (byte) column. Lists are never null; optional parts are null when absent.
 */
public sealed interface Node permits Expr, Stmt, Decl, Decl.Spec, Field {

    /** Byte offset of the node's first token. */
    int pos();

    /** Calls {@code visit} with each direct child, in source order; null parts are skipped. */
    void children(Consumer<Node> visit);

    /**
     * Visits {@code node} and everything below it in preorder; skips nulls. Iterative: a long
     * chain (a concatenation of thousands of strings in a generated table) makes a tree deeper
     * than a thread's stack allows recursing into.
     */
    static void walk(Node node, Consumer<Node> visit) {
        if (node == null) {
            return;
        }
        ArrayDeque<Node> pending = new ArrayDeque<>();
        List<Node> children = new ArrayList<>();
        pending.push(node);
        while (!pending.isEmpty()) {
            Node n = pending.pop();
            visit.accept(n);
            n.children(children::add);
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
            children.clear();
        }
    }

    // helpers for children(): they skip nulls

    static void each(Consumer<Node> visit, Node node) {
        if (node != null) {
            visit.accept(node);
        }
    }

    static void each(Consumer<Node> visit, List<? extends Node> nodes) {
        for (Node node : nodes) {
            if (node != null) {
                visit.accept(node);
            }
        }
    }
}
