package dev.godiag.analysis.symbols;

import dev.godiag.analysis.symbols.CppAst.ArgumentPack;
import dev.godiag.analysis.symbols.CppAst.ExprList;
import dev.godiag.analysis.symbols.CppAst.MethodWithQualifiers;
import dev.godiag.analysis.symbols.CppAst.Name;
import dev.godiag.analysis.symbols.CppAst.Node;
import dev.godiag.analysis.symbols.CppAst.PackExpansion;
import dev.godiag.analysis.symbols.CppAst.Qualified;

import java.util.ArrayList;
import java.util.List;

/** Prints a {@link CppAst} tree; see there for the "inner" stack of types still to be written. */
final class CppPrinter {
    private final StringBuilder out = new StringBuilder();
    char last;
    /** Types wrapping the one being printed, innermost last, written once the name is reached. */
    List<Node> inner = new ArrayList<>();
    /** Nodes being printed: a node may recur once (substitutions can make cycles), not more. */
    private final List<Node> printing = new ArrayList<>();
    private static final int MAX_OUTPUT = 1 << 16;

    static String toString(Node n) {
        CppPrinter p = new CppPrinter();
        p.print(n);
        return p.out.toString();
    }

    void write(char c) {
        last = c;
        out.append(c);
        if (out.length() > MAX_OUTPUT) {
            throw new DemangleException("demangled name too long");
        }
    }

    void write(String s) {
        if (!s.isEmpty()) {
            last = s.charAt(s.length() - 1);
            out.append(s);
            if (out.length() > MAX_OUTPUT) {
                throw new DemangleException("demangled name too long");
            }
        }
    }

    void startScope(char c) {
        write(c);
    }

    void endScope(char c) {
        write(c);
    }

    void print(Node n) {
        int seen = 0;
        for (Node p : printing) {
            if (p == n && ++seen > 1) {
                return;
            }
        }
        if (printing.size() > 200) {
            throw new DemangleException("name nested too deeply");
        }
        printing.add(n);
        n.print(this);
        printing.remove(printing.size() - 1);
    }

    void printList(List<Node> nodes) {
        boolean first = true;
        for (Node n : nodes) {
            if (!first) {
                write(", ");
            }
            print(n);
            first = false;
        }
    }

    /** Writes the inner types; with prefixOnly, member function qualifiers are kept and returned. */
    List<Node> printInner(boolean prefixOnly) {
        List<Node> save = new ArrayList<>();
        while (!inner.isEmpty()) {
            printOneInner(prefixOnly ? save : null);
        }
        return save;
    }

    void printOneInner(List<Node> save) {
        Node n = inner.remove(inner.size() - 1);
        if (save != null && n instanceof MethodWithQualifiers) {
            save.add(n);
            return;
        }
        if (n.isInner()) {
            n.printInner(this);
        } else {
            print(n);
        }
    }

    /** Whether n prints nothing (an empty pack or list). */
    boolean isEmpty(Node n) {
        if (n instanceof ArgumentPack ap) {
            for (Node a : ap.args) {
                if (!isEmpty(a)) {
                    return false;
                }
            }
            return true;
        }
        if (n instanceof ExprList el) {
            return el.exprs.isEmpty();
        }
        if (n instanceof PackExpansion pe) {
            return pe.pack != null && isEmpty(pe.base);
        }
        return false;
    }

    void parenthesize(Node n) {
        boolean paren = !(n instanceof Name) && !(n instanceof CppAst.FunctionParam)
                && !(n instanceof Qualified q && !q.localName);
        if (paren) {
            startScope('(');
        }
        print(n);
        if (paren) {
            endScope(')');
        }
    }
}
