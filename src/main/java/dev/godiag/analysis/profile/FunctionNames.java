package dev.godiag.analysis.profile;

import dev.godiag.analysis.symbols.SymbolNames;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.Profile;

/**
 * The last step of pprof's symbolizer, which every report goes through: function names are
 * demangled and simplified ({@link SymbolNames}). It runs on the merged profile, before the
 * profile's drop_frames and the user's filters see the names, as in pprof.
 */
public final class FunctionNames {
    private FunctionNames() {
    }

    /**
     * The profile with pprof's names; the same profile if no name changes. godiag's own exports
     * (folded stacks, speedscope) hold names as they were shown, simplified already: they stay.
     */
    public static Profile simplify(Profile p) {
        if (p.kind().equals("folded") || p.kind().equals("speedscope")) {
            return p;
        }
        FunctionTable f = p.functions();
        String[] names = null;
        for (int i = 0; i < f.size(); i++) {
            String name = f.name[i];
            String shown = SymbolNames.simplify(name, f.systemName[i]);
            if (!shown.equals(name)) {
                if (names == null) {
                    names = f.name.clone();
                }
                names[i] = shown;
            }
        }
        if (names == null) {
            return p;
        }
        FunctionTable nf = new FunctionTable(f.id, names, f.systemName, f.filename, f.startLine);
        return p.withTables(nf, p.locations(), p.samples());
    }
}
