package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Decl;
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
