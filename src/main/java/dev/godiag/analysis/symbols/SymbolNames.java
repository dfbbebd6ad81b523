package dev.godiag.analysis.symbols;

/**
 * The function names pprof prints, from the names a profile carries: pprof's symbolizer ends by
 * demangling every function (also of profiles symbolized long before), in its default mode that
 * leaves out parameters, enclosing parameters and template arguments. A C++ or Rust mangled
 * system name is demangled; a name that only looks demangled (C++ or Rust, and Go generics
 * instantiated with func types or methodful interfaces) loses its "(...)" and "<...>" groups.
 */
public final class SymbolNames {
    private SymbolNames() {
    }

    /**
     * The name pprof shows for a function with this name and system name. A function whose name
     * was already made different from its system name is left alone, as pprof leaves it.
     */
    public static String simplify(String name, String systemName) {
        if (!name.isEmpty() && !systemName.equals(name)) {
            return name;
        }
        String demangled = Demangler.demangle(systemName);
        if (demangled != null && !demangled.equals(systemName)) {
            return demangled;
        }
        // macOS prefixes every symbol with one more '_'
        if (systemName.startsWith("_")) {
            String inner = systemName.substring(1);
            demangled = Demangler.demangle(inner);
            if (demangled != null && !demangled.equals(inner)) {
                return demangled;
            }
        }
        if (!looksDemangled(systemName)) {
            return systemName;
        }
        return removeGroups(removeGroups(systemName, '(', ')'), '<', '>');
    }

    /**
     * pprof's guess that a name is demangled C++: it has brackets or "::"; but not Java's
     * "Class.&lt;init&gt;" nor Go's "pkg.(*T[...]).Method".
     */
    static boolean looksDemangled(String name) {
        if (name.contains(".<") || name.contains("]).")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '<' || c == '>' || c == '[' || c == ']') {
                return true;
            }
        }
        return name.contains("::");
    }

    /**
     * Removes each outermost open..close group; a close with no open makes pprof give up and keep
     * the name as it was at that point.
     */
    static String removeGroups(String name, char open, char close) {
        StringBuilder out = new StringBuilder(name.length());
        int depth = 0;
        int groupStart = 0; // where the current outermost group starts in out
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == open) {
                if (++depth == 1) {
                    groupStart = out.length();
                }
            } else if (c == close) {
                if (--depth < 0) {
                    // pprof returns the name with the groups closed so far removed and the rest as it is
                    out.append(name, i, name.length());
                    return out.toString();
                }
                if (depth == 0) {
                    out.setLength(groupStart);
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
