package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One file under scan: what its names refer to (imports, shadowed by local declarations) and where
 * its findings go. Checks call {@link #report}; the scan keeps only the findings no
 * {@code //godiag:ignore} comment suppresses.
 */
public final class FileScan {
    private final GoFile file;
    private final GoPackage pkg;
    private final Map<String, String> imports = new HashMap<>();
    private final List<Decl.FuncDecl> functions = new ArrayList<>();
    private final Map<Decl.FuncDecl, Set<String>> localNames = new IdentityHashMap<>();
    private final Suppressions suppressions;
    private Set<String> fatalHelpers;
    private CheckInfo current;
    private final Consumer<ScanFinding> out;

    FileScan(GoFile file, GoPackage pkg, Suppressions suppressions, Consumer<ScanFinding> out) {
        this.file = file;
        this.pkg = pkg;
        this.suppressions = suppressions;
        this.out = out;
        for (Decl.ImportSpec spec : file.imports()) {
            String name = spec.name() != null ? spec.name().name() : defaultName(spec.path());
            if (!name.equals("_") && !name.equals(".")) {
                imports.put(name, spec.path());
            }
        }
        for (Decl d : file.decls()) {
            if (d instanceof Decl.FuncDecl f && f.body() != null) {
                functions.add(f);
            }
        }
    }

    public GoFile file() {
        return file;
    }

    public GoPackage pkg() {
        return pkg;
    }

    /** Names of the file's functions and closures that end in panic, os.Exit or a fatal call (see {@link Loops#fatalHelpers}). */
    Set<String> fatalHelpers() {
        if (fatalHelpers == null) {
            fatalHelpers = Set.of(); // while computing: a helper ending in another helper is not followed
            fatalHelpers = Loops.fatalHelpers(this);
        }
        return fatalHelpers;
    }

    void run(SourceCheck check) {
        current = check.info();
        check.check(this);
    }

    /** Whether the file imports the package (under any name): a check about its calls can skip a file that does not. */
    public boolean imports(String path) {
        for (Decl.ImportSpec spec : file.imports()) {
            if (spec.path().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The import path a name refers to at a place, or null: {@code http} gives "net/http" where
     * the file imports it and no local declaration of the enclosing function hides it.
     */
    public String importPath(Expr.Ident name) {
        String path = imports.get(name.name());
        if (path == null) {
            return null;
        }
        Decl.FuncDecl fn = functionAt(name.pos());
        return fn != null && localNames(fn).contains(name.name()) ? null : path;
    }

    /**
     * What a call calls when it is a package-level function of an imported package:
     * "time.After", "net/http.Get", "encoding/json.Marshal" (import path, dot, name); null for
     * methods, local functions and conversions. Generic instantiations ({@code pkg.F[T](x)}) too.
     */
    public String callee(Expr.Call call) {
        return qualified(call.fun());
    }

    /** The import path and name of a package member expression ({@code time.Second}), or null. */
    public String qualified(Expr e) {
        Expr fun = e;
        while (fun instanceof Expr.Paren p) {
            fun = p.x();
        }
        if (fun instanceof Expr.Index i) {
            fun = i.x();
        }
        if (fun instanceof Expr.Selector s && s.x() instanceof Expr.Ident pkgName) {
            String path = importPath(pkgName);
            return path == null ? null : path + "." + s.sel().name();
        }
        return null;
    }

    /** The top-level function whose body holds the offset, or null. */
    public Decl.FuncDecl functionAt(int pos) {
        int lo = 0;
        int hi = functions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Decl.FuncDecl f = functions.get(mid);
            if (pos < f.pos()) {
                hi = mid - 1;
            } else if (pos > f.body().end()) {
                lo = mid + 1;
            } else {
                return f;
            }
        }
        return null;
    }

    /**
     * Reports a finding of the running check at {@code at}, about the cost of {@code span} (the
     * loop, the statement; {@code at} itself when null).
     */
    public void report(Node at, Node span, String message) {
        int line = file.line(at.pos());
        if (suppressions.suppressed(current.id(), line)) {
            return;
        }
        Node s = span == null ? at : span;
        out.accept(new ScanFinding(current, file.path(), line, file.column(at.pos()), file.line(s.pos()),
                file.line(Spans.end(s)), SyntaxPath.functionName(functionAt(at.pos())), message));
    }

    private Set<String> localNames(Decl.FuncDecl fn) {
        return localNames.computeIfAbsent(fn, FileScan::declaredNames);
    }

    /** Every name a function declares: receiver, parameters, results, := and var, range variables. */
    private static Set<String> declaredNames(Decl.FuncDecl fn) {
        Set<String> names = new HashSet<>();
        Node.walk(fn, n -> {
            switch (n) {
                case dev.godiag.model.gosyntax.Field f -> f.names().forEach(id -> names.add(id.name()));
                case Stmt.Assign a when a.op().equals(":=") -> a.lhs().forEach(e -> {
                    if (e instanceof Expr.Ident id) {
                        names.add(id.name());
                    }
                });
                case Stmt.Range r when ":=".equals(r.op()) -> {
                    if (r.key() instanceof Expr.Ident id) {
                        names.add(id.name());
                    }
                    if (r.value() instanceof Expr.Ident id) {
                        names.add(id.name());
                    }
                }
                case Decl.ValueSpec v -> v.names().forEach(id -> names.add(id.name()));
                case Decl.TypeSpec t -> names.add(t.name().name());
                default -> {
                }
            }
        });
        return names;
    }

    /** The name an import gets by default: its last element, skipping a major version ("/v2"). */
    static String defaultName(String path) {
        String[] parts = path.split("/");
        String last = parts[parts.length - 1];
        if (parts.length > 1 && last.matches("v[0-9]+")) {
            last = parts[parts.length - 2];
        }
        int dot = last.indexOf(".v");
        if (last.startsWith("go-")) {
            last = last.substring(3);
        }
        return dot > 0 && path.startsWith("gopkg.in/") ? last.substring(0, dot) : last;
    }
}
