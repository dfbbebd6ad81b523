package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.List;

/**
 * A walk that knows where it is: each node is visited with the chain of its ancestors (outermost
 * first), so a check can ask whether a call sits in a loop of the same function, in a goroutine's
 * closure, in a select case.
 */
public final class SyntaxPath {

    /** What a walk does at each node. */
    @FunctionalInterface
    public interface Visitor {
        /** @param ancestors the node's ancestors, outermost first; valid only during the call */
        void visit(Node node, List<Node> ancestors);
    }

    private SyntaxPath() {
    }

    /**
     * Visits {@code root} and everything below it in preorder. Iterative, as {@link Node#walk} is:
     * generated tables make trees thousands of levels deep.
     */
    public static void walk(Node root, Visitor visitor) {
        if (root == null) {
            return;
        }
        List<Node> ancestors = new ArrayList<>();
        // each entry: a node's children still to visit, the next index; its node is ancestors' last
        List<List<Node>> pendingChildren = new ArrayList<>();
        List<int[]> next = new ArrayList<>();
        visitor.visit(root, ancestors);
        push(root, ancestors, pendingChildren, next);
        while (!ancestors.isEmpty()) {
            int top = ancestors.size() - 1;
            List<Node> children = pendingChildren.get(top);
            int[] i = next.get(top);
            if (i[0] == children.size()) {
                ancestors.remove(top);
                pendingChildren.remove(top);
                next.remove(top);
                continue;
            }
            Node child = children.get(i[0]++);
            visitor.visit(child, ancestors);
            push(child, ancestors, pendingChildren, next);
        }
    }

    private static void push(Node node, List<Node> ancestors, List<List<Node>> pendingChildren, List<int[]> next) {
        List<Node> children = new ArrayList<>(4);
        node.children(children::add);
        ancestors.add(node);
        pendingChildren.add(children);
        next.add(new int[]{0});
    }

    /**
     * The innermost loop ({@link Stmt.For} or {@link Stmt.Range}) around the node in the same function:
     * the search stops at a function literal or declaration. Null when there is none. A node in the
     * loop's header (a range expression, an init statement) is not "in" the loop: it runs once.
     */
    public static Stmt enclosingLoop(Node node, List<Node> ancestors) {
        Node child = node;
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            Node a = ancestors.get(i);
            if (a instanceof Expr.FuncLit || a instanceof Decl.FuncDecl) {
                return null;
            }
            if (a instanceof Stmt.For f && (child == f.body() || child == f.cond() || child == f.post())) {
                return f;
            }
            if (a instanceof Stmt.Range r && child == r.body()) {
                return r;
            }
            child = a;
        }
        return null;
    }

    /** The innermost function (a {@link Decl.FuncDecl} or {@link Expr.FuncLit}) around the node, or null. */
    public static Node enclosingFunction(List<Node> ancestors) {
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            Node a = ancestors.get(i);
            if (a instanceof Expr.FuncLit || a instanceof Decl.FuncDecl) {
                return a;
            }
        }
        return null;
    }

    /** The outermost declared function around the node, or null at package level. */
    public static Decl.FuncDecl enclosingDecl(List<Node> ancestors) {
        for (Node a : ancestors) {
            if (a instanceof Decl.FuncDecl f) {
                return f;
            }
        }
        return null;
    }

    /**
     * The base type name of a receiver or type expression: {@code *Server} and {@code Server} give
     * "Server", {@code *List[T]} gives "List"; null when it is not a named type.
     */
    public static String receiverTypeName(Expr type) {
        Expr t = type;
        while (true) {
            if (t instanceof Expr.Star s) {
                t = s.x();
            } else if (t instanceof Expr.Paren p) {
                t = p.x();
            } else if (t instanceof Expr.Index i) {
                t = i.x();
            } else {
                break;
            }
        }
        return t instanceof Expr.Ident id ? id.name() : null;
    }

    /**
     * The function's name as Go prints it without the package: {@code handle},
     * {@code (*Server).handle}, {@code Server.handle}.
     */
    public static String functionName(Decl.FuncDecl fn) {
        if (fn == null) {
            return "";
        }
        if (fn.receiver() == null) {
            return fn.name().name();
        }
        String type = receiverTypeName(fn.receiver().type());
        if (type == null) {
            return fn.name().name();
        }
        Expr t = fn.receiver().type();
        while (t instanceof Expr.Paren p) {
            t = p.x();
        }
        return (t instanceof Expr.Star ? "(*" + type + ")" : type) + "." + fn.name().name();
    }

    /**
     * The position of this very node in a list, or -1. Not {@link List#indexOf}: nodes are records,
     * whose equals compares whole subtrees.
     */
    public static int indexOf(List<? extends Node> nodes, Node node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == node) {
                return i;
            }
        }
        return -1;
    }
}
