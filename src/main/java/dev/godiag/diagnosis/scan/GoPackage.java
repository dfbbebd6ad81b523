package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.GoFile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one package (one directory, one package name), with the package's declared types and
 * functions by name, so a check on one file sees what its siblings declare.
 *
 * @param dir  the directory as the scan names it ('/'-separated, "." for the root)
 * @param name the package name
 */
public record GoPackage(String dir, String name, List<GoFile> files, Map<String, Decl.TypeSpec> types,
                        Map<String, Decl.FuncDecl> functions) {

    public GoPackage {
        files = List.copyOf(files);
        types = Map.copyOf(types);
        functions = Map.copyOf(functions);
    }

    /**
     * True when the package's structs declare a field of this name, and every such field is a
     * {@code pkgName.typeName} or a pointer to one ({@code client *http.Client}): what a field
     * reference {@code x.client} is, without types.
     */
    public boolean fieldAlwaysOf(String field, String pkgName, String typeName) {
        boolean found = false;
        for (Decl.TypeSpec t : types.values()) {
            if (t.type() instanceof Expr.StructType st) {
                for (Field f : st.fields()) {
                    if (f.names().stream().anyMatch(n -> n.name().equals(field))) {
                        Expr ft = f.type() instanceof Expr.Star s ? s.x() : f.type();
                        if (ft instanceof Expr.Selector sel && sel.x() instanceof Expr.Ident id
                                && id.name().equals(pkgName) && sel.sel().name().equals(typeName)) {
                            found = true;
                        } else {
                            return false;
                        }
                    }
                }
            }
        }
        return found;
    }

    /** A package of these files: its types and its functions (methods as "Type.Method"). */
    public static GoPackage of(String dir, String name, List<GoFile> files) {
        Map<String, Decl.TypeSpec> types = new HashMap<>();
        Map<String, Decl.FuncDecl> functions = new HashMap<>();
        for (GoFile f : files) {
            for (Decl d : f.decls()) {
                if (d instanceof Decl.GenDecl g && g.keyword().equals("type")) {
                    for (Decl.Spec s : g.specs()) {
                        if (s instanceof Decl.TypeSpec t) {
                            types.putIfAbsent(t.name().name(), t);
                        }
                    }
                } else if (d instanceof Decl.FuncDecl fn) {
                    String receiver = fn.receiver() == null ? null : SyntaxPath.receiverTypeName(fn.receiver().type());
                    functions.putIfAbsent(receiver == null ? fn.name().name() : receiver + "." + fn.name().name(), fn);
                }
            }
        }
        return new GoPackage(dir, name, files, types, functions);
    }
}
