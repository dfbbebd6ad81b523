package dev.godiag.analysis.profile;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.Profile;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runtime functions that moved or were renamed between Go releases, so that two toolchains'
 * profiles compare the same work under one name: the poller's epoll wait, the raw syscall
 * wrappers and the runtime-internal packages (runtime/internal/X became internal/runtime/X in Go
 * 1.23-1.24; the Linux syscall wrappers moved again under internal/runtime/syscall/linux).
 */
public final class GoRenames {
    private GoRenames() {
    }

    /** An old spelling and the newest one; prefixes rename every function of a package. */
    private record Rename(String from, String to, boolean prefix) {
    }

    private static final List<Rename> RENAMES = List.of(
            new Rename("runtime.epollwait", "internal/runtime/syscall/linux.EpollWait", false),
            new Rename("runtime.epollctl", "internal/runtime/syscall/linux.EpollCtl", false),
            new Rename("runtime.epollcreate1", "internal/runtime/syscall/linux.EpollCreate", false),
            new Rename("runtime.findrunnable", "runtime.findRunnable", false),
            new Rename("runtime/internal/syscall.", "internal/runtime/syscall/linux.", true),
            new Rename("runtime/internal/atomic.", "internal/runtime/atomic.", true),
            new Rename("runtime/internal/sys.", "internal/runtime/sys.", true),
            new Rename("runtime/internal/math.", "internal/runtime/math.", true));

    /** The newest spelling of a function name; the name itself when it did not move. */
    public static String newest(String name) {
        for (Rename r : RENAMES) {
            if (r.prefix() ? name.startsWith(r.from()) : name.equals(r.from())) {
                return r.to() + name.substring(r.from().length());
            }
        }
        // internal/runtime/syscall (Go 1.24-1.26) before its Linux wrappers got their own package
        if (name.startsWith("internal/runtime/syscall.")) {
            return "internal/runtime/syscall/linux." + name.substring("internal/runtime/syscall.".length());
        }
        return name;
    }

    /**
     * @param profile the profile with every function under its newest name
     * @param renamed the names changed, old to new, sorted
     */
    public record Renamed(Profile profile, Map<String, String> renamed) {
    }

    /** The profile with its functions under their newest names (the same profile when none moved). */
    public static Renamed toNewest(Profile p) {
        FunctionTable f = p.functions();
        String[] names = f.name.clone();
        Map<String, String> renamed = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            String n = newest(names[i]);
            if (!n.equals(names[i])) {
                renamed.put(names[i], n);
                names[i] = n;
            }
        }
        if (renamed.isEmpty()) {
            return new Renamed(p, Map.of());
        }
        FunctionTable nf = new FunctionTable(f.id, names, f.systemName, f.filename, f.startLine);
        return new Renamed(p.withTables(nf, p.locations(), p.samples()), renamed);
    }
}
