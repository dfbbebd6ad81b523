package dev.godiag.analysis.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The parse tree of a demangled C++ name, and how each node prints in the GNU style pprof shows
 * (with template arguments and enclosing function parameters left out). Types print inside out, as
 * C++ declarations read: a node that wraps a type (pointer, qualifiers, array, function) is pushed
 * on the printer's "inner" stack and printed by whatever finally writes the name.
 */
final class CppAst {
    private CppAst() {
    }

    /** A node; children are what a rewrite (template parameter substitution, simplification) visits. */
    abstract static class Node {
        /** The children a rewrite visits, in order; absent ones are null. */
        List<Node> kids() {
            return List.of();
        }

        /** A copy of this node with these children (same length and order as {@link #kids}). */
        Node rebuild(List<Node> kids) {
            return this;
        }

        /** The children a walk (finding packs, binding cast template parameters) visits. */
        List<Node> walkKids() {
            return kids();
        }

        abstract void print(CppPrinter p);

        /** Whether the node prints itself as an inner type (pointer, qualifiers, function...). */
        boolean isInner() {
            return false;
        }

        void printInner(CppPrinter p) {
            p.print(this);
        }

        /**
         * A rewrite: each node not skipped is passed to fn after its children; fn's result, if not
         * null, replaces it. Returns null when nothing changed.
         */
        final Node copy(Function<Node, Node> fn, Predicate<Node> skip) {
            if (skip.test(this)) {
                return null;
            }
            List<Node> kids = kids();
            List<Node> copied = null;
            for (int i = 0; i < kids.size(); i++) {
                Node k = kids.get(i);
                if (k == null) {
                    continue;
                }
                Node c = k.copy(fn, skip);
                if (c != null) {
                    if (copied == null) {
                        copied = new ArrayList<>(kids);
                    }
                    copied.set(i, c);
                }
            }
            if (copied == null) {
                return fn.apply(this);
            }
            Node n = rebuild(copied);
            Node r = fn.apply(n);
            return r != null ? r : n;
        }

        /** Visits this node, then its children while visit says so. */
        final void walk(Predicate<Node> visit) {
            if (visit.test(this)) {
                for (Node k : walkKids()) {
                    if (k != null) {
                        k.walk(visit);
                    }
                }
            }
        }
    }

    static List<Node> concat(Node first, List<Node> rest) {
        List<Node> l = new ArrayList<>(rest.size() + 1);
        l.add(first);
        l.addAll(rest);
        return l;
    }

    static final class Name extends Node {
        final String name;

        Name(String name) {
            this.name = name;
        }

        @Override
        void print(CppPrinter p) {
            p.write(name);
        }
    }

    /** A name with its type: a function with its signature, a variable of a type. */
    static final class Typed extends Node {
        final Node name;
        final Node type;

        Typed(Node name, Node type) {
            this.name = name;
            this.type = type;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(name, type);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Typed(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            List<Node> hold = p.inner;
            p.inner = new ArrayList<>(List.of(this));
            p.print(type);
            if (!p.inner.isEmpty()) {
                p.write(' ');
                p.print(name);
            }
            p.inner = hold;
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            p.print(name);
        }
    }

    static final class Qualified extends Node {
        final Node scope;
        Node name;
        final boolean localName;

        Qualified(Node scope, Node name, boolean localName) {
            this.scope = scope;
            this.name = name;
            this.localName = localName;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(scope, name);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Qualified(k.get(0), k.get(1), localName);
        }

        @Override
        void print(CppPrinter p) {
            p.print(scope);
            p.write("::");
            p.print(name);
        }
    }

    /** A template with its arguments; pprof's default prints the name alone. */
    static final class Template extends Node {
        final Node name;
        List<Node> args;

        Template(Node name, List<Node> args) {
            this.name = name;
            this.args = args;
        }

        @Override
        List<Node> kids() {
            return concat(name, args);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Template(k.get(0), new ArrayList<>(k.subList(1, k.size())));
        }

        @Override
        void print(CppPrinter p) {
            List<Node> hold = p.inner;
            p.inner = new ArrayList<>();
            p.print(name);
            p.inner = hold;
        }
    }

    /** A reference to a template argument; template is null while a cast's arguments are unknown. */
    static final class TemplateParam extends Node {
        final int index;
        Template template;

        TemplateParam(int index, Template template) {
            this.index = index;
            this.template = template;
        }

        @Override
        void print(CppPrinter p) {
            if (template == null || index >= template.args.size()) {
                throw new DemangleException("unbound template parameter");
            }
            p.print(template.args.get(index));
        }
    }

    /** A generic lambda's auto parameter (mangled as a template parameter). */
    static final class LambdaAuto extends Node {
        final int index;

        LambdaAuto(int index) {
            this.index = index;
        }

        @Override
        void print(CppPrinter p) {
            p.write("auto:" + (index + 1));
        }
    }

    /** A template argument with its parameter's declaration; only the argument prints. */
    static final class TemplateParamQualifiedArg extends Node {
        final Node param;
        final Node arg;

        TemplateParamQualifiedArg(Node param, Node arg) {
            this.param = param;
            this.arg = arg;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(param, arg);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new TemplateParamQualifiedArg(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.print(arg);
        }
    }

    /** A template parameter declaration (of a lambda or a template argument): never printed here. */
    static final class ParamDecl extends Node {
        final List<Node> parts;

        ParamDecl(List<Node> parts) {
            this.parts = parts;
        }

        @Override
        List<Node> kids() {
            return parts;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ParamDecl(new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            throw new DemangleException("template parameter declarations are not printed");
        }
    }

    static final class Qualifiers extends Node {
        List<Node> list;

        Qualifiers(List<Node> list) {
            this.list = list;
        }

        @Override
        List<Node> kids() {
            return list;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Qualifiers(new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    p.write(' ');
                }
                list.get(i).print(p);
            }
        }
    }

    /** const, volatile, restrict, noexcept(...), throw(...), transaction_safe. */
    static final class Qualifier extends Node {
        final String name;
        final List<Node> exprs;

        Qualifier(String name, List<Node> exprs) {
            this.name = name;
            this.exprs = exprs;
        }

        @Override
        List<Node> kids() {
            return exprs;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Qualifier(name, new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            p.write(name);
            if (!exprs.isEmpty()) {
                p.startScope('(');
                boolean first = true;
                for (Node e : exprs) {
                    if (e instanceof ExprList el && el.exprs.isEmpty()) {
                        continue;
                    }
                    if (!first) {
                        p.write(", ");
                    }
                    p.print(e);
                    first = false;
                }
                p.endScope(')');
            }
        }
    }

    static final class TypeWithQualifiers extends Node {
        final Node base;
        final Node qualifiers;

        TypeWithQualifiers(Node base, Node qualifiers) {
            this.base = base;
            this.qualifiers = qualifiers;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(base, qualifiers);
        }

        @Override
        List<Node> walkKids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new TypeWithQualifiers(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(base);
            if (!p.inner.isEmpty()) {
                p.write(' ');
                p.print(qualifiers);
                p.inner.remove(p.inner.size() - 1);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            p.write(' ');
            p.print(qualifiers);
        }
    }

    /** A member function's qualifiers (const, &&...), applying to "this". */
    static final class MethodWithQualifiers extends Node {
        Node method;
        Node qualifiers; // may be null
        final String refQualifier;

        MethodWithQualifiers(Node method, Node qualifiers, String refQualifier) {
            this.method = method;
            this.qualifiers = qualifiers;
            this.refQualifier = refQualifier;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(method, qualifiers);
        }

        @Override
        List<Node> walkKids() {
            return List.of(method);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new MethodWithQualifiers(k.get(0), k.get(1), refQualifier);
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(method);
            if (!p.inner.isEmpty()) {
                printInner(p);
                p.inner.remove(p.inner.size() - 1);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            if (qualifiers != null) {
                p.write(' ');
                p.print(qualifiers);
            }
            if (!refQualifier.isEmpty()) {
                p.write(' ');
                p.write(refQualifier);
            }
        }
    }

    static final class BuiltinType extends Node {
        final String name;

        BuiltinType(String name) {
            this.name = name;
        }

        @Override
        void print(CppPrinter p) {
            p.write(name);
        }
    }

    /** A type printed as its base followed by a suffix: pointer, references, _Complex... */
    static final class Suffixed extends Node {
        enum Kind { POINTER, REFERENCE, RVALUE_REFERENCE, COMPLEX, IMAGINARY, SUFFIX }

        final Kind kind;
        final Node base;
        final String suffix; // for SUFFIX: "auto", "decltype(auto)"

        Suffixed(Kind kind, Node base, String suffix) {
            this.kind = kind;
            this.base = base;
            this.suffix = suffix;
        }

        Suffixed(Kind kind, Node base) {
            this(kind, base, "");
        }

        @Override
        List<Node> kids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Suffixed(kind, k.get(0), suffix);
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(base);
            if (!p.inner.isEmpty()) {
                printInner(p);
                p.inner.remove(p.inner.size() - 1);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            switch (kind) {
                case POINTER -> p.write("*");
                case REFERENCE -> p.write("&");
                case RVALUE_REFERENCE -> p.write("&&");
                case COMPLEX -> p.write(" _Complex");
                case IMAGINARY -> p.write(" _Imaginary");
                case SUFFIX -> {
                    p.write(' ');
                    p.write(suffix);
                }
            }
        }
    }

    /** A type transformation such as __underlying_type(T). */
    static final class TransformedType extends Node {
        final String name;
        final Node base;

        TransformedType(String name, Node base) {
            this.name = name;
            this.base = base;
        }

        @Override
        List<Node> kids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new TransformedType(name, k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write(name);
            p.startScope('(');
            p.print(base);
            p.endScope(')');
        }
    }

    static final class VendorQualifier extends Node {
        final Node qualifier;
        final Node type;

        VendorQualifier(Node qualifier, Node type) {
            this.qualifier = qualifier;
            this.type = type;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(qualifier, type);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new VendorQualifier(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(type);
            if (!p.inner.isEmpty()) {
                p.printOneInner(null);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            p.write(' ');
            p.print(qualifier);
        }
    }

    static final class ArrayType extends Node {
        final Node dimension;
        final Node element;

        ArrayType(Node dimension, Node element) {
            this.dimension = dimension;
            this.element = element;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(dimension, element);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ArrayType(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(element);
            if (!p.inner.isEmpty()) {
                p.inner.remove(p.inner.size() - 1);
                printDimension(p);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            printDimension(p);
        }

        private void printDimension(CppPrinter p) {
            String space = " ";
            while (!p.inner.isEmpty()) {
                // the element type is not reached yet: parenthesize what wraps it, unless it is
                // another dimension
                Node top = p.inner.get(p.inner.size() - 1);
                Node in = top instanceof TypeWithQualifiers twq ? twq.base : top;
                if (in instanceof ArrayType) {
                    if (in == top) {
                        space = "";
                    }
                    p.printOneInner(null);
                } else {
                    p.write(' ');
                    p.startScope('(');
                    p.printInner(false);
                    p.endScope(')');
                }
            }
            p.write(space);
            p.write('[');
            p.print(dimension);
            p.write(']');
        }
    }

    static final class FunctionType extends Node {
        final Node returnType; // may be null
        final List<Node> args;
        boolean forLocalName;

        FunctionType(Node returnType, List<Node> args, boolean forLocalName) {
            this.returnType = returnType;
            this.args = args;
            this.forLocalName = forLocalName;
        }

        @Override
        List<Node> kids() {
            return concat(returnType, args);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new FunctionType(k.get(0), new ArrayList<>(k.subList(1, k.size())), forLocalName);
        }

        @Override
        void print(CppPrinter p) {
            // an enclosing function's return type is not shown
            Node ret = forLocalName ? null : returnType;
            if (ret != null) {
                p.inner.add(this);
                p.print(ret);
                if (p.inner.isEmpty()) {
                    return; // the return type printed everything
                }
                p.inner.remove(p.inner.size() - 1);
                p.write(' ');
            }
            printArgs(p);
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            printArgs(p);
        }

        private void printArgs(CppPrinter p) {
            boolean paren = false;
            boolean space = false;
            for (int i = p.inner.size() - 1; i >= 0 && !paren; i--) {
                Node in = p.inner.get(i);
                if (in instanceof Suffixed s && (s.kind == Suffixed.Kind.POINTER
                        || s.kind == Suffixed.Kind.REFERENCE || s.kind == Suffixed.Kind.RVALUE_REFERENCE)) {
                    paren = true;
                } else if (in instanceof TypeWithQualifiers || in instanceof PtrMem
                        || in instanceof Suffixed s2 && (s2.kind == Suffixed.Kind.COMPLEX
                        || s2.kind == Suffixed.Kind.IMAGINARY)) {
                    space = true;
                    paren = true;
                }
            }
            if (paren) {
                if (!space && p.last != '(' && p.last != '*') {
                    space = true;
                }
                if (space && p.last != ' ') {
                    p.write(' ');
                }
                p.startScope('(');
            }
            List<Node> save = p.printInner(true);
            if (paren) {
                p.endScope(')');
            }
            p.startScope('(');
            if (!forLocalName) {
                // the parameters of an enclosing function are left out (pprof's default)
                boolean first = true;
                for (Node a : args) {
                    if (p.isEmpty(a)) {
                        continue;
                    }
                    if (!first) {
                        p.write(", ");
                    }
                    p.print(a);
                    first = false;
                }
            }
            p.endScope(')');
            p.inner = save;
            p.printInner(false);
        }
    }

    /** A function parameter in an expression: "this" or {parm#N}. */
    static final class FunctionParam extends Node {
        final int index;

        FunctionParam(int index) {
            this.index = index;
        }

        @Override
        void print(CppPrinter p) {
            p.write(index == 0 ? "this" : "{parm#" + index + "}");
        }
    }

    /** Pointer to member: "int Foo::*", "void (Foo::*)(int)". */
    static final class PtrMem extends Node {
        final Node cls;
        final Node member;

        PtrMem(Node cls, Node member) {
            this.cls = cls;
            this.member = member;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(cls, member);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new PtrMem(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(member);
            if (!p.inner.isEmpty()) {
                p.printOneInner(null);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            if (p.last != '(') {
                p.write(' ');
            }
            p.print(cls);
            p.write("::*");
        }
    }

    /** Fixed-point types (_Accum, _Fract). */
    static final class FixedType extends Node {
        final Node base;
        final boolean accum;
        final boolean sat;

        FixedType(Node base, boolean accum, boolean sat) {
            this.base = base;
            this.accum = accum;
            this.sat = sat;
        }

        @Override
        List<Node> kids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new FixedType(k.get(0), accum, sat);
        }

        @Override
        void print(CppPrinter p) {
            if (sat) {
                p.write("_Sat ");
            }
            if (!(base instanceof BuiltinType b && b.name.equals("int"))) {
                p.print(base);
                p.write(' ');
            }
            p.write(accum ? "_Accum" : "_Fract");
        }
    }

    /** A leaf printed as fixed text (_FloatN, decltype(auto)-like names). */
    static final class Text extends Node {
        final String text;

        Text(String text) {
            this.text = text;
        }

        @Override
        void print(CppPrinter p) {
            p.write(text);
        }
    }

    static final class BitIntType extends Node {
        final Node size;
        final boolean signed;

        BitIntType(Node size, boolean signed) {
            this.size = size;
            this.signed = signed;
        }

        @Override
        List<Node> kids() {
            return List.of(size);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new BitIntType(k.get(0), signed);
        }

        @Override
        void print(CppPrinter p) {
            if (!signed) {
                p.write("unsigned ");
            }
            p.write("_BitInt");
            p.startScope('(');
            p.print(size);
            p.endScope(')');
        }
    }

    static final class VectorType extends Node {
        final Node dimension;
        final Node base;

        VectorType(Node dimension, Node base) {
            this.dimension = dimension;
            this.base = base;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(dimension, base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new VectorType(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.inner.add(this);
            p.print(base);
            if (!p.inner.isEmpty()) {
                p.printOneInner(null);
            }
        }

        @Override
        boolean isInner() {
            return true;
        }

        @Override
        void printInner(CppPrinter p) {
            p.write(" __vector(");
            p.print(dimension);
            p.write(')');
        }
    }

    /** "struct X", "union X", "enum X". */
    static final class ElaboratedType extends Node {
        final String kind;
        final Node type;

        ElaboratedType(String kind, Node type) {
            this.kind = kind;
            this.type = type;
        }

        @Override
        List<Node> kids() {
            return List.of(type);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ElaboratedType(kind, k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write(kind);
            p.write(" ");
            type.print(p);
        }
    }

    static final class Decltype extends Node {
        final Node expr;

        Decltype(Node expr) {
            this.expr = expr;
        }

        @Override
        List<Node> kids() {
            return List.of(expr);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Decltype(k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write("decltype ");
            p.startScope('(');
            p.print(expr);
            p.endScope(')');
        }
    }

    static final class Operator extends Node {
        final String name;

        Operator(String name) {
            this.name = name;
        }

        @Override
        void print(CppPrinter p) {
            p.write("operator");
            char c = name.charAt(0);
            if (c >= 'a' && c <= 'z') {
                p.write(' ');
            }
            p.write(name.endsWith(" ") ? name.substring(0, name.length() - 1) : name);
        }
    }

    static final class Constructor extends Node {
        final Node name;
        final Node base; // inheriting constructor's base, not shown; may be null

        Constructor(Node name, Node base) {
            this.name = name;
            this.base = base;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(name, base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Constructor(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.print(name);
        }
    }

    static final class Destructor extends Node {
        final Node name;

        Destructor(Node name) {
            this.name = name;
        }

        @Override
        List<Node> kids() {
            return List.of(name);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Destructor(k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write('~');
            p.print(name);
        }
    }

    static final class GlobalCDtor extends Node {
        final boolean ctor;
        final Node key;

        GlobalCDtor(boolean ctor, Node key) {
            this.ctor = ctor;
            this.key = key;
        }

        @Override
        List<Node> kids() {
            return List.of(key);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new GlobalCDtor(ctor, k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write("global ");
            p.write(ctor ? "constructors" : "destructors");
            p.write(" keyed to ");
            p.print(key);
        }
    }

    /** An ABI tag: "name[abi:cxx11]". */
    static final class TaggedName extends Node {
        final Node name;
        final Node tag;

        TaggedName(Node name, Node tag) {
            this.name = name;
            this.tag = tag;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(name, tag);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new TaggedName(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.print(name);
            p.write("[abi:");
            p.print(tag);
            p.write(']');
        }
    }

    static final class PackExpansion extends Node {
        final Node base;
        final ArgumentPack pack; // may be null

        PackExpansion(Node base, ArgumentPack pack) {
            this.base = base;
            this.pack = pack;
        }

        @Override
        List<Node> kids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new PackExpansion(k.get(0), pack);
        }

        @Override
        void print(CppPrinter p) {
            if (pack == null) {
                p.parenthesize(base);
                p.write("...");
            } else {
                p.print(base);
            }
        }
    }

    static final class ArgumentPack extends Node {
        final List<Node> args;

        ArgumentPack(List<Node> args) {
            this.args = args;
        }

        @Override
        List<Node> kids() {
            return args;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ArgumentPack(new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    p.write(", ");
                }
                p.print(args.get(i));
            }
        }
    }

    /** A conversion operator: "operator int". */
    static final class Cast extends Node {
        final Node to;

        Cast(Node to) {
            this.to = to;
        }

        @Override
        List<Node> kids() {
            return List.of(to);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Cast(k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write("operator ");
            p.print(to);
        }
    }

    static final class DefaultArg extends Node {
        final int num;
        Node arg;

        DefaultArg(int num, Node arg) {
            this.num = num;
            this.arg = arg;
        }

        @Override
        List<Node> kids() {
            return List.of(arg);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new DefaultArg(num, k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write("{default arg#" + (num + 1) + "}::");
            p.print(arg);
        }
    }

    /** A lambda's type: "{lambda(int, char const*)#1}". */
    static final class Closure extends Node {
        final List<Node> templateArgs;
        final Node templateArgsConstraint; // may be null
        final List<Node> types;
        final int num;
        final Node callConstraint; // may be null

        Closure(List<Node> templateArgs, Node templateArgsConstraint, List<Node> types, int num,
                Node callConstraint) {
            this.templateArgs = templateArgs;
            this.templateArgsConstraint = templateArgsConstraint;
            this.types = types;
            this.num = num;
            this.callConstraint = callConstraint;
        }

        @Override
        List<Node> kids() {
            List<Node> k = new ArrayList<>(templateArgs);
            k.add(templateArgsConstraint);
            k.addAll(types);
            k.add(callConstraint);
            return k;
        }

        @Override
        Node rebuild(List<Node> k) {
            int t = templateArgs.size();
            return new Closure(new ArrayList<>(k.subList(0, t)), k.get(t),
                    new ArrayList<>(k.subList(t + 1, t + 1 + types.size())), num, k.get(k.size() - 1));
        }

        @Override
        void print(CppPrinter p) {
            if (!templateArgs.isEmpty() || templateArgsConstraint != null || callConstraint != null) {
                throw new DemangleException("templated lambdas are not printed");
            }
            p.write("{lambda");
            p.startScope('(');
            p.printList(types);
            p.endScope(')');
            p.write("#" + (num + 1) + "}");
        }
    }

    static final class StructuredBindings extends Node {
        final List<Node> bindings;

        StructuredBindings(List<Node> bindings) {
            this.bindings = bindings;
        }

        @Override
        List<Node> kids() {
            return bindings;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new StructuredBindings(new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            p.write("[");
            p.printList(bindings);
            p.write("]");
        }
    }

    static final class UnnamedType extends Node {
        final int num;

        UnnamedType(int num) {
            this.num = num;
        }

        @Override
        void print(CppPrinter p) {
            p.write("{unnamed type#" + (num + 1) + "}");
        }
    }

    /** A GCC clone suffix: "f() [clone .constprop.0]". */
    static final class Clone extends Node {
        final Node base;
        final String suffix;

        Clone(Node base, String suffix) {
            this.base = base;
            this.suffix = suffix;
        }

        @Override
        List<Node> kids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Clone(k.get(0), suffix);
        }

        @Override
        void print(CppPrinter p) {
            p.print(base);
            p.write(" [clone " + suffix + "]");
        }
    }

    /** "vtable for X", "non-virtual thunk to f()"... */
    static final class Special extends Node {
        final String prefix;
        final Node val;

        Special(String prefix, Node val) {
            this.prefix = prefix;
            this.val = val;
        }

        @Override
        List<Node> kids() {
            return List.of(val);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Special(prefix, k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write(prefix);
            p.print(val);
        }
    }

    /** "construction vtable for B-in-D". */
    static final class Special2 extends Node {
        final String prefix;
        final Node val1;
        final String middle;
        final Node val2;

        Special2(String prefix, Node val1, String middle, Node val2) {
            this.prefix = prefix;
            this.val1 = val1;
            this.middle = middle;
            this.val2 = val2;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(val1, val2);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Special2(prefix, k.get(0), middle, k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.write(prefix);
            p.print(val1);
            p.write(middle);
            p.print(val2);
        }
    }

    /** A name followed by a bracketed list: "f() [enable_if:...]". */
    static final class EnableIf extends Node {
        final Node type;
        final List<Node> args;

        EnableIf(Node type, List<Node> args) {
            this.type = type;
            this.args = args;
        }

        @Override
        List<Node> kids() {
            return concat(type, args);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new EnableIf(k.get(0), new ArrayList<>(k.subList(1, k.size())));
        }

        @Override
        void print(CppPrinter p) {
            p.print(type);
            p.write(" [enable_if:");
            p.printList(args);
            p.write("]");
        }
    }

    static final class ModuleName extends Node {
        final Node parent; // may be null
        final Node name;
        final boolean partition;

        ModuleName(Node parent, Node name, boolean partition) {
            this.parent = parent;
            this.name = name;
            this.partition = partition;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(parent, name);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ModuleName(k.get(0), k.get(1), partition);
        }

        @Override
        void print(CppPrinter p) {
            if (parent != null) {
                p.print(parent);
            }
            if (partition) {
                p.write(':');
            } else if (parent != null) {
                p.write('.');
            }
            p.print(name);
        }
    }

    static final class ModuleEntity extends Node {
        final Node module;
        final Node name;

        ModuleEntity(Node module, Node name) {
            this.module = module;
            this.name = name;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(module, name);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ModuleEntity(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.print(name);
            p.write('@');
            p.print(module);
        }
    }

    static final class Friend extends Node {
        final Node name;

        Friend(Node name) {
            this.name = name;
        }

        @Override
        List<Node> kids() {
            return List.of(name);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Friend(k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write("friend ");
            p.print(name);
        }
    }

    static final class Constraint extends Node {
        final Node name;
        final Node requires;

        Constraint(Node name, Node requires) {
            this.name = name;
            this.requires = requires;
        }

        @Override
        List<Node> kids() {
            return Arrays.asList(name, requires);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Constraint(k.get(0), k.get(1));
        }

        @Override
        void print(CppPrinter p) {
            p.print(name);
            p.write(" requires ");
            p.print(requires);
        }
    }

    static final class ExplicitObjectParameter extends Node {
        final Node base;

        ExplicitObjectParameter(Node base) {
            this.base = base;
        }

        @Override
        List<Node> kids() {
            return List.of(base);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ExplicitObjectParameter(k.get(0));
        }

        @Override
        void print(CppPrinter p) {
            p.write("this ");
            p.print(base);
        }
    }

    /** A literal in an expression: "5", "5u", "(char)97", "true". */
    static final class Literal extends Node {
        final Node type;
        final String val;
        final boolean neg;

        Literal(Node type, String val, boolean neg) {
            this.type = type;
            this.val = val;
            this.neg = neg;
        }

        @Override
        List<Node> kids() {
            return List.of(type);
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Literal(k.get(0), val, neg);
        }

        @Override
        void print(CppPrinter p) {
            boolean isFloat = false;
            if (type instanceof BuiltinType b) {
                String suffix = switch (b.name) {
                    case "int" -> "";
                    case "unsigned int" -> "u";
                    case "long" -> "l";
                    case "unsigned long" -> "ul";
                    case "long long" -> "ll";
                    case "unsigned long long" -> "ull";
                    default -> null;
                };
                if (suffix != null) {
                    if (neg) {
                        p.write('-');
                    }
                    p.write(val);
                    p.write(suffix);
                    return;
                } else if (b.name.equals("bool") && !neg && (val.equals("0") || val.equals("1"))) {
                    p.write(val.equals("0") ? "false" : "true");
                    return;
                } else if (b.name.equals("decltype(nullptr)") && (val.isEmpty() || val.equals("0"))) {
                    p.print(type);
                    return;
                } else {
                    isFloat = switch (b.name) {
                        case "double", "long double", "float", "__float128", "half" -> true;
                        default -> false;
                    };
                }
            }
            p.startScope('(');
            p.print(type);
            p.endScope(')');
            if (isFloat) {
                p.write('[');
            }
            if (neg) {
                p.write('-');
            }
            p.write(val);
            if (isFloat) {
                p.write(']');
            }
        }
    }

    static final class ExprList extends Node {
        final List<Node> exprs;

        ExprList(List<Node> exprs) {
            this.exprs = exprs;
        }

        @Override
        List<Node> kids() {
            return exprs;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new ExprList(new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            p.printList(exprs);
        }
    }

    /**
     * An expression (operators, calls, casts, new, sizeof...). Its parts are kept for rewrites;
     * it is printed only where pprof's default shows it (a decltype or an array bound in a shown
     * type), which this demangler does not do: such a symbol is left as it is.
     */
    static final class Expr extends Node {
        final String what;
        final List<Node> parts;

        Expr(String what, List<Node> parts) {
            this.what = what;
            this.parts = parts;
        }

        @Override
        List<Node> kids() {
            return parts;
        }

        @Override
        Node rebuild(List<Node> k) {
            return new Expr(what, new ArrayList<>(k));
        }

        @Override
        void print(CppPrinter p) {
            throw new DemangleException("expression " + what + " is not printed");
        }
    }
}
