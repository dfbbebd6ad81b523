package dev.godiag.analysis.symbols;

import dev.godiag.analysis.symbols.CppAst.ArgumentPack;
import dev.godiag.analysis.symbols.CppAst.ArrayType;
import dev.godiag.analysis.symbols.CppAst.BitIntType;
import dev.godiag.analysis.symbols.CppAst.BuiltinType;
import dev.godiag.analysis.symbols.CppAst.Cast;
import dev.godiag.analysis.symbols.CppAst.Clone;
import dev.godiag.analysis.symbols.CppAst.Closure;
import dev.godiag.analysis.symbols.CppAst.Constraint;
import dev.godiag.analysis.symbols.CppAst.Constructor;
import dev.godiag.analysis.symbols.CppAst.Decltype;
import dev.godiag.analysis.symbols.CppAst.DefaultArg;
import dev.godiag.analysis.symbols.CppAst.Destructor;
import dev.godiag.analysis.symbols.CppAst.ElaboratedType;
import dev.godiag.analysis.symbols.CppAst.EnableIf;
import dev.godiag.analysis.symbols.CppAst.ExplicitObjectParameter;
import dev.godiag.analysis.symbols.CppAst.Expr;
import dev.godiag.analysis.symbols.CppAst.ExprList;
import dev.godiag.analysis.symbols.CppAst.FixedType;
import dev.godiag.analysis.symbols.CppAst.Friend;
import dev.godiag.analysis.symbols.CppAst.FunctionParam;
import dev.godiag.analysis.symbols.CppAst.FunctionType;
import dev.godiag.analysis.symbols.CppAst.GlobalCDtor;
import dev.godiag.analysis.symbols.CppAst.LambdaAuto;
import dev.godiag.analysis.symbols.CppAst.Literal;
import dev.godiag.analysis.symbols.CppAst.MethodWithQualifiers;
import dev.godiag.analysis.symbols.CppAst.ModuleEntity;
import dev.godiag.analysis.symbols.CppAst.ModuleName;
import dev.godiag.analysis.symbols.CppAst.Name;
import dev.godiag.analysis.symbols.CppAst.Node;
import dev.godiag.analysis.symbols.CppAst.Operator;
import dev.godiag.analysis.symbols.CppAst.PackExpansion;
import dev.godiag.analysis.symbols.CppAst.ParamDecl;
import dev.godiag.analysis.symbols.CppAst.PtrMem;
import dev.godiag.analysis.symbols.CppAst.Qualified;
import dev.godiag.analysis.symbols.CppAst.Qualifier;
import dev.godiag.analysis.symbols.CppAst.Qualifiers;
import dev.godiag.analysis.symbols.CppAst.Special;
import dev.godiag.analysis.symbols.CppAst.Special2;
import dev.godiag.analysis.symbols.CppAst.StructuredBindings;
import dev.godiag.analysis.symbols.CppAst.Suffixed;
import dev.godiag.analysis.symbols.CppAst.TaggedName;
import dev.godiag.analysis.symbols.CppAst.Template;
import dev.godiag.analysis.symbols.CppAst.TemplateParam;
import dev.godiag.analysis.symbols.CppAst.TemplateParamQualifiedArg;
import dev.godiag.analysis.symbols.CppAst.Text;
import dev.godiag.analysis.symbols.CppAst.TransformedType;
import dev.godiag.analysis.symbols.CppAst.Typed;
import dev.godiag.analysis.symbols.CppAst.TypeWithQualifiers;
import dev.godiag.analysis.symbols.CppAst.UnnamedType;
import dev.godiag.analysis.symbols.CppAst.VectorType;
import dev.godiag.analysis.symbols.CppAst.VendorQualifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Itanium C++ ABI's mangled names ("_Z..."), demangled as pprof's default shows them: a
 * function without its parameters, templates without their arguments, a local entity's enclosing
 * function as "f()". Parsing follows the grammar and the choices (what is a substitution
 * candidate, what a template parameter refers to, where GCC and clang stray from the ABI) of the
 * demangler pprof uses, so that the same symbols demangle, into the same text; a symbol it would
 * refuse is refused. The symbol is a string of bytes, one char each.
 */
final class CppDemangler {
    private static final int MAX_SYMBOL = 1 << 16;
    private static final int MAX_DEPTH = 400;

    private final String s;
    private int pos;
    private List<Node> subs = new ArrayList<>();
    /** Templates whose parameters T_ refers to; null while a cast's template is not yet known. */
    private List<Template> templates = new ArrayList<>();
    /** templates.size() + 1 when a lambda's signature started (auto parameters are T_), else 0. */
    private int lambdaTemplateLevel;
    private boolean parsingConstraint;
    private int typeParamCount;
    private int nonTypeParamCount;
    private int templateTemplateParamCount;
    private int depth;
    /** name()'s second result: the C++23 explicit object parameter mark ("H"). */
    private boolean explicitObject;
    /** unqualifiedName()'s second result: the name is a conversion operator. */
    private boolean isCast;

    private CppDemangler(String s) {
        this.s = s;
    }

    /** The demangled symbol; throws {@link DemangleException} if it is not a C++ one or does not parse. */
    static String demangle(String symbol) {
        if (symbol.length() > MAX_SYMBOL) {
            throw new DemangleException("symbol too long");
        }
        Node a;
        if (symbol.startsWith("_Z")) {
            a = new CppDemangler(symbol.substring(2)).topLevel(false);
        } else if (symbol.startsWith("___Z")) {
            // clang's blocks
            int block = symbol.lastIndexOf("_block_invoke");
            if (block < 0) {
                throw new DemangleException("not mangled");
            }
            Node inner = new CppDemangler(symbol.substring(4, block)).topLevel(false);
            String rest = symbol.substring(block + "_block_invoke".length());
            if (rest.startsWith("_")) {
                rest = rest.substring(1);
            }
            int d = 0;
            while (d < rest.length() && isDigit(rest.charAt(d))) {
                d++;
            }
            if (d < rest.length() && rest.charAt(d) != '.') {
                throw new DemangleException("unparsed characters at end of mangled name");
            }
            a = new Special("invocation function for block in ", inner);
        } else if (symbol.startsWith("_GLOBAL_")) {
            a = globalCDtor(symbol.substring("_GLOBAL_".length()));
        } else {
            throw new DemangleException("not mangled");
        }
        return CppPrinter.toString(a);
    }

    /** "_GLOBAL_" symbols: the demangler shows these with their parameters. */
    private static Node globalCDtor(String name) {
        if (name.length() < 4 || ".$_".indexOf(name.charAt(0)) < 0) {
            throw new DemangleException("not mangled");
        }
        boolean ctor;
        switch (name.charAt(1)) {
            case 'I' -> ctor = true;
            case 'D' -> ctor = false;
            default -> throw new DemangleException("not mangled");
        }
        if (name.charAt(2) != '_') {
            throw new DemangleException("not mangled");
        }
        if (!name.startsWith("_Z", 3)) {
            return new GlobalCDtor(ctor, new Name(name));
        }
        return new GlobalCDtor(ctor, new CppDemangler(name.substring(5)).topLevel(true));
    }

    /** The whole symbol; with params its parameters and clone suffixes too, and nothing may follow. */
    private Node topLevel(boolean params) {
        Node a = encoding(params, false);
        if (params) {
            while (remaining() > 1 && s.charAt(pos) == '.' && isCloneChar(s.charAt(pos + 1))) {
                a = cloneSuffix(a);
            }
            if (remaining() > 0) {
                throw fail("unparsed characters at end of mangled name");
            }
        }
        return a;
    }

    // ---- cursor ----

    private DemangleException fail(String why) {
        return new DemangleException(why + " at " + pos);
    }

    private int remaining() {
        return s.length() - pos;
    }

    private boolean at(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private boolean atAfter(int offset, char c) {
        return pos + offset < s.length() && s.charAt(pos + offset) == c;
    }

    private char peek() {
        return s.charAt(pos);
    }

    private void advance(int n) {
        pos += n;
    }

    private void expect(char c) {
        if (!at(c)) {
            throw fail("expected " + c);
        }
        pos++;
    }

    private void expect(char c, String why) {
        if (!at(c)) {
            throw fail(why);
        }
        pos++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw fail("nested too deeply");
        }
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isCloneChar(char c) {
        return isLower(c) || c == '_' || isDigit(c);
    }

    // ---- names ----

    /** {@code <encoding> ::= <name> <bare-function-type> | <name> | <special-name>}. */
    private Node encoding(boolean params, boolean forLocalName) {
        enter();
        if (remaining() < 1) {
            throw fail("expected encoding");
        }
        if (peek() == 'G' || peek() == 'T') {
            Node special = specialName();
            depth--;
            return special;
        }
        Node a = name();
        boolean explicit = explicitObject;
        a = simplify(a);
        if (!params) {
            // qualifiers of the implicit object go with the parameters that are not shown
            if (a instanceof MethodWithQualifiers mwq) {
                a = mwq.method;
            }
            if (a instanceof Qualified q && q.localName) {
                if (q.name instanceof DefaultArg da) {
                    if (da.arg instanceof MethodWithQualifiers mwq) {
                        da.arg = mwq.method;
                    }
                } else if (q.name instanceof MethodWithQualifiers mwq) {
                    q.name = mwq.method;
                }
            }
            depth--;
            return a;
        }
        if (remaining() == 0 || peek() == 'E') {
            depth--;
            return a; // data, not a function
        }
        MethodWithQualifiers mwq = a instanceof MethodWithQualifiers m ? m : null;
        Template template = findTemplate(a);
        int oldLambdaLevel = 0;
        if (template != null) {
            templates.add(template);
            oldLambdaLevel = lambdaTemplateLevel;
            lambdaTemplateLevel = 0;
        }
        List<Node> enableIfArgs = List.of();
        if (s.startsWith("Ua9enable_ifI", pos)) {
            advance("Ua9enable_ifI".length() - 1);
            enableIfArgs = templateArgs();
        }
        Node ft = bareFunctionType(hasReturnType(a), explicit);
        Node constraint = null;
        if (at('Q')) {
            constraint = constraintExpr();
        }
        if (template != null) {
            templates.remove(templates.size() - 1);
            lambdaTemplateLevel = oldLambdaLevel;
        }
        ft = simplify(ft);
        if (forLocalName && ft instanceof FunctionType f) {
            f.forLocalName = true;
        }
        // qualifiers at the top belong to the function type
        if (mwq != null) {
            a = mwq.method;
            mwq.method = ft;
            ft = mwq;
        }
        if (a instanceof Qualified q && q.localName) {
            if (q.name instanceof DefaultArg da) {
                if (da.arg instanceof MethodWithQualifiers m) {
                    da.arg = m.method;
                    m.method = ft;
                    ft = m;
                }
            } else if (q.name instanceof MethodWithQualifiers m) {
                q.name = m.method;
                m.method = ft;
                ft = m;
            }
        }
        Node r = new Typed(a, ft);
        if (!enableIfArgs.isEmpty()) {
            r = new EnableIf(r, enableIfArgs);
        }
        if (constraint != null) {
            r = new Constraint(r, constraint);
        }
        depth--;
        return r;
    }

    private static Template findTemplate(Node n) {
        if (n instanceof Template t) {
            return t;
        }
        if (n instanceof Qualified q) {
            if (q.localName || q.name instanceof Constructor) {
                return findTemplate(q.name);
            }
        } else if (n instanceof MethodWithQualifiers m) {
            return findTemplate(m.method);
        } else if (n instanceof Constructor c && c.base != null) {
            return findTemplate(c.base);
        }
        return null;
    }

    /** Whether a function of this name has its return type mangled (templates, but not constructors...). */
    private static boolean hasReturnType(Node n) {
        if (n instanceof Qualified q) {
            return q.localName && hasReturnType(q.name);
        }
        if (n instanceof Template t) {
            return !isCDtorConversion(t.name);
        }
        if (n instanceof TypeWithQualifiers t) {
            return hasReturnType(t.base);
        }
        if (n instanceof MethodWithQualifiers m) {
            return hasReturnType(m.method);
        }
        return false;
    }

    private static boolean isCDtorConversion(Node n) {
        if (n instanceof Qualified q) {
            return isCDtorConversion(q.name);
        }
        return n instanceof Constructor || n instanceof Destructor || n instanceof Cast;
    }

    private Node taggedName(Node a) {
        while (at('B')) {
            advance(1);
            a = new TaggedName(a, sourceName());
        }
        return a;
    }

    /** {@code <name>}: nested, local, unscoped, or an unscoped template; sets explicitObject. */
    private Node name() {
        enter();
        explicitObject = false;
        if (remaining() < 1) {
            throw fail("expected name");
        }
        Node module = null;
        switch (peek()) {
            case 'N' -> {
                Node n = nestedName();
                depth--;
                return n;
            }
            case 'Z' -> {
                Node n = localName();
                depth--;
                return n;
            }
            case 'U' -> {
                Node a = unqualifiedName(null);
                if (isCast) {
                    setTemplate(a, null);
                }
                explicitObject = false;
                depth--;
                return a;
            }
            case 'S' -> {
                if (remaining() < 2) {
                    advance(1);
                    throw fail("expected substitution index");
                }
                Node a;
                boolean cast = false;
                boolean subst = false;
                if (s.charAt(pos + 1) == 't') {
                    advance(2);
                    a = unqualifiedName(null);
                    cast = isCast;
                    a = new Qualified(new Name("std"), a, false);
                } else {
                    a = substitution(false);
                    if (a instanceof ModuleName) {
                        module = a;
                        a = null;
                    } else {
                        subst = true;
                    }
                }
                if (a != null) {
                    if (at('I')) {
                        // an unscoped template name not from a substitution is a candidate itself
                        if (!subst) {
                            subs.add(a);
                        }
                        List<Node> args = templateArgs();
                        Template tmpl = new Template(a, args);
                        if (cast) {
                            setTemplate(a, tmpl);
                            clearTemplateArgs(args);
                            cast = false;
                        }
                        a = tmpl;
                    }
                    if (cast) {
                        setTemplate(a, null);
                    }
                    explicitObject = false;
                    depth--;
                    return a;
                }
            }
            default -> {
                // an unscoped name, below
            }
        }
        Node a = unqualifiedName(module);
        boolean cast = isCast;
        if (at('I')) {
            subs.add(a);
            List<Node> args = templateArgs();
            Template tmpl = new Template(a, args);
            if (cast) {
                setTemplate(a, tmpl);
                clearTemplateArgs(args);
                cast = false;
            }
            a = tmpl;
        }
        if (cast) {
            setTemplate(a, null);
        }
        explicitObject = false;
        depth--;
        return a;
    }

    /** {@code N [<CV-qualifiers>] [<ref-qualifier>] <prefix> E}. */
    private Node nestedName() {
        expect('N');
        Node q = null;
        String r = "";
        boolean explicit = false;
        if (at('H')) {
            advance(1);
            explicit = true;
        } else {
            q = cvQualifiers();
            r = refQualifier();
        }
        Node a = prefix();
        if (q != null || !r.isEmpty()) {
            a = new MethodWithQualifiers(a, q, r);
        }
        expect('E', "expected E after nested name");
        explicitObject = explicit;
        return a;
    }

    /** The last component of a prefix: the class a constructor or destructor is named after. */
    private static Node lastName(Node n) {
        while (true) {
            if (n instanceof Template t) {
                n = t.name;
            } else if (n instanceof Qualified q) {
                n = q.name;
            } else if (n instanceof TaggedName t) {
                n = t.name;
            } else {
                return n;
            }
        }
    }

    /** The components of a nested name up to its E; each one, with its scope, a substitution candidate. */
    private Node prefix() {
        Node a = null;
        Node last = null;
        Node module = null;
        Cast cast = null;
        while (true) {
            if (remaining() == 0) {
                throw fail("expected prefix");
            }
            Node next = null;
            char c = peek();
            if (isDigit(c) || isLower(c) || c == 'U' || c == 'L' || c == 'F' || c == 'W'
                    || c == 'D' && atAfter(1, 'C')) {
                Node un = unqualifiedName(module);
                next = un;
                module = null;
                if (isCast) {
                    if (un instanceof TaggedName tn) {
                        un = tn.name;
                    }
                    if (!(un instanceof Cast cu)) {
                        throw fail("conversion operator in an unexpected place");
                    }
                    cast = cu;
                }
            } else {
                switch (c) {
                    case 'C' -> {
                        boolean inheriting = false;
                        advance(1);
                        if (at('I')) {
                            inheriting = true;
                            advance(1);
                        }
                        if (remaining() < 1) {
                            throw fail("expected constructor type");
                        }
                        if (last == null) {
                            throw fail("constructor before name is seen");
                        }
                        advance(1);
                        Node base = inheriting ? type(false) : null;
                        next = new Constructor(lastName(last), base);
                        if (at('B')) {
                            next = taggedName(next);
                        }
                    }
                    case 'D' -> {
                        if (atAfter(1, 'T') || atAfter(1, 't')) {
                            next = type(false);
                        } else {
                            if (remaining() < 2) {
                                throw fail("expected destructor type");
                            }
                            if (last == null) {
                                throw fail("destructor before name is seen");
                            }
                            advance(2);
                            next = new Destructor(lastName(last));
                            if (at('B')) {
                                next = taggedName(next);
                            }
                        }
                    }
                    case 'S' -> {
                        next = substitution(true);
                        if (next instanceof ModuleName) {
                            module = next;
                            next = null;
                        }
                    }
                    case 'I', 'J' -> {
                        if (a == null) {
                            throw fail("unexpected template arguments");
                        }
                        List<Node> args;
                        if (c == 'I') {
                            args = templateArgs();
                        } else {
                            // clang sometimes emits J for template arguments without the I
                            args = new ArrayList<>();
                            while (remaining() == 0 || peek() != 'E') {
                                args.add(templateArg(null));
                            }
                            advance(1);
                        }
                        Template tmpl = new Template(a, args);
                        if (cast != null) {
                            setTemplate(cast, tmpl);
                            clearTemplateArgs(args);
                            cast = null;
                        }
                        a = null;
                        next = tmpl;
                    }
                    case 'T' -> next = templateParam();
                    case 'E' -> {
                        if (a == null) {
                            throw fail("expected prefix");
                        }
                        if (cast != null) {
                            setTemplate(cast, cast.to instanceof Template t ? t : null);
                        }
                        return a;
                    }
                    case 'M' -> {
                        // a lambda's initializer scope: nothing to record
                        if (a == null) {
                            throw fail("unexpected lambda initializer");
                        }
                        advance(1);
                        continue;
                    }
                    default -> throw fail("unrecognized letter in prefix");
                }
            }
            if (next == null) {
                continue;
            }
            last = next;
            a = a == null ? next : new Qualified(a, next, false);
            if (c != 'S' && (remaining() == 0 || peek() != 'E')) {
                subs.add(a);
            }
        }
    }

    /** An operator, constructor/destructor, source or local source name; sets isCast. */
    private Node unqualifiedName(Node module) {
        if (remaining() < 1) {
            throw fail("expected unqualified name");
        }
        module = moduleName(module);
        boolean friend = false;
        if (at('F')) {
            advance(1);
            friend = true;
            if (remaining() < 1) {
                throw fail("expected unqualified name");
            }
        }
        Node a;
        boolean cast = false;
        char c = peek();
        if (isDigit(c)) {
            a = sourceName();
        } else if (isLower(c)) {
            a = operatorName(false);
            if (a instanceof Cast) {
                cast = true;
            }
            if (a instanceof Operator op && op.name.equals("operator\"\" ")) {
                a = new Text("operator\"\" " + ((Name) sourceName()).name); // a user-defined literal
            }
        } else if (c == 'D' && atAfter(1, 'C')) {
            advance(2);
            List<Node> bindings = new ArrayList<>();
            while (true) {
                bindings.add(sourceName());
                if (at('E')) {
                    advance(1);
                    break;
                }
            }
            a = new StructuredBindings(bindings);
        } else {
            switch (c) {
                case 'C', 'D' -> throw fail("constructor/destructor not in nested name");
                case 'L' -> {
                    advance(1);
                    a = discriminator(sourceName());
                }
                case 'U' -> {
                    if (remaining() < 2) {
                        advance(1);
                        throw fail("expected closure or unnamed type");
                    }
                    switch (s.charAt(pos + 1)) {
                        case 'b' -> {
                            advance(2);
                            compactNumber();
                            a = new Name("'block-literal'");
                        }
                        case 'l' -> a = closureTypeName();
                        case 't' -> a = unnamedTypeName();
                        default -> {
                            advance(1);
                            throw fail("expected closure or unnamed type");
                        }
                    }
                }
                default -> throw fail("expected unqualified name");
            }
        }
        if (module != null) {
            a = new ModuleEntity(module, a);
        }
        if (at('B')) {
            a = taggedName(a);
        }
        if (friend) {
            a = new Friend(a);
        }
        isCast = cast;
        return a;
    }

    /** {@code <length> <identifier>}; GCC's anonymous namespace gets its friendly name. */
    private Node sourceName() {
        int len = number();
        if (len <= 0) {
            throw fail("expected positive number");
        }
        if (remaining() < len) {
            throw fail("not enough characters for identifier");
        }
        String id = s.substring(pos, pos + len);
        advance(len);
        if (id.startsWith("_GLOBAL_") && id.length() > "_GLOBAL_".length() + 2) {
            char c1 = id.charAt(8);
            char c2 = id.charAt(9);
            if ((c1 == '.' || c1 == '_' || c1 == '$') && c2 == 'N') {
                id = "(anonymous namespace)";
            }
        }
        return new Name(id);
    }

    /** C++20 module names (W, WP), each a substitution candidate; parent if there is none. */
    private Node moduleName(Node parent) {
        Node ret = parent;
        while (at('W')) {
            advance(1);
            boolean partition = false;
            if (at('P')) {
                advance(1);
                partition = true;
            }
            ret = new ModuleName(ret, sourceName(), partition);
            subs.add(ret);
        }
        return ret;
    }

    /** {@code [n] <decimal>}. */
    private int number() {
        boolean neg = false;
        if (at('n')) {
            neg = true;
            advance(1);
        }
        if (remaining() == 0 || !isDigit(peek())) {
            throw fail("missing number");
        }
        int val = 0;
        while (remaining() > 0 && isDigit(peek())) {
            if (val >= 0x80000000L / 10 - 10) {
                throw fail("numeric overflow");
            }
            val = val * 10 + (peek() - '0');
            advance(1);
        }
        return neg ? -val : val;
    }

    /** {@code <seq-id> _}: base 36 in digits and upper case, plus one; "_" alone is 0. */
    private int seqId(boolean eofOk) {
        if (at('_')) {
            advance(1);
            return 0;
        }
        int id = 0;
        while (true) {
            if (remaining() == 0) {
                if (eofOk) {
                    return id + 1;
                }
                throw fail("missing end to sequence ID");
            }
            if (id >= 0x80000000L / 36 - 36) {
                throw fail("sequence ID overflow");
            }
            char c = peek();
            if (c == '_') {
                advance(1);
                return id + 1;
            }
            if (isDigit(c)) {
                id = id * 36 + (c - '0');
            } else if (isUpper(c)) {
                id = id * 36 + (c - 'A') + 10;
            } else {
                throw fail("invalid character in sequence ID");
            }
            advance(1);
        }
    }

    private record Op(String name, int args) {
    }

    private static final Map<String, Op> OPERATORS = Map.ofEntries(
            Map.entry("aN", new Op("&=", 2)), Map.entry("aS", new Op("=", 2)), Map.entry("aa", new Op("&&", 2)),
            Map.entry("ad", new Op("&", 1)), Map.entry("an", new Op("&", 2)), Map.entry("at", new Op("alignof ", 1)),
            Map.entry("aw", new Op("co_await ", 1)), Map.entry("az", new Op("alignof ", 1)),
            Map.entry("cc", new Op("const_cast", 2)), Map.entry("cl", new Op("()", 2)),
            Map.entry("cp", new Op("()", 2)), Map.entry("cm", new Op(",", 2)), Map.entry("co", new Op("~", 1)),
            Map.entry("dV", new Op("/=", 2)), Map.entry("dX", new Op("[...]=", 3)),
            Map.entry("da", new Op("delete[] ", 1)), Map.entry("dc", new Op("dynamic_cast", 2)),
            Map.entry("de", new Op("*", 1)), Map.entry("di", new Op("=", 2)), Map.entry("dl", new Op("delete ", 1)),
            Map.entry("ds", new Op(".*", 2)), Map.entry("dt", new Op(".", 2)), Map.entry("dv", new Op("/", 2)),
            Map.entry("dx", new Op("]=", 2)), Map.entry("eO", new Op("^=", 2)), Map.entry("eo", new Op("^", 2)),
            Map.entry("eq", new Op("==", 2)), Map.entry("fl", new Op("...", 2)), Map.entry("fr", new Op("...", 2)),
            Map.entry("fL", new Op("...", 3)), Map.entry("fR", new Op("...", 3)), Map.entry("ge", new Op(">=", 2)),
            Map.entry("gs", new Op("::", 1)), Map.entry("gt", new Op(">", 2)), Map.entry("ix", new Op("[]", 2)),
            Map.entry("lS", new Op("<<=", 2)), Map.entry("le", new Op("<=", 2)),
            Map.entry("li", new Op("operator\"\" ", 1)), Map.entry("ls", new Op("<<", 2)),
            Map.entry("lt", new Op("<", 2)), Map.entry("mI", new Op("-=", 2)), Map.entry("mL", new Op("*=", 2)),
            Map.entry("mi", new Op("-", 2)), Map.entry("ml", new Op("*", 2)), Map.entry("mm", new Op("--", 1)),
            Map.entry("na", new Op("new[]", 3)), Map.entry("ne", new Op("!=", 2)), Map.entry("ng", new Op("-", 1)),
            Map.entry("nt", new Op("!", 1)), Map.entry("nw", new Op("new", 3)), Map.entry("nx", new Op("noexcept", 1)),
            Map.entry("oR", new Op("|=", 2)), Map.entry("oo", new Op("||", 2)), Map.entry("or", new Op("|", 2)),
            Map.entry("pL", new Op("+=", 2)), Map.entry("pl", new Op("+", 2)), Map.entry("pm", new Op("->*", 2)),
            Map.entry("pp", new Op("++", 1)), Map.entry("ps", new Op("+", 1)), Map.entry("pt", new Op("->", 2)),
            Map.entry("qu", new Op("?", 3)), Map.entry("rM", new Op("%=", 2)), Map.entry("rS", new Op(">>=", 2)),
            Map.entry("rc", new Op("reinterpret_cast", 2)), Map.entry("rm", new Op("%", 2)),
            Map.entry("rs", new Op(">>", 2)), Map.entry("sP", new Op("sizeof...", 1)),
            Map.entry("sZ", new Op("sizeof...", 1)), Map.entry("sc", new Op("static_cast", 2)),
            Map.entry("ss", new Op("<=>", 2)), Map.entry("st", new Op("sizeof ", 1)),
            Map.entry("sz", new Op("sizeof ", 1)), Map.entry("te", new Op("typeid ", 1)),
            Map.entry("ti", new Op("typeid ", 1)), Map.entry("tr", new Op("throw", 0)),
            Map.entry("tw", new Op("throw ", 1)));

    /** The arity of the operator just read by {@link #operatorName}. */
    private int operatorArgs;

    /** An operator name ("pl", "cv TYPE", "v DIGIT NAME"); sets operatorArgs. */
    private Node operatorName(boolean inExpression) {
        if (remaining() < 2) {
            throw fail("missing operator code");
        }
        String code = s.substring(pos, pos + 2);
        advance(2);
        if (code.charAt(0) == 'v' && isDigit(code.charAt(1))) {
            Name n = (Name) sourceName();
            operatorArgs = code.charAt(1) - '0';
            return new Operator(n.name);
        }
        if (code.equals("cv")) {
            // a cast's own template arguments, if any, come after its type: bind them later
            if (!inExpression) {
                templates.add(null);
            }
            Node t = type(!inExpression);
            if (!inExpression) {
                templates.remove(templates.size() - 1);
            }
            operatorArgs = 1;
            return new Cast(t);
        }
        Op op = OPERATORS.get(code);
        if (op == null) {
            pos -= 2;
            throw fail("unrecognized operator code");
        }
        operatorArgs = op.args();
        return new Operator(op.name());
    }

    /** {@code Z <function encoding> E <entity name> [<discriminator>]} (or a string literal, a default argument). */
    private Node localName() {
        expect('Z');
        Node fn = encoding(true, true);
        expect('E', "expected E after local name");
        if (at('s')) {
            advance(1);
            Node n = discriminator(new Name("string literal"));
            explicitObject = false;
            return new Qualified(fn, n, true);
        }
        int num = -1;
        if (at('d')) {
            advance(1);
            num = compactNumber();
        }
        Node n = name();
        boolean explicit = explicitObject;
        n = discriminator(n);
        if (num >= 0) {
            n = new DefaultArg(num, n);
        }
        explicitObject = explicit;
        return new Qualified(fn, n, true);
    }

    /** GCC's Java resources ("Gr"). */
    private Node javaResource() {
        int len = number();
        if (len <= 1) {
            throw fail("java resource length less than 1");
        }
        expect('_', "expected _ after number");
        len--;
        if (remaining() < len) {
            throw fail("not enough characters for java resource length");
        }
        String str = s.substring(pos, pos + len);
        advance(len);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            if (c != '$') {
                b.append(c);
                continue;
            }
            if (i + 1 >= str.length()) {
                throw fail("java resource escape at end of string");
            }
            i++;
            switch (str.charAt(i)) {
                case 'S' -> b.append('/');
                case '_' -> b.append('.');
                case '$' -> b.append('$');
                default -> throw fail("unrecognized java resource escape");
            }
        }
        return new Special("java resource ", new Name(b.toString()));
    }

    /** vtables, typeinfo, thunks, guard variables and the like. */
    private Node specialName() {
        if (peek() == 'T') {
            advance(1);
            if (remaining() == 0) {
                throw fail("expected special name code");
            }
            char c = peek();
            advance(1);
            return switch (c) {
                case 'V' -> new Special("vtable for ", type(false));
                case 'T' -> new Special("VTT for ", type(false));
                case 'I' -> new Special("typeinfo for ", type(false));
                case 'S' -> new Special("typeinfo name for ", type(false));
                case 'A' -> new Special("template parameter object for ", templateArg(null));
                case 'h' -> {
                    callOffset('h');
                    yield new Special("non-virtual thunk to ", encoding(true, false));
                }
                case 'v' -> {
                    callOffset('v');
                    yield new Special("virtual thunk to ", encoding(true, false));
                }
                case 'c' -> {
                    callOffset((char) 0);
                    callOffset((char) 0);
                    yield new Special("covariant return thunk to ", encoding(true, false));
                }
                case 'C' -> {
                    Node derived = type(false);
                    int offset = number();
                    if (offset < 0) {
                        throw fail("expected positive offset");
                    }
                    expect('_', "expected _ after number");
                    Node base = type(false);
                    yield new Special2("construction vtable for ", base, "-in-", derived);
                }
                case 'F' -> new Special("typeinfo fn for ", type(false));
                case 'J' -> new Special("java Class for ", type(false));
                case 'H' -> new Special("TLS init function for ", name());
                case 'W' -> new Special("TLS wrapper function for ", name());
                default -> throw fail("unrecognized special T name code");
            };
        }
        expect('G');
        if (remaining() == 0) {
            throw fail("expected special name code");
        }
        char c = peek();
        advance(1);
        switch (c) {
            case 'V' -> {
                return new Special("guard variable for ", name());
            }
            case 'R' -> {
                Node n = name();
                seqId(true);
                return new Special("reference temporary for ", n);
            }
            case 'A' -> {
                return new Special("hidden alias for ", encoding(true, false));
            }
            case 'T' -> {
                if (remaining() == 0) {
                    throw fail("expected special GT name code");
                }
                char kind = peek();
                advance(1);
                Node v = encoding(true, false);
                return new Special(kind == 'n' ? "non-transaction clone for " : "transaction clone for ", v);
            }
            case 'r' -> {
                return javaResource();
            }
            case 'I' -> {
                Node module = moduleName(null);
                if (module == null) {
                    throw fail("expected module after GI");
                }
                return new Special("initializer for module ", module);
            }
            default -> throw fail("unrecognized special G name code");
        }
    }

    /** {@code h <offset> _} or {@code v <offset> _ <virtual offset> _}; not shown. */
    private void callOffset(char c) {
        if (c == 0) {
            if (remaining() == 0) {
                throw fail("missing call offset");
            }
            c = peek();
            advance(1);
        }
        switch (c) {
            case 'h' -> number();
            case 'v' -> {
                number();
                expect('_', "expected _ after number");
                number();
            }
            default -> {
                pos--;
                throw fail("unrecognized call offset code");
            }
        }
        expect('_', "expected _ after call offset");
    }

    // ---- types ----

    private static String builtin(char c) {
        return switch (c) {
            case 'a' -> "signed char";
            case 'b' -> "bool";
            case 'c' -> "char";
            case 'd' -> "double";
            case 'e' -> "long double";
            case 'f' -> "float";
            case 'g' -> "__float128";
            case 'h' -> "unsigned char";
            case 'i' -> "int";
            case 'j' -> "unsigned int";
            case 'l' -> "long";
            case 'm' -> "unsigned long";
            case 'n' -> "__int128";
            case 'o' -> "unsigned __int128";
            case 's' -> "short";
            case 't' -> "unsigned short";
            case 'v' -> "void";
            case 'w' -> "wchar_t";
            case 'x' -> "long long";
            case 'y' -> "unsigned long long";
            case 'z' -> "...";
            default -> null;
        };
    }

    /**
     * {@code <type>}. isCast: this is a conversion operator's type, where template arguments after
     * a template parameter may belong to the enclosing name instead.
     */
    private Node type(boolean isCast) {
        enter();
        if (remaining() == 0) {
            throw fail("expected type");
        }
        boolean addSubst = true;
        Qualifiers q = cvQualifiers();
        if (q != null) {
            if (remaining() == 0) {
                throw fail("expected type");
            }
            // qualifiers before a function type apply to "this": the bare type is no candidate
            if (peek() == 'F') {
                addSubst = false;
            }
        }
        String b = builtin(peek());
        if (b != null) {
            Node ret = new BuiltinType(b);
            advance(1);
            if (q != null) {
                ret = new TypeWithQualifiers(ret, q);
                subs.add(ret);
            }
            depth--;
            return ret;
        }
        Node ret;
        char c = peek();
        switch (c) {
            case 'u' -> {
                advance(1);
                ret = sourceName();
                if (at('I')) {
                    advance(1);
                    Node base = type(false);
                    expect('E', "expected E after transformed type");
                    ret = new TransformedType(((Name) ret).name, base);
                }
            }
            case 'F' -> ret = functionType();
            case 'N', 'W', 'Z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> ret = name();
            case 'A' -> ret = arrayType(isCast);
            case 'M' -> ret = pointerToMemberType(isCast);
            case 'T' -> {
                if (atAfter(1, 's') || atAfter(1, 'u') || atAfter(1, 'e')) {
                    char k = s.charAt(pos + 1);
                    advance(2);
                    ret = new ElaboratedType(k == 's' ? "struct" : k == 'u' ? "union" : "enum", name());
                } else {
                    ret = templateParam();
                    if (at('I')) {
                        if (!isCast) {
                            subs.add(ret);
                            ret = new Template(ret, templateArgs());
                        } else {
                            ret = castTemplateArgs(ret, true);
                        }
                    }
                }
            }
            case 'S' -> {
                char c2 = remaining() > 1 ? s.charAt(pos + 1) : 0;
                if (isDigit(c2) || c2 == '_' || isUpper(c2)) {
                    ret = substitution(false);
                    if (ret instanceof ModuleName) {
                        ret = unqualifiedName(ret);
                        subs.add(ret);
                    }
                    if (!at('I')) {
                        addSubst = false;
                    } else if (!(ret instanceof TemplateParam) || !isCast) {
                        ret = new Template(ret, templateArgs());
                    } else {
                        Node next = castTemplateArgs(ret, false);
                        if (next == ret) {
                            addSubst = false;
                        }
                        ret = next;
                    }
                } else {
                    ret = name();
                    // a standard abbreviation alone is no candidate; with template arguments it is
                    if (isStandardSubstitution(ret, c2)) {
                        addSubst = false;
                    }
                }
            }
            case 'O', 'P', 'R', 'C', 'G' -> {
                advance(1);
                Node t = type(isCast);
                ret = switch (c) {
                    case 'O' -> new Suffixed(Suffixed.Kind.RVALUE_REFERENCE, t);
                    case 'P' -> new Suffixed(Suffixed.Kind.POINTER, t);
                    case 'R' -> new Suffixed(Suffixed.Kind.REFERENCE, t);
                    case 'C' -> new Suffixed(Suffixed.Kind.COMPLEX, t);
                    default -> new Suffixed(Suffixed.Kind.IMAGINARY, t);
                };
            }
            case 'U' -> {
                if (remaining() < 2) {
                    throw fail("expected source name or unnamed type");
                }
                switch (s.charAt(pos + 1)) {
                    case 'l' -> {
                        ret = closureTypeName();
                        addSubst = false;
                    }
                    case 't' -> {
                        ret = unnamedTypeName();
                        addSubst = false;
                    }
                    default -> {
                        advance(1);
                        Node n = sourceName();
                        if (at('I')) {
                            n = new Template(n, templateArgs());
                        }
                        ret = new VendorQualifier(n, type(isCast));
                    }
                }
            }
            case 'D' -> {
                advance(1);
                if (remaining() == 0) {
                    throw fail("expected D code for type");
                }
                addSubst = false;
                char c2 = peek();
                advance(1);
                switch (c2) {
                    case 'T', 't' -> {
                        Node e = expression();
                        expect('E', "expected E after expression in type");
                        ret = new Decltype(e);
                        addSubst = true;
                    }
                    case 'p' -> {
                        Node t = type(isCast);
                        ret = new PackExpansion(t, findArgumentPack(t));
                        addSubst = true;
                    }
                    case 'a' -> ret = new Name("auto");
                    case 'c' -> ret = new Name("decltype(auto)");
                    case 'f' -> ret = new BuiltinType("decimal32");
                    case 'd' -> ret = new BuiltinType("decimal64");
                    case 'e' -> ret = new BuiltinType("decimal128");
                    case 'h' -> ret = new BuiltinType("half");
                    case 'u' -> ret = new BuiltinType("char8_t");
                    case 's' -> ret = new BuiltinType("char16_t");
                    case 'i' -> ret = new BuiltinType("char32_t");
                    case 'n' -> ret = new BuiltinType("decltype(nullptr)");
                    case 'F' -> {
                        boolean accum = false;
                        int bits = 0;
                        if (remaining() > 0 && isDigit(peek())) {
                            accum = true;
                            bits = number();
                        }
                        if (at('_')) {
                            if (bits == 0) {
                                throw fail("expected non-zero number of bits");
                            }
                            advance(1);
                            ret = new Text("_Float" + bits);
                        } else {
                            Node base = type(isCast);
                            if (remaining() > 0 && isDigit(peek())) {
                                number();
                            }
                            boolean sat = false;
                            if (remaining() > 0) {
                                sat = peek() == 's';
                                advance(1);
                            }
                            ret = new FixedType(base, accum, sat);
                        }
                    }
                    case 'v' -> {
                        ret = vectorType(isCast);
                        addSubst = true;
                    }
                    case 'B', 'U' -> {
                        Node size;
                        if (remaining() > 0 && isDigit(peek())) {
                            size = new Name(Integer.toString(number()));
                        } else {
                            size = expression();
                        }
                        expect('_', "expected _ after _BitInt size");
                        ret = new BitIntType(size, c2 == 'B');
                    }
                    case 'k' -> ret = new Suffixed(Suffixed.Kind.SUFFIX, name(), "auto");
                    case 'K' -> ret = new Suffixed(Suffixed.Kind.SUFFIX, name(), "decltype(auto)");
                    default -> throw fail("unrecognized D code in type");
                }
            }
            default -> throw fail("unrecognized type code");
        }
        if (addSubst) {
            subs.add(ret);
        }
        if (q != null) {
            if (ret instanceof FunctionType) {
                ret = new MethodWithQualifiers(ret, q, "");
            } else if (ret instanceof MethodWithQualifiers mwq) {
                // a function type with a trailing ref-qualifier
                mwq.qualifiers = mergeQualifiers(q, mwq.qualifiers);
            } else {
                Node qs = q;
                // multi-dimensional arrays: one set of qualifiers
                if (ret instanceof TypeWithQualifiers twq) {
                    qs = mergeQualifiers(q, twq.qualifiers);
                    ret = twq.base;
                }
                ret = new TypeWithQualifiers(ret, qs);
            }
            subs.add(ret);
        }
        depth--;
        return ret;
    }

    private static boolean isStandardSubstitution(Node n, char code) {
        return n == STANDARD.get(code) || n == STANDARD_LONG.get(code);
    }

    /**
     * A template parameter followed by template arguments in a conversion operator's type: the
     * arguments belong to the parameter only if more arguments follow; otherwise they are the
     * enclosing name's and are read again from where they start.
     */
    private Node castTemplateArgs(Node tp, boolean addSubst) {
        int savePos = pos;
        int saveSubs = subs.size();
        List<Template> saveTemplates = new ArrayList<>(templates);
        int saveLambda = lambdaTemplateLevel;
        boolean saveConstraint = parsingConstraint;
        int[] saveCounts = {typeParamCount, nonTypeParamCount, templateTemplateParamCount};
        int saveDepth = depth;
        List<Node> args = null;
        try {
            args = templateArgs();
        } catch (DemangleException e) {
            args = null;
        }
        if (args != null && at('I')) {
            if (addSubst) {
                subs.add(tp);
            }
            return new Template(tp, args);
        }
        pos = savePos;
        subs = new ArrayList<>(subs.subList(0, Math.min(saveSubs, subs.size())));
        templates = saveTemplates;
        lambdaTemplateLevel = saveLambda;
        parsingConstraint = saveConstraint;
        typeParamCount = saveCounts[0];
        nonTypeParamCount = saveCounts[1];
        templateTemplateParamCount = saveCounts[2];
        depth = saveDepth;
        return tp;
    }

    /** Merges q2 into q1 (which changes): q1's order first, q2's new ones after. */
    private static Node mergeQualifiers(Node q1, Node q2) {
        if (q1 == null) {
            return q2;
        }
        if (q2 == null) {
            return q1;
        }
        Qualifiers a = (Qualifiers) q1;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Node n : a.list) {
            Qualifier qual = (Qualifier) n;
            if (qual.exprs.isEmpty()) {
                names.add(qual.name);
            }
        }
        List<Node> merged = new ArrayList<>(a.list);
        for (Node n : ((Qualifiers) q2).list) {
            Qualifier qual = (Qualifier) n;
            if (!qual.exprs.isEmpty()) {
                merged.add(n);
            } else if (names.add(qual.name)) {
                merged.add(n);
            }
        }
        a.list = merged;
        return a;
    }

    /** {@code [r] [V] [K]} and the D qualifiers (noexcept, throw, transaction_safe); null if none. */
    private Qualifiers cvQualifiers() {
        List<Node> q = new ArrayList<>();
        loop:
        while (remaining() > 0) {
            char c = peek();
            String simple = c == 'r' ? "restrict" : c == 'V' ? "volatile" : c == 'K' ? "const" : null;
            if (simple != null) {
                q.add(0, new Qualifier(simple, List.of()));
                advance(1);
            } else if (remaining() > 1 && c == 'D') {
                Node qual;
                switch (s.charAt(pos + 1)) {
                    case 'x' -> {
                        qual = new Qualifier("transaction_safe", List.of());
                        advance(2);
                    }
                    case 'o' -> {
                        qual = new Qualifier("noexcept", List.of());
                        advance(2);
                    }
                    case 'O' -> {
                        advance(2);
                        Node e = expression();
                        expect('E', "expected E after computed noexcept expression");
                        qual = new Qualifier("noexcept", new ArrayList<>(List.of(e)));
                    }
                    case 'w' -> {
                        advance(2);
                        List<Node> parms = parmlist(false);
                        expect('E', "expected E after throw parameter list");
                        qual = new Qualifier("throw", parms);
                    }
                    default -> {
                        break loop;
                    }
                }
                q.add(0, qual);
            } else {
                break;
            }
        }
        return q.isEmpty() ? null : new Qualifiers(q);
    }

    private String refQualifier() {
        if (at('R')) {
            advance(1);
            return "&";
        }
        if (at('O')) {
            advance(1);
            return "&&";
        }
        return "";
    }

    /** One or more parameter types; a lone void is no parameter. */
    private List<Node> parmlist(boolean explicitObjectParameter) {
        List<Node> ret = new ArrayList<>();
        while (remaining() > 0) {
            char c = peek();
            if (c == 'E' || c == '.') {
                break;
            }
            if ((c == 'R' || c == 'O') && atAfter(1, 'E')) {
                break; // a function's ref-qualifier
            }
            if (c == 'Q') {
                break; // a requires clause
            }
            Node t = type(false);
            if (ret.isEmpty() && explicitObjectParameter) {
                t = new ExplicitObjectParameter(t);
            }
            ret.add(t);
        }
        if (ret.isEmpty()) {
            throw fail("expected at least one type in type list");
        }
        if (ret.size() == 1 && ret.get(0) instanceof BuiltinType bt && bt.name.equals("void")) {
            ret = new ArrayList<>();
        }
        return ret;
    }

    /** {@code F [Y] <bare-function-type> [<ref-qualifier>] E}. */
    private Node functionType() {
        expect('F');
        if (at('Y')) {
            advance(1); // C linkage, not shown
        }
        Node ret = bareFunctionType(true, false);
        String r = refQualifier();
        if (!r.isEmpty()) {
            ret = new MethodWithQualifiers(ret, null, r);
        }
        expect('E', "expected E after function type");
        return ret;
    }

    private Node bareFunctionType(boolean hasReturnType, boolean explicitObjectParameter) {
        if (at('J')) {
            hasReturnType = true;
            advance(1);
        }
        Node ret = hasReturnType ? type(false) : null;
        return new FunctionType(ret, parmlist(explicitObjectParameter), false);
    }

    private Node arrayType(boolean isCast) {
        expect('A');
        if (remaining() == 0) {
            throw fail("missing array dimension");
        }
        Node dim;
        if (peek() == '_') {
            dim = new Name("");
        } else if (isDigit(peek())) {
            int i = 1;
            while (remaining() > i && isDigit(s.charAt(pos + i))) {
                i++;
            }
            dim = new Name(s.substring(pos, pos + i));
            advance(i);
        } else {
            dim = expression();
        }
        expect('_', "expected _ after dimension");
        Node t = type(isCast);
        // qualifiers of the element go on the whole array
        if (t instanceof TypeWithQualifiers q) {
            return new TypeWithQualifiers(new ArrayType(dim, q.base), q.qualifiers);
        }
        return new ArrayType(dim, t);
    }

    private Node vectorType(boolean isCast) {
        if (remaining() == 0) {
            throw fail("expected vector dimension");
        }
        Node dim;
        if (peek() == '_') {
            advance(1);
            dim = expression();
        } else {
            dim = new Name(Integer.toString(number()));
        }
        expect('_', "expected _ after vector dimension");
        return new VectorType(dim, type(isCast));
    }

    private Node pointerToMemberType(boolean isCast) {
        expect('M');
        Node cls = type(false);
        Node mem = type(isCast);
        return new PtrMem(cls, mem);
    }

    /** {@code _} is 0, {@code N_} is N+1. */
    private int compactNumber() {
        if (remaining() == 0) {
            throw fail("missing index");
        }
        if (peek() == '_') {
            advance(1);
            return 0;
        }
        if (peek() == 'n') {
            throw fail("unexpected negative number");
        }
        int n = number();
        expect('_', "missing underscore after number");
        return n + 1;
    }

    /** {@code T_}, {@code T<n>_}, {@code TL<level>__}...: which template's which argument. */
    private Node templateParam() {
        int start = pos;
        expect('T');
        int level = 0;
        if (at('L')) {
            advance(1);
            level = compactNumber();
        }
        int n = compactNumber();
        if (parsingConstraint) {
            return new Name(s.substring(start, pos - 1));
        }
        if (level >= templates.size()) {
            if (lambdaTemplateLevel > 0 && level == lambdaTemplateLevel - 1) {
                return new LambdaAuto(n); // GCC mangles a generic lambda's auto as a template parameter
            }
            throw fail("template parameter is not in scope of template");
        }
        Template template = templates.get(level);
        if (template == null) {
            return new TemplateParam(n, null); // in a cast: bound later
        }
        if (n >= template.args.size()) {
            if (lambdaTemplateLevel > 0 && level == lambdaTemplateLevel - 1) {
                return new LambdaAuto(n);
            }
            throw fail("template index out of range");
        }
        return new TemplateParam(n, template);
    }

    /** Binds the unbound template parameters of a cast to tmpl (null: there must be none). */
    private void setTemplate(Node a, Template tmpl) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        a.walk(n -> {
            if (n instanceof TemplateParam tp) {
                if (tp.template != null) {
                    if (tmpl != null) {
                        throw fail("duplicate template parameters");
                    }
                    return false;
                }
                if (tmpl == null) {
                    throw fail("cast template parameter not in scope of template");
                }
                if (tp.index >= tmpl.args.size()) {
                    throw fail("cast template index out of range");
                }
                tp.template = tmpl;
                return false;
            }
            if (n instanceof Closure) {
                return false;
            }
            return seen.add(n);
        });
    }

    private void clearTemplateArgs(List<Node> args) {
        for (Node a : args) {
            setTemplate(a, null);
        }
    }

    /** {@code I <template-arg>+ E} (or J). */
    private List<Node> templateArgs() {
        if (remaining() == 0 || peek() != 'I' && peek() != 'J') {
            throw fail("expected template arguments");
        }
        advance(1);
        List<Node> ret = new ArrayList<>();
        while (remaining() == 0 || peek() != 'E') {
            ret.add(templateArg(new ArrayList<>(ret)));
            if (at('Q')) {
                constraintExpr(); // a constraint, not shown
                if (!at('E')) {
                    throw fail("expected end of template arguments after constraint");
                }
            }
        }
        advance(1);
        return ret;
    }

    /** A type, an expression, a literal, a pack, or a declared parameter with its argument. */
    private Node templateArg(List<Node> prev) {
        if (remaining() == 0) {
            throw fail("missing template argument");
        }
        switch (peek()) {
            case 'X' -> {
                advance(1);
                Node e = expression();
                expect('E', "missing end of expression");
                return e;
            }
            case 'L' -> {
                return exprPrimary();
            }
            case 'I', 'J' -> {
                return new ArgumentPack(templateArgs());
            }
            case 'T' -> {
                char k = remaining() > 1 ? s.charAt(pos + 1) : 0;
                if (k == 'y' || k == 'n' || k == 't' || k == 'p' || k == 'k') {
                    // parameters declared here refer to the previous arguments of the same template
                    templates.add(new Template(null, prev == null ? new ArrayList<>() : prev));
                    ParamDeclResult d = templateParamDecl();
                    templates.remove(templates.size() - 1);
                    if (d == null) {
                        throw fail("expected template parameter as template argument");
                    }
                    return new TemplateParamQualifiedArg(d.param, templateArg(null));
                }
                return type(false);
            }
            default -> {
                return type(false);
            }
        }
    }

    private Node exprList(char stop) {
        if (at(stop)) {
            advance(1);
            return new ExprList(new ArrayList<>());
        }
        List<Node> exprs = new ArrayList<>();
        while (true) {
            exprs.add(expression());
            if (at(stop)) {
                advance(1);
                break;
            }
        }
        return new ExprList(exprs);
    }

    private boolean startsWith(String prefix) {
        return s.startsWith(prefix, pos);
    }

    /** {@code <expression>}: read to be skipped over (template arguments are not shown). */
    private Node expression() {
        enter();
        Node e = expressionBody();
        depth--;
        return e;
    }

    private Node expressionBody() {
        if (remaining() == 0) {
            throw fail("expected expression");
        }
        char c = peek();
        if (c == 'L') {
            return exprPrimary();
        }
        if (c == 'T') {
            return templateParam();
        }
        if (startsWith("so")) {
            advance(2);
            return subobject();
        }
        if (startsWith("sr")) {
            return unresolvedName();
        }
        if (startsWith("sp")) {
            advance(2);
            Node e = expression();
            return new PackExpansion(e, findArgumentPack(e));
        }
        if (startsWith("sZ")) {
            advance(2);
            Node e = expression();
            if (findArgumentPack(e) == null) {
                throw fail("missing argument pack");
            }
            return new Expr("sizeof...", new ArrayList<>());
        }
        if (startsWith("sP")) {
            advance(2);
            List<Node> args = new ArrayList<>();
            while (remaining() == 0 || peek() != 'E') {
                args.add(templateArg(null));
            }
            advance(1);
            return new Expr("sizeof...", args);
        }
        if (startsWith("fp")) {
            advance(2);
            if (at('T')) {
                advance(1);
                return new FunctionParam(0);
            }
            cvQualifiers();
            return new FunctionParam(compactNumber() + 1);
        }
        if (startsWith("fL") && remaining() > 2 && isDigit(s.charAt(pos + 2))) {
            advance(2);
            number();
            expect('p', "expected p after function parameter scope count");
            cvQualifiers();
            return new FunctionParam(compactNumber() + 1);
        }
        if (startsWith("mc")) {
            advance(2);
            Node t = type(false);
            Node e = expression();
            if (remaining() > 0 && (peek() == 'n' || isDigit(peek()))) {
                number();
            }
            expect('E', "expected E after pointer-to-member conversion");
            return new Expr("pointer-to-member conversion", Arrays.asList(t, e));
        }
        if (isDigit(c) || startsWith("on")) {
            if (c == 'o') {
                advance(2);
            }
            Node n = unqualifiedName(null);
            if (at('I')) {
                n = new Template(n, templateArgs());
            }
            return n;
        }
        if ((c == 'i' || c == 't') && atAfter(1, 'l')) {
            advance(2);
            Node t = c == 't' ? type(false) : null;
            Node exprs = exprList('E');
            return new Expr("initializer list", Arrays.asList(t, exprs));
        }
        if (startsWith("st")) {
            Node o = operatorName(true);
            return new Expr("sizeof", Arrays.asList(o, type(false)));
        }
        if (c == 'u') {
            advance(1);
            Node name = sourceName();
            if (((Name) name).name.equals("__uuidof")) {
                if (remaining() < 2) {
                    throw fail("missing uuidof argument");
                }
                Node operand = null;
                if (peek() == 't') {
                    advance(1);
                    operand = type(false);
                } else if (peek() == 'z') {
                    advance(1);
                    operand = expression();
                }
                if (operand != null) {
                    return new Expr("call", Arrays.asList(name, new ExprList(new ArrayList<>(List.of(operand)))));
                }
            }
            List<Node> args = new ArrayList<>();
            while (true) {
                if (remaining() == 0) {
                    throw fail("missing argument in vendor extended expression");
                }
                if (peek() == 'E') {
                    advance(1);
                    break;
                }
                args.add(templateArg(null));
            }
            return new Expr("call", Arrays.asList(name, new ExprList(args)));
        }
        if (c == 'r' && (atAfter(1, 'q') || atAfter(1, 'Q'))) {
            return requiresExpr();
        }
        if (remaining() < 2) {
            throw fail("missing operator code");
        }
        String code = s.substring(pos, pos + 2);
        Node o = operatorName(true);
        int args = operatorArgs;
        switch (args) {
            case 0 -> {
                return new Expr("nullary", new ArrayList<>(List.of(o)));
            }
            case 1 -> {
                if (code.equals("pp") || code.equals("mm")) {
                    if (at('_')) {
                        advance(1);
                    }
                }
                Node operand;
                if (o instanceof Cast && at('_')) {
                    advance(1);
                    operand = exprList('E');
                } else {
                    operand = expression();
                }
                return new Expr("unary", Arrays.asList(o, operand));
            }
            case 2 -> {
                Node left;
                Node right;
                if (code.equals("sc") || code.equals("dc") || code.equals("cc") || code.equals("rc")) {
                    left = type(false);
                } else if (code.charAt(0) == 'f') {
                    left = operatorName(true);
                    right = expression();
                    return new Expr("fold", Arrays.asList(left, right));
                } else if (code.equals("di")) {
                    left = unqualifiedName(null);
                } else {
                    left = expression();
                }
                if (code.equals("cl") || code.equals("cp")) {
                    right = exprList('E');
                } else if (code.equals("dt") || code.equals("pt")) {
                    if (at('L')) {
                        right = exprPrimary();
                    } else {
                        right = unresolvedName();
                        if (at('I')) {
                            right = new Template(right, templateArgs());
                        }
                    }
                } else {
                    right = expression();
                }
                return new Expr("binary", Arrays.asList(o, left, right));
            }
            case 3 -> {
                if (code.charAt(0) == 'n') {
                    if (code.charAt(1) != 'w' && code.charAt(1) != 'a') {
                        throw fail("unexpected operator");
                    }
                    Node place = exprList('_');
                    if (((ExprList) place).exprs.isEmpty()) {
                        place = null;
                    }
                    Node t = type(false);
                    Node init = null;
                    if (at('E')) {
                        advance(1);
                    } else if (startsWith("pi")) {
                        advance(2);
                        init = exprList('E');
                    } else if (startsWith("il")) {
                        init = expression();
                    } else {
                        throw fail("unrecognized new initializer");
                    }
                    return new Expr("new", Arrays.asList(o, place, t, init));
                }
                if (code.charAt(0) == 'f') {
                    Node first = operatorName(true);
                    Node second = expression();
                    Node third = expression();
                    return new Expr("fold", Arrays.asList(first, second, third));
                }
                Node first = expression();
                Node second = expression();
                Node third = expression();
                return new Expr("trinary", Arrays.asList(o, first, second, third));
            }
            default -> throw fail("unsupported number of operator arguments");
        }
    }

    private Node subobject() {
        Node t = type(false);
        Node e = expression();
        if (remaining() > 0 && (peek() == 'n' || isDigit(peek()))) {
            number();
        }
        while (at('_')) {
            advance(1);
            if (remaining() > 0 && (peek() == 'n' || isDigit(peek()))) {
                number();
            }
        }
        if (at('p')) {
            advance(1);
        }
        expect('E', "expected E after subobject");
        return new Expr("subobject", Arrays.asList(t, e));
    }

    private Node unresolvedName() {
        if (startsWith("gs")) {
            advance(2);
            return new Expr("global scope", new ArrayList<>(List.of(unresolvedName())));
        }
        if (!startsWith("sr")) {
            return baseUnresolvedName();
        }
        advance(2);
        if (remaining() == 0) {
            throw fail("expected unresolved type");
        }
        char c = peek();
        if (c == 'T' || c == 'D' || c == 'S') {
            Node t = type(false);
            Node n = new Qualified(t, baseUnresolvedName(), false);
            if (at('I')) {
                n = new Template(n, templateArgs());
                subs.add(n);
            }
            return n;
        }
        Node sc = null;
        if (c == 'N') {
            advance(1);
            sc = type(false);
        }
        while (remaining() == 0 || peek() != 'E') {
            // GCC may leave out the E after the type
            if (sc != null && remaining() > 0 && !isDigit(peek()) && sc instanceof Qualified q) {
                if (q.scope instanceof Template t) {
                    subs.add(t.name);
                    subs.add(t);
                } else {
                    subs.add(q.scope);
                }
                return sc;
            }
            Node n = sourceName();
            if (at('I')) {
                subs.add(n);
                n = new Template(n, templateArgs());
            }
            sc = sc == null ? n : new Qualified(sc, n, false);
        }
        if (sc == null) {
            throw fail("missing scope in unresolved name");
        }
        advance(1);
        return new Qualified(sc, baseUnresolvedName(), false);
    }

    private Node baseUnresolvedName() {
        Node n;
        if (startsWith("on")) {
            advance(2);
            n = operatorName(true);
        } else if (startsWith("dn")) {
            advance(2);
            n = new Destructor(remaining() > 0 && isDigit(peek()) ? sourceName() : type(false));
        } else if (remaining() > 0 && isDigit(peek())) {
            n = sourceName();
        } else {
            n = operatorName(true); // GCC may leave out the "on"
        }
        if (at('I')) {
            n = new Template(n, templateArgs());
        }
        return n;
    }

    private Node requiresExpr() {
        expect('r');
        if (!at('q') && !at('Q')) {
            throw fail("expected q or Q in requires clause in expression");
        }
        char kind = peek();
        advance(1);
        List<Node> parts = new ArrayList<>();
        if (kind == 'Q') {
            while (remaining() > 0 && peek() != '_') {
                parts.add(type(false));
            }
            advance(1);
        }
        while (remaining() > 0 && peek() != 'E') {
            switch (peek()) {
                case 'X' -> {
                    advance(1);
                    parts.add(expression());
                    if (at('N')) {
                        advance(1);
                    }
                    if (at('R')) {
                        advance(1);
                        parts.add(name());
                    }
                }
                case 'T' -> {
                    advance(1);
                    parts.add(type(false));
                }
                case 'Q' -> {
                    advance(1);
                    parts.add(expression());
                }
                default -> throw fail("unrecognized requirement code");
            }
        }
        expect('E', "expected E after requirements");
        return new Expr("requires", parts);
    }

    /** {@code L <type> <value> E} or {@code L _Z <encoding> E}. */
    private Node exprPrimary() {
        expect('L');
        if (remaining() == 0) {
            throw fail("expected primary expression");
        }
        Node ret;
        if (peek() == '_' || peek() == 'Z') {
            // g++ left out the underscore before -fabi-version=3
            if (peek() == '_') {
                advance(1);
            }
            expect('Z', "expected mangled name");
            ret = encoding(true, false);
        } else {
            Node t = type(false);
            boolean neg = false;
            if (at('n')) {
                neg = true;
                advance(1);
            }
            if (at('E')) {
                if (t instanceof BuiltinType bt && bt.name.equals("decltype(nullptr)")) {
                    // a nullptr may have no value
                } else if (t instanceof Closure) {
                    advance(1);
                    return new Expr("lambda", new ArrayList<>(List.of(t)));
                } else if (t instanceof ArrayType || t instanceof TypeWithQualifiers twq
                        && twq.base instanceof ArrayType) {
                    advance(1);
                    return new Expr("string literal", new ArrayList<>(List.of(t)));
                } else {
                    throw fail("missing literal value");
                }
            }
            int i = pos;
            while (i < s.length() && s.charAt(i) != 'E') {
                i++;
            }
            String val = s.substring(pos, i);
            pos = i;
            ret = new Literal(t, val, neg);
        }
        expect('E', "expected E after literal");
        return ret;
    }

    /** {@code _ <digit>} or {@code __ <number> _}; clang may write bare trailing digits. Not shown. */
    private Node discriminator(Node a) {
        if (!at('_')) {
            for (int i = pos; i < s.length(); i++) {
                if (!isDigit(s.charAt(i))) {
                    return a;
                }
            }
            pos = s.length();
            return a;
        }
        advance(1);
        boolean trailingUnderscore = false;
        if (at('_')) {
            advance(1);
            trailingUnderscore = true;
        }
        int d = number();
        if (d < 0) {
            throw fail("invalid negative discriminator");
        }
        if (trailingUnderscore && d >= 10) {
            expect('_', "expected _ after discriminator >= 10");
        }
        return a;
    }

    /** {@code Ul <lambda-sig> E [<number>] _}. */
    private Node closureTypeName() {
        expect('U');
        expect('l');
        int oldLambdaLevel = lambdaTemplateLevel;
        lambdaTemplateLevel = templates.size() + 1;
        List<Node> templateArgs = new ArrayList<>();
        Template template = null;
        while (remaining() > 1 && peek() == 'T') {
            ParamDeclResult d = templateParamDecl();
            if (d == null) {
                break;
            }
            templateArgs.add(d.param);
            if (template == null) {
                template = new Template(new Name("lambda"), new ArrayList<>());
                templates.add(template);
            }
            template.args.add(d.value);
        }
        Node templateArgsConstraint = at('Q') ? constraintExpr() : null;
        List<Node> types = parmlist(false);
        lambdaTemplateLevel = oldLambdaLevel;
        if (template != null) {
            templates.remove(templates.size() - 1);
        }
        Node callConstraint = at('Q') ? constraintExpr() : null;
        expect('E', "expected E after closure type name");
        int num = compactNumber();
        return new Closure(templateArgs, templateArgsConstraint, types, num, callConstraint);
    }

    private record ParamDeclResult(Node param, Node value) {
    }

    private static Node paramName(String prefix, int index) {
        return new Text(prefix + (index > 0 ? Integer.toString(index - 1) : ""));
    }

    /** {@code Ty}, {@code Tk <concept>}, {@code Tn <type>}, {@code Tt ... E}, {@code Tp <decl>}; null if none. */
    private ParamDeclResult templateParamDecl() {
        if (remaining() < 2 || peek() != 'T') {
            return null;
        }
        switch (s.charAt(pos + 1)) {
            case 'y' -> {
                advance(2);
                Node name = paramName("$T", typeParamCount++);
                return new ParamDeclResult(new ParamDecl(new ArrayList<>(List.of(name))), name);
            }
            case 'k' -> {
                // template parameters of a constraint are not resolved
                boolean hold = parsingConstraint;
                parsingConstraint = true;
                try {
                    advance(2);
                    Node constraint = name();
                    Node name = paramName("$T", typeParamCount++);
                    return new ParamDeclResult(new ParamDecl(new ArrayList<>(List.of(name, constraint))), name);
                } finally {
                    parsingConstraint = hold;
                }
            }
            case 'n' -> {
                advance(2);
                Node name = paramName("$N", nonTypeParamCount++);
                Node t = type(false);
                return new ParamDeclResult(new ParamDecl(new ArrayList<>(List.of(name, t))), name);
            }
            case 't' -> {
                advance(2);
                Node name = paramName("$TT", templateTemplateParamCount++);
                List<Node> params = new ArrayList<>();
                Template template = null;
                while (true) {
                    if (remaining() == 0) {
                        throw fail("expected closure template parameter");
                    }
                    if (peek() == 'E') {
                        advance(1);
                        break;
                    }
                    ParamDeclResult d = templateParamDecl();
                    if (d == null) {
                        throw fail("expected closure template parameter");
                    }
                    params.add(d.param);
                    if (template == null) {
                        template = new Template(new Name("template_template"), new ArrayList<>());
                        templates.add(template);
                    }
                    template.args.add(d.value);
                    if (at('Q')) {
                        params.add(constraintExpr());
                        if (!at('E')) {
                            throw fail("expected end of template template parameters after constraint");
                        }
                    }
                }
                if (template != null) {
                    templates.remove(templates.size() - 1);
                }
                return new ParamDeclResult(new ParamDecl(params), name);
            }
            case 'p' -> {
                advance(2);
                ParamDeclResult d = templateParamDecl();
                if (d == null) {
                    throw fail("expected lambda template parameter");
                }
                return new ParamDeclResult(new ParamDecl(new ArrayList<>(List.of(d.param))), d.value);
            }
            default -> {
                return null;
            }
        }
    }

    private Node unnamedTypeName() {
        expect('U');
        expect('t');
        Node ret = new UnnamedType(compactNumber());
        subs.add(ret);
        return ret;
    }

    private Node constraintExpr() {
        expect('Q');
        boolean hold = parsingConstraint;
        parsingConstraint = true;
        try {
            return expression();
        } finally {
            parsingConstraint = hold;
        }
    }

    /** GCC's suffixes of cloned functions (".constprop.0", ".isra.1", ".cold"). */
    private Node cloneSuffix(Node a) {
        int i = 0;
        if (remaining() > 1 && s.charAt(pos) == '.' && isCloneChar(s.charAt(pos + 1))) {
            i += 2;
            while (remaining() > i && isCloneChar(s.charAt(pos + i))) {
                i++;
            }
        }
        while (remaining() > i + 1 && s.charAt(pos + i) == '.' && isDigit(s.charAt(pos + i + 1))) {
            i += 2;
            while (remaining() > i && isDigit(s.charAt(pos + i))) {
                i++;
            }
        }
        String suffix = s.substring(pos, pos + i);
        advance(i);
        return new Clone(a, suffix);
    }

    // ---- substitutions ----

    private static final Name STD = new Name("std");
    private static final Map<Character, Node> STANDARD = Map.of(
            't', STD,
            'a', new Qualified(STD, new Name("allocator"), false),
            'b', new Qualified(STD, new Name("basic_string"), false),
            's', new Qualified(STD, new Name("string"), false),
            'i', new Qualified(STD, new Name("istream"), false),
            'o', new Qualified(STD, new Name("ostream"), false),
            'd', new Qualified(STD, new Name("iostream"), false));
    /** The long forms, used for constructors and destructors ("std::basic_string::basic_string"). */
    private static final Map<Character, Node> STANDARD_LONG = Map.of(
            't', STD,
            'a', new Qualified(STD, new Name("allocator"), false),
            'b', new Qualified(STD, new Name("basic_string"), false),
            's', stdTemplate("basic_string", charTraits(), stdTemplate("allocator", new BuiltinType("char"))),
            'i', stdTemplate("basic_istream", charTraits()),
            'o', stdTemplate("basic_ostream", charTraits()),
            'd', stdTemplate("basic_iostream", charTraits()));

    private static Node charTraits() {
        return stdTemplate("char_traits", new BuiltinType("char"));
    }

    private static Node stdTemplate(String name, Node... argsAfterChar) {
        List<Node> args = new ArrayList<>();
        if (!name.equals("char_traits") && !name.equals("allocator")) {
            args.add(new BuiltinType("char"));
        }
        args.addAll(List.of(argsAfterChar));
        return new Template(new Qualified(STD, new Name(name), false), args);
    }

    /**
     * {@code S <seq-id> _}, {@code S_} or a standard abbreviation. A reference to an earlier
     * component is copied with its template parameters bound to the template now in scope.
     */
    private Node substitution(boolean forPrefix) {
        expect('S');
        if (remaining() == 0) {
            throw fail("missing substitution index");
        }
        char c = peek();
        if (c == '_' || isDigit(c) || isUpper(c)) {
            int id = seqId(false);
            if (id >= subs.size()) {
                throw fail("substitution index out of range");
            }
            Node ret = subs.get(id);
            return rebind(ret);
        }
        advance(1);
        Map<Character, Node> m = forPrefix && (at('C') || at('D')) ? STANDARD_LONG : STANDARD;
        Node a = m.get(c);
        if (a == null) {
            pos--;
            throw fail("unrecognized substitution code");
        }
        if (at('B')) {
            a = taggedName(a);
            subs.add(a);
        }
        return a;
    }

    /** A substitution's tree with its template parameters pointing at the templates now in scope. */
    private Node rebind(Node ret) {
        List<Template> copyTemplates = new ArrayList<>(templates);
        List<Integer> oldLambdaLevels = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Function<Node, Node> fn = a -> {
            int index;
            if (a instanceof Typed t) {
                if (t.name instanceof Template) {
                    copyTemplates.remove(copyTemplates.size() - 1);
                    lambdaTemplateLevel = oldLambdaLevels.remove(oldLambdaLevels.size() - 1);
                }
                return null;
            } else if (a instanceof Closure) {
                lambdaTemplateLevel = oldLambdaLevels.remove(oldLambdaLevels.size() - 1);
                return null;
            } else if (a instanceof TemplateParam tp) {
                index = tp.index;
            } else if (a instanceof LambdaAuto la) {
                index = la.index;
            } else {
                return null;
            }
            if (parsingConstraint) {
                return new Name("T" + index);
            }
            if (lambdaTemplateLevel > 0) {
                return a instanceof LambdaAuto ? null : new LambdaAuto(index);
            }
            Template template;
            if (!copyTemplates.isEmpty()) {
                template = copyTemplates.get(copyTemplates.size() - 1);
            } else if (ret instanceof Template rt) {
                template = rt; // clang can start with a template and refer to it
            } else {
                throw fail("substituted template parameter not in scope of template");
            }
            if (template == null) {
                return new TemplateParam(index, null); // within a cast
            }
            if (index >= template.args.size()) {
                throw fail("substituted template index out of range");
            }
            return new TemplateParam(index, template);
        };
        Predicate<Node> skip = a -> {
            if (a instanceof Typed t) {
                if (t.name instanceof Template tmpl) {
                    copyTemplates.add(tmpl);
                    oldLambdaLevels.add(lambdaTemplateLevel);
                    lambdaTemplateLevel = 0;
                }
                return false;
            }
            if (a instanceof Closure) {
                oldLambdaLevels.add(lambdaTemplateLevel);
                lambdaTemplateLevel = copyTemplates.size() + 1;
                return false;
            }
            if (a instanceof TemplateParam || a instanceof LambdaAuto) {
                return false;
            }
            return !seen.add(a);
        };
        Node c = ret.copy(fn, skip);
        return c != null ? c : ret;
    }

    // ---- rewrites ----

    /** Template parameters replaced by their arguments, qualifiers merged, references collapsed. */
    private static Node simplify(Node a) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Node r = a.copy(CppDemangler::simplifyOne, n -> !seen.add(n));
        return r != null ? r : a;
    }

    private static Node simplifyOne(Node a) {
        if (a instanceof TemplateParam tp) {
            if (tp.template != null && tp.index < tp.template.args.size()) {
                return tp.template.args.get(tp.index);
            }
        } else if (a instanceof MethodWithQualifiers m) {
            if (m.method instanceof MethodWithQualifiers inner) {
                String ref = m.refQualifier;
                if (ref.isEmpty()) {
                    ref = inner.refQualifier;
                } else if (!inner.refQualifier.isEmpty() && (ref.equals("&") || inner.refQualifier.equals("&"))) {
                    ref = "&";
                }
                return new MethodWithQualifiers(inner.method, mergeQualifiers(m.qualifiers, inner.qualifiers), ref);
            }
            if (m.method instanceof TypeWithQualifiers t) {
                return new MethodWithQualifiers(t.base, mergeQualifiers(m.qualifiers, t.qualifiers), m.refQualifier);
            }
        } else if (a instanceof TypeWithQualifiers t) {
            if (t.base instanceof FunctionType) {
                return new MethodWithQualifiers(t.base, t.qualifiers, "");
            }
            if (t.base instanceof TypeWithQualifiers inner) {
                return new TypeWithQualifiers(inner.base, mergeQualifiers(t.qualifiers, inner.qualifiers));
            }
            if (t.base instanceof MethodWithQualifiers m) {
                return new MethodWithQualifiers(m.method, mergeQualifiers(t.qualifiers, m.qualifiers), m.refQualifier);
            }
        } else if (a instanceof Suffixed r && r.kind == Suffixed.Kind.REFERENCE) {
            if (r.base instanceof Suffixed b && b.kind == Suffixed.Kind.REFERENCE) {
                return b;
            }
            if (r.base instanceof Suffixed b && b.kind == Suffixed.Kind.RVALUE_REFERENCE) {
                return new Suffixed(Suffixed.Kind.REFERENCE, b.base);
            }
        } else if (a instanceof Suffixed r && r.kind == Suffixed.Kind.RVALUE_REFERENCE) {
            if (r.base instanceof Suffixed b
                    && (b.kind == Suffixed.Kind.RVALUE_REFERENCE || b.kind == Suffixed.Kind.REFERENCE)) {
                return b;
            }
        } else if (a instanceof ArrayType at) {
            if (at.element instanceof TypeWithQualifiers q) {
                return new TypeWithQualifiers(new ArrayType(at.dimension, q.base), q.qualifiers);
            }
        } else if (a instanceof PackExpansion pe && pe.pack != null) {
            // one copy of the pattern per argument of the pack
            List<Node> exprs = new ArrayList<>();
            for (Node arg : pe.pack.args) {
                Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                Node b = pe.base.copy(sub -> sub == pe.pack ? arg : null,
                        sub -> sub instanceof PackExpansion || !seen.add(sub));
                exprs.add(simplify(b != null ? b : pe.base));
            }
            return new ExprList(exprs);
        }
        return null;
    }

    /** The argument pack a pack expansion expands, found through a template parameter. */
    private static ArgumentPack findArgumentPack(Node a) {
        ArgumentPack[] found = new ArgumentPack[1];
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        a.walk(n -> {
            if (found[0] != null) {
                return false;
            }
            if (n instanceof TemplateParam tp) {
                if (tp.template == null || tp.index >= tp.template.args.size()) {
                    return true;
                }
                if (tp.template.args.get(tp.index) instanceof ArgumentPack pack) {
                    found[0] = pack;
                    return false;
                }
            } else if (n instanceof PackExpansion || n instanceof Closure || n instanceof Name
                    || n instanceof TaggedName || n instanceof Operator || n instanceof BuiltinType
                    || n instanceof FunctionParam || n instanceof UnnamedType || n instanceof FixedType
                    || n instanceof DefaultArg) {
                return false;
            }
            return seen.add(n);
        });
        return found[0];
    }
}
