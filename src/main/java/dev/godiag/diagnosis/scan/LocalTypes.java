package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * What a name means where it is used, and what type an expression has when the source says so
 * plainly: declared types, literals, {@code make}/{@code new}, conversions, the package's own
 * functions and a few standard functions. Types are syntax ({@link Expr}s as written, naming the
 * package's types by {@link Expr.Ident}); null means "not known", and a check that needs a type
 * stays silent then. No type inference across calls beyond that: this is not go/types.
 */
public final class LocalTypes {
    private LocalTypes() {
    }

    /** Predeclared type names: an {@link Expr.Ident} type with one of these names is the builtin. */
    static final Set<String> BASIC = Set.of("bool", "string", "int", "int8", "int16", "int32", "int64", "uint",
            "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune", "float32", "float64", "complex64",
            "complex128", "error", "any");

    /** Standard functions whose one result is a string, by import path and name. */
    private static final Set<String> STRING_FUNCS = Set.of("strings.Join", "strings.Repeat", "strings.ToUpper",
            "strings.ToLower", "strings.TrimSpace", "strings.Trim", "strings.TrimLeft", "strings.TrimRight",
            "strings.TrimPrefix", "strings.TrimSuffix", "strings.Replace", "strings.ReplaceAll", "strings.Title",
            "strings.ToTitle", "strconv.Itoa", "strconv.FormatInt", "strconv.FormatUint", "strconv.FormatFloat",
            "strconv.FormatBool", "strconv.Quote", "strconv.QuoteRune", "strconv.QuoteToASCII", "fmt.Sprintf",
            "fmt.Sprint", "fmt.Sprintln", "path.Join", "path.Base", "path.Dir", "path/filepath.Join",
            "path/filepath.Base", "path/filepath.Dir", "path/filepath.ToSlash", "path/filepath.FromSlash");

    /** Standard functions whose one result is a []string. */
    private static final Set<String> STRING_SLICE_FUNCS = Set.of("strings.Split", "strings.SplitN",
            "strings.SplitAfter", "strings.Fields", "strings.FieldsFunc");

    /**
     * A declaration of a name.
     *
     * @param name    the declared identifier
     * @param type    the type written in the declaration, or null
     * @param value   the value it was declared with (for a range variable: the ranged expression), or null
     * @param kind    how it was declared
     * @param context ancestors of the declaring statement, then the statement (or function) itself: where
     *                names in {@code value} and {@code type} are resolved
     */
    public record Binding(Expr.Ident name, Expr type, Expr value, Kind kind, List<Node> context) {
    }

    /** How a name was declared. */
    public enum Kind { PARAM, VAR, CONST, SHORT, RANGE_KEY, RANGE_VALUE, OTHER, PACKAGE_VAR, PACKAGE_CONST }

    /** The ancestors of a node's children: the node's ancestors, then the node. */
    public static List<Node> at(List<Node> ancestors, Node node) {
        return with(ancestors, node);
    }

    /**
     * The declaration {@code name} refers to at the place whose ancestors are given (outermost
     * first; the place is in the last one, after every statement of it when that is a block: pass
     * {@link #at} of a statement to resolve at that statement), or null when it is not declared in
     * the function or the package (an import, a builtin, a field).
     */
    public static Binding resolve(FileScan scan, String name, List<Node> ancestors) {
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            Node a = ancestors.get(i);
            Node child = i + 1 < ancestors.size() ? ancestors.get(i + 1) : null;
            List<Node> context = ancestors.subList(0, i + 1);
            Binding b = switch (a) {
                case Stmt.Block blk -> inStatements(name, blk.stmts(), child, context);
                case Stmt.CaseClause cc -> inStatements(name, cc.body(), child, context);
                case Stmt.CommClause cc -> {
                    Binding inBody = inStatements(name, cc.body(), child, context);
                    yield inBody != null || cc.comm() == null || child == cc.comm() ? inBody
                            : declaredBy(name, cc.comm(), context);
                }
                case Stmt.If s -> s.init() != null && child != s.init() ? declaredBy(name, s.init(), context) : null;
                case Stmt.Switch s -> s.init() != null && child != s.init() ? declaredBy(name, s.init(), context) : null;
                case Stmt.TypeSwitch s -> {
                    if (child == s.body() && s.guard() instanceof Stmt.Assign g && isName(g.lhs().get(0), name)) {
                        yield new Binding((Expr.Ident) g.lhs().get(0), null, null, Kind.OTHER, with(context, g));
                    }
                    yield s.init() != null && child != s.init() ? declaredBy(name, s.init(), context) : null;
                }
                case Stmt.For f -> f.init() != null && child != f.init() ? declaredBy(name, f.init(), context) : null;
                case Stmt.Range r -> child == r.body() ? rangeBinding(name, r, context) : null;
                case Expr.FuncLit fl -> inSignature(name, null, fl.type(), context);
                case Decl.FuncDecl fd -> inSignature(name, fd.receiver(), fd.type(), context);
                default -> null;
            };
            if (b != null) {
                return b;
            }
        }
        return packageLevel(scan, name);
    }

    private static boolean isName(Expr e, String name) {
        return e instanceof Expr.Ident id && id.name().equals(name);
    }

    private static List<Node> with(List<Node> context, Node last) {
        List<Node> c = new ArrayList<>(context.size() + 1);
        c.addAll(context);
        c.add(last);
        return c;
    }

    /** The last declaration of the name among the statements before {@code child}. */
    private static Binding inStatements(String name, List<Stmt> stmts, Node child, List<Node> context) {
        int end = child == null ? stmts.size() : SyntaxPath.indexOf(stmts, child);
        if (end < 0) {
            end = stmts.size();
        }
        for (int i = end - 1; i >= 0; i--) {
            Stmt s = stmts.get(i);
            while (s instanceof Stmt.Labeled l) {
                s = l.stmt();
            }
            Binding b = declaredBy(name, s, context);
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    /** The declaration of the name by one statement ({@code :=}, var, const), or null. */
    private static Binding declaredBy(String name, Stmt s, List<Node> context) {
        if (s instanceof Stmt.Assign a && a.op().equals(":=")) {
            for (int j = 0; j < a.lhs().size(); j++) {
                if (isName(a.lhs().get(j), name)) {
                    Expr value = a.rhs().size() == a.lhs().size() ? a.rhs().get(j) : null;
                    return new Binding((Expr.Ident) a.lhs().get(j), null, value, Kind.SHORT, with(context, s));
                }
            }
        } else if (s instanceof Stmt.DeclStmt d && !d.decl().keyword().equals("type")) {
            boolean isConst = d.decl().keyword().equals("const");
            return inSpecs(name, d.decl(), isConst ? Kind.CONST : Kind.VAR, with(context, s));
        }
        return null;
    }

    private static Binding inSpecs(String name, Decl.GenDecl decl, Kind kind, List<Node> context) {
        Binding[] found = {null};
        eachBinding(decl, kind, context, b -> {
            if (b.name().name().equals(name)) {
                found[0] = b;
            }
        });
        return found[0];
    }

    /** Every name a var or const declaration binds, in order, with its type and value. */
    private static void eachBinding(Decl.GenDecl decl, Kind kind, List<Node> context, Consumer<Binding> each) {
        Expr lastType = null;
        List<Expr> lastValues = List.of();
        for (Decl.Spec spec : decl.specs()) {
            if (!(spec instanceof Decl.ValueSpec v)) {
                continue;
            }
            // a const spec without values repeats the previous one's (iota)
            Expr type = v.type();
            List<Expr> values = v.values();
            if (kind == Kind.CONST || kind == Kind.PACKAGE_CONST) {
                if (values.isEmpty()) {
                    type = lastType;
                    values = lastValues;
                } else {
                    lastType = type;
                    lastValues = values;
                }
            }
            for (int j = 0; j < v.names().size(); j++) {
                Expr value = values.size() == v.names().size() ? values.get(j) : null;
                each.accept(new Binding(v.names().get(j), type, value, kind, context));
            }
        }
    }

    private static Binding rangeBinding(String name, Stmt.Range r, List<Node> context) {
        if (!":=".equals(r.op())) {
            return null;
        }
        if (isName(r.key(), name)) {
            return new Binding((Expr.Ident) r.key(), null, r.x(), Kind.RANGE_KEY, with(context, r));
        }
        if (isName(r.value(), name)) {
            return new Binding((Expr.Ident) r.value(), null, r.x(), Kind.RANGE_VALUE, with(context, r));
        }
        return null;
    }

    private static Binding inSignature(String name, Field receiver, Expr.FuncType type, List<Node> context) {
        List<Field> fields = new ArrayList<>();
        if (receiver != null) {
            fields.add(receiver);
        }
        fields.addAll(type.params());
        fields.addAll(type.results());
        for (Field f : fields) {
            for (Expr.Ident id : f.names()) {
                if (id.name().equals(name)) {
                    Expr t = f.type() instanceof Expr.Ellipsis e ? new Expr.ArrayType(e.pos(), null, e.element()) : f.type();
                    return new Binding(id, t, null, Kind.PARAM, context);
                }
            }
        }
        return null;
    }

    /** Package-level vars and consts by name, per package (keyed by its first file), read once. */
    private static final Map<GoFile, Map<String, Binding>> PACKAGE_LEVEL =
            Collections.synchronizedMap(new WeakHashMap<>());

    private static Binding packageLevel(FileScan scan, String name) {
        List<GoFile> files = scan.pkg().files();
        if (files.isEmpty()) {
            return null;
        }
        return PACKAGE_LEVEL.computeIfAbsent(files.get(0), k -> packageBindings(files)).get(name);
    }

    private static Map<String, Binding> packageBindings(List<GoFile> files) {
        Map<String, Binding> all = new HashMap<>();
        for (GoFile file : files) {
            for (Decl d : file.decls()) {
                if (d instanceof Decl.GenDecl g && (g.keyword().equals("var") || g.keyword().equals("const"))) {
                    Kind kind = g.keyword().equals("var") ? Kind.PACKAGE_VAR : Kind.PACKAGE_CONST;
                    // one pass over the declaration: a name at a time would be quadratic in a
                    // generated table's thousands of specs
                    Map<String, Binding> inDecl = new HashMap<>();
                    eachBinding(g, kind, List.of(g), b -> inDecl.put(b.name().name(), b));
                    inDecl.forEach(all::putIfAbsent);
                }
            }
        }
        return all;
    }

    /** The type of a name where it is used, or null when not plainly known. */
    public static Expr typeOfName(FileScan scan, String name, List<Node> ancestors) {
        return typeOf(scan, resolve(scan, name, ancestors), 0);
    }

    private static Expr typeOf(FileScan scan, Binding b, int depth) {
        if (b == null || depth > 8) {
            return null;
        }
        if (b.type() != null) {
            return b.type();
        }
        if (b.value() == null) {
            return null;
        }
        return switch (b.kind()) {
            case RANGE_KEY -> {
                Expr x = underlying(scan, typeOf(scan, b.value(), b.context(), depth + 1));
                yield x instanceof Expr.MapType m ? m.key() : x != null ? ident("int") : null;
            }
            case RANGE_VALUE -> elementType(scan, typeOf(scan, b.value(), b.context(), depth + 1));
            default -> typeOf(scan, b.value(), b.context(), depth + 1);
        };
    }

    /** The type of an expression whose names are resolved at {@code context}, or null. */
    public static Expr typeOf(FileScan scan, Expr e, List<Node> context) {
        return typeOf(scan, e, context, 0);
    }

    private static Expr typeOf(FileScan scan, Expr e, List<Node> context, int depth) {
        if (depth > 8) {
            return null;
        }
        return switch (e) {
            case Expr.Paren p -> typeOf(scan, p.x(), context, depth + 1);
            case Expr.BasicLit l -> switch (l.kind()) {
                case STRING -> ident("string");
                case INT -> ident("int");
                case FLOAT -> ident("float64");
                case CHAR -> ident("rune");
                case IMAG -> ident("complex128");
            };
            case Expr.CompositeLit c -> c.type();
            case Expr.Ident id when id.name().equals("true") || id.name().equals("false") -> {
                Binding b = resolve(scan, id.name(), context);
                yield b == null ? ident("bool") : typeOf(scan, b, depth + 1);
            }
            case Expr.Ident id -> typeOf(scan, resolve(scan, id.name(), context), depth + 1);
            case Expr.Unary u when u.op().equals("&") -> {
                Expr t = typeOf(scan, u.x(), context, depth + 1);
                yield t == null ? null : new Expr.Star(u.pos(), t);
            }
            case Expr.Star s -> typeOf(scan, s.x(), context, depth + 1) instanceof Expr.Star p ? p.x() : null;
            case Expr.Binary b when b.op().equals("+") -> {
                Expr t = typeOf(scan, b.x(), context, depth + 1);
                yield t != null ? t : typeOf(scan, b.y(), context, depth + 1);
            }
            case Expr.Binary b when Set.of("==", "!=", "<", "<=", ">", ">=", "&&", "||").contains(b.op()) -> ident("bool");
            case Expr.Index ix -> {
                Expr t = underlying(scan, typeOf(scan, ix.x(), context, depth + 1));
                if (t instanceof Expr.Star s) {
                    t = underlying(scan, s.x());
                }
                yield switch (t) {
                    case Expr.ArrayType a -> a.element();
                    case Expr.MapType m -> m.value();
                    case Expr.Ident id when id.name().equals("string") -> ident("byte");
                    case null, default -> null;
                };
            }
            case Expr.Slice s -> {
                Expr t = underlying(scan, typeOf(scan, s.x(), context, depth + 1));
                if (t instanceof Expr.Star p) {
                    t = underlying(scan, p.x());
                }
                yield switch (t) {
                    case Expr.ArrayType a -> new Expr.ArrayType(a.pos(), null, a.element());
                    case Expr.Ident id when id.name().equals("string") -> t;
                    case null, default -> null;
                };
            }
            case Expr.Selector s -> fieldType(scan, typeOf(scan, s.x(), context, depth + 1), s.sel().name());
            case Expr.Call c -> callType(scan, c, context, depth);
            default -> null;
        };
    }

    private static Expr callType(FileScan scan, Expr.Call c, List<Node> context, int depth) {
        Expr fun = c.fun();
        while (fun instanceof Expr.Paren p) {
            fun = p.x();
        }
        if (fun instanceof Expr.Ident id && resolve(scan, id.name(), context) == null) {
            switch (id.name()) {
                case "make" -> {
                    return c.args().isEmpty() ? null : c.args().get(0);
                }
                case "new" -> {
                    return c.args().isEmpty() ? null : new Expr.Star(c.pos(), c.args().get(0));
                }
                case "append" -> {
                    return c.args().isEmpty() ? null : typeOf(scan, c.args().get(0), context, depth + 1);
                }
                case "len", "cap", "copy" -> {
                    return ident("int");
                }
                default -> {
                }
            }
            if (BASIC.contains(id.name()) || scan.pkg().types().containsKey(id.name())) {
                return id; // a conversion
            }
            Decl.FuncDecl f = scan.pkg().functions().get(id.name());
            if (f != null && f.type().typeParams().isEmpty() && f.type().results().size() == 1
                    && f.type().results().get(0).names().size() <= 1) {
                return f.type().results().get(0).type();
            }
            return null;
        }
        if (fun instanceof Expr.ArrayType || fun instanceof Expr.MapType) {
            return fun;
        }
        String callee = scan.callee(c);
        if (callee != null && STRING_FUNCS.contains(callee)) {
            return ident("string");
        }
        if (callee != null && STRING_SLICE_FUNCS.contains(callee)) {
            return new Expr.ArrayType(c.pos(), null, ident("string"));
        }
        return null;
    }

    private static Expr.Ident ident(String name) {
        return new Expr.Ident(-1, name);
    }

    /**
     * The type a named type of the package stands for ({@code type Rows []Row} gives {@code []Row}),
     * through chains of names; builtin names and unknown types are returned as they are. Generic
     * types are not followed (their fields may name type parameters).
     */
    public static Expr underlying(FileScan scan, Expr type) {
        Expr t = type;
        for (int i = 0; i < 10 && t != null; i++) {
            while (t instanceof Expr.Paren p) {
                t = p.x();
            }
            if (t instanceof Expr.Ident id && !BASIC.contains(id.name())) {
                Decl.TypeSpec spec = scan.pkg().types().get(id.name());
                if (spec == null || !spec.typeParams().isEmpty()) {
                    return t;
                }
                t = spec.type();
            } else {
                return t;
            }
        }
        return t;
    }

    /** What ranging over a value of the type gives as its value variable, or null when unknown. */
    public static Expr elementType(FileScan scan, Expr rangedType) {
        Expr t = underlying(scan, rangedType);
        if (t instanceof Expr.Star s && underlying(scan, s.x()) instanceof Expr.ArrayType a && a.length() != null) {
            return a.element();
        }
        return switch (t) {
            case Expr.ArrayType a -> a.element();
            case Expr.MapType m -> m.value();
            case Expr.Ident id when id.name().equals("string") -> ident("rune");
            case null, default -> null;
        };
    }

    /** The type of field {@code name} of a struct type of the package (or a pointer to one), or null. */
    public static Expr fieldType(FileScan scan, Expr type, String name) {
        Expr t = underlying(scan, type);
        if (t instanceof Expr.Star s) {
            t = underlying(scan, s.x());
        }
        if (!(t instanceof Expr.StructType st)) {
            return null;
        }
        for (Field f : st.fields()) {
            for (Expr.Ident id : f.names()) {
                if (id.name().equals(name)) {
                    return f.type();
                }
            }
        }
        return null;
    }

    /** True when the type is the builtin string (or a package type defined as a string). */
    public static boolean isString(FileScan scan, Expr type) {
        return underlying(scan, type) instanceof Expr.Ident id && id.name().equals("string")
                && scan.pkg().types().get("string") == null;
    }

    /** Types whose values must not be copied once used, by import path and name. */
    /** Whether the type expression is {@code T} or {@code *T} for the qualified name ("net/http.Client"). */
    public static boolean isNamed(FileScan scan, Expr type, String qualified) {
        Expr t = Names.unparen(type);
        if (t instanceof Expr.Star star) {
            t = star.x();
        }
        return qualified.equals(scan.qualified(t));
    }

    /** Whether the expression makes a new T: {@code T{...}}, {@code &T{...}} or {@code new(T)}. */
    public static boolean isNewValue(FileScan scan, Expr value, String qualified) {
        Expr v = Names.unparen(value);
        if (v instanceof Expr.Unary u && u.op().equals("&")) {
            v = u.x();
        }
        if (v instanceof Expr.CompositeLit lit && lit.type() != null) {
            return isNamed(scan, lit.type(), qualified);
        }
        return v instanceof Expr.Call c && Names.isIdent(c.fun(), "new") && c.args().size() == 1
                && isNamed(scan, c.args().get(0), qualified);
    }

    private static final Set<String> LOCKS = Set.of("sync.Mutex", "sync.RWMutex", "sync.WaitGroup", "sync.Once",
            "sync.Cond", "sync.Map", "sync.Pool");

    /**
     * Where a value of the type holds a lock, not through a pointer: "sync.Mutex" for the lock
     * itself, "field mu (sync.Mutex)", "field inner.mu (sync.Mutex)" through the package's own
     * struct types and arrays; null when it holds none, or when that cannot be known (another
     * package's types).
     */
    public static String lockIn(FileScan scan, Expr type) {
        return lockIn(scan, type, new HashSet<>(), "");
    }

    private static String lockIn(FileScan scan, Expr type, Set<String> seen, String path) {
        switch (type) {
            case Expr.Paren p -> {
                return lockIn(scan, p.x(), seen, path);
            }
            case Expr.Selector s -> {
                String q = scan.qualified(s);
                return q != null && LOCKS.contains(q) ? (path.isEmpty() ? q : "field " + path + " (" + q + ")") : null;
            }
            case Expr.Index ix -> {
                return lockIn(scan, ix.x(), seen, path); // a generic type's instance
            }
            case Expr.Ident id -> {
                Decl.TypeSpec spec = scan.pkg().types().get(id.name());
                if (spec == null || BASIC.contains(id.name()) || !seen.add(id.name())) {
                    return null;
                }
                String found = lockIn(scan, spec.type(), seen, path);
                seen.remove(id.name());
                return found;
            }
            case Expr.ArrayType a when a.length() != null -> {
                return lockIn(scan, a.element(), seen, path);
            }
            case Expr.StructType st -> {
                for (Field f : st.fields()) {
                    List<String> names = f.names().isEmpty() ? List.of(embeddedName(f.type()))
                            : f.names().stream().map(Expr.Ident::name).toList();
                    String found = lockIn(scan, f.type(), seen, (path.isEmpty() ? "" : path + ".") + names.get(0));
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            }
            case null, default -> {
                return null;
            }
        }
    }

    private static String embeddedName(Expr type) {
        return switch (type) {
            case Expr.Star s -> embeddedName(s.x());
            case Expr.Selector s -> s.sel().name();
            case Expr.Ident id -> id.name();
            case Expr.Index ix -> embeddedName(ix.x());
            default -> "?";
        };
    }

    /**
     * A value's size in bytes on a 64-bit platform (amd64, arm64), as far as the source tells: exact
     * when every part's size is known, else a lower bound (unknown parts count 0, padding ignored).
     */
    public record Size(long bytes, long align, boolean exact) {
    }

    /** The size of a value of the type; see {@link Size}. */
    public static Size sizeOf(FileScan scan, Expr type) {
        return sizeOf(scan, type, new HashSet<>());
    }

    private static final Size UNKNOWN = new Size(0, 1, false);

    private static Size sizeOf(FileScan scan, Expr type, Set<String> seen) {
        return switch (type) {
            case Expr.Paren p -> sizeOf(scan, p.x(), seen);
            case Expr.Ident id when BASIC.contains(id.name()) -> basicSize(id.name());
            case Expr.Ident id -> {
                Decl.TypeSpec spec = scan.pkg().types().get(id.name());
                if (spec == null || !spec.typeParams().isEmpty() || !seen.add(id.name())) {
                    yield UNKNOWN;
                }
                Size s = sizeOf(scan, spec.type(), seen);
                seen.remove(id.name());
                yield s;
            }
            case Expr.Star s -> new Size(8, 8, true);
            case Expr.MapType m -> new Size(8, 8, true);
            case Expr.ChanType c -> new Size(8, 8, true);
            case Expr.FuncType f -> new Size(8, 8, true);
            case Expr.InterfaceType i -> new Size(16, 8, true);
            case Expr.ArrayType a when a.length() == null -> new Size(24, 8, true);
            case Expr.ArrayType a -> {
                long n = arrayLength(scan, a.length());
                Size e = sizeOf(scan, a.element(), seen);
                yield n < 0 ? new Size(0, e.align(), false) : new Size(n * e.bytes(), e.align(), e.exact());
            }
            case Expr.StructType st -> {
                long offset = 0;
                long align = 1;
                boolean exact = true;
                for (Field f : st.fields()) {
                    Size fs = sizeOf(scan, f.type(), seen);
                    for (int i = 0; i < Math.max(1, f.names().size()); i++) {
                        if (exact && fs.exact()) {
                            offset = (offset + fs.align() - 1) / fs.align() * fs.align();
                        }
                        offset += fs.bytes();
                        align = Math.max(align, fs.align());
                    }
                    exact &= fs.exact();
                }
                yield exact ? new Size((offset + align - 1) / align * align, align, true) : new Size(offset, align, false);
            }
            case null, default -> UNKNOWN;
        };
    }

    private static Size basicSize(String name) {
        return switch (name) {
            case "bool", "int8", "uint8", "byte" -> new Size(1, 1, true);
            case "int16", "uint16" -> new Size(2, 2, true);
            case "int32", "uint32", "rune", "float32" -> new Size(4, 4, true);
            case "complex64" -> new Size(8, 4, true);
            case "complex128" -> new Size(16, 8, true);
            case "string", "error", "any" -> new Size(16, 8, true);
            default -> new Size(8, 8, true); // int, uint, int64, uint64, uintptr, float64
        };
    }

    /** An array length written as an integer literal or a constant of the package with one; else -1. */
    private static long arrayLength(FileScan scan, Expr length) {
        Expr e = length;
        if (e instanceof Expr.Ident id) {
            Binding b = packageLevel(scan, id.name());
            e = b != null && b.kind() == Kind.PACKAGE_CONST ? b.value() : null;
        }
        if (e instanceof Expr.BasicLit l && l.kind() == Expr.LitKind.INT) {
            try {
                return Long.decode(l.value().replace("_", ""));
            } catch (NumberFormatException ex) {
                return -1;
            }
        }
        return -1;
    }
}
