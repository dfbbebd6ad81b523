package dev.godiag.cli;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.goroutine.GoroutineProfiles;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;
import dev.godiag.model.RuntimeInput;
import dev.godiag.model.ValueType;
import dev.godiag.report.DiagnosisRenderers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What diagnose reads: files, globs, directories (every file inside, recursively) and URLs of a
 * live service's {@code /debug/pprof/}, each told apart by content (the name only breaks the ties
 * the content leaves: heap vs allocs, block vs mutex). Several snapshots of one kind form a series
 * ordered by the time inside the data (profile time, memstats LastGC), else by natural file-name
 * order (t2 before t10). The same snapshot in several forms (heap.pprof and heap.debug1.txt,
 * goroutine.t0.debug2.txt and goroutine.t0.pprof) is used once, in its richest form.
 */
final class DiagnoseInputs {
    private static final int SNIFF = 4096;
    private static final Pattern DUMP_LINE = Pattern.compile("(?m)^goroutine \\d+ (gp=\\S+ m=\\S+ (mp=\\S+ )?)?\\[");
    private static final Pattern FORMAT_TOKENS = Pattern.compile(
            "(?i)(\\.gz|\\.pprof|\\.pb|\\.prof|\\.proto|\\.txt|\\.json|\\.log|\\.out|\\.prom"
                    + "|\\.debug[012]|[?&]debug=\\d)+$");
    private static final Pattern TIME_TOKEN = Pattern.compile("(?i)([._-]?t?\\d+)$");

    private DiagnoseInputs() {
    }

    /** One input read: what it is, and the data when it is used. */
    static final class Item {
        final String name;
        Kind kind;
        String detail;
        String note;
        Object data; // Profile, GoroutineDump, GcTrace, ExpvarSnapshot or PromMetrics
        long time;   // nanoseconds since the epoch inside the data, 0 when none
        int rank;    // richness of the form, higher is preferred

        Item(String name) {
            this.name = name;
        }
    }

    /** What was read and the diagnosis input made of it. */
    record Result(DiagnosisInput input, List<DiagnosisRenderers.InputRow> rows) {
    }

    /** Options of a live service's fetch. */
    record Live(boolean cpu, int seconds) {
    }

    static Result read(List<String> operands, InputSource.FetchOptions fetch, long limit, Live live) {
        List<Item> items = new ArrayList<>();
        for (String s : Globs.expand(operands)) {
            if (InputSource.isUrl(s)) {
                readUrl(s, fetch, limit, live, items);
                continue;
            }
            Path p = s.equals("-") ? null : Path.of(s);
            if (p != null && Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> w = Files.walk(p)) {
                    files = w.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString,
                            DiagnoseInputs::natural)).toList();
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new BadInputException(s + ": cannot list the directory: " + e.getMessage());
                }
                for (Path f : files) {
                    Item it = new Item(f.toString());
                    try {
                        detectFile(it, f.toString(), fetch, limit);
                    } catch (BadInputException e) {
                        it.kind = null;
                        it.note = "skipped: " + stripName(e.getMessage(), it.name);
                    }
                    items.add(it);
                }
                continue;
            }
            Item it = new Item(ProfileLoader.displayName(s));
            detectFile(it, s, fetch, limit);
            items.add(it);
        }
        return assemble(items);
    }

    private static String stripName(String message, String name) {
        return message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message;
    }

    // ---- detection

    /** Reads one file (or "-") by its content; a BadInputException when it is nothing diagnose reads. */
    static void detectFile(Item it, String source, InputSource.FetchOptions fetch, long limit) {
        byte[] head = source.equals("-") ? null : head(source);
        if (head != null && head.length == 0) {
            throw new BadInputException(it.name + ": empty file");
        }
        if (head == null || Gzip.isGzip(head) || binary(head)) {
            Profile p;
            try {
                p = ProfileLoader.load(source, fetch, limit);
            } catch (BadInputException e) {
                if (head != null && Gzip.isGzip(head)) {
                    text(it, source, fetch, limit, null); // a gzipped dump or log
                    return;
                }
                throw e;
            }
            profile(it, p, source);
            return;
        }
        text(it, source, fetch, limit, new String(head, StandardCharsets.UTF_8));
    }

    private static void text(Item it, String source, InputSource.FetchOptions fetch, long limit, String head) {
        if (head != null && (head.startsWith("heap profile:") || head.startsWith("--- mutex:")
                || head.startsWith("--- contention:") || head.startsWith("threadcreate profile:"))) {
            profile(it, ProfileLoader.load(source, fetch, limit), source);
            return;
        }
        if (head == null || head.startsWith("goroutine profile:") || head.startsWith("goroutineleak profile:")
                || DUMP_LINE.matcher(head).find()) {
            try {
                goroutines(it, GoroutineSources.load(source, fetch, limit));
                return;
            } catch (BadInputException e) {
                if (head != null) {
                    throw e;
                }
            }
        }
        runtime(it, RuntimeSources.load(source, fetch, limit));
    }

    static void goroutines(Item it, GoroutineDump d) {
        it.kind = Kind.GOROUTINES;
        it.data = d;
        it.detail = d.format() + ", " + d.total() + " goroutines";
        it.rank = d.format().contains("dump") ? 3 : d.format().contains("profile") ? 2 : 1;
    }

    static void runtime(Item it, RuntimeInput in) {
        it.data = in;
        if (in instanceof GcTrace t) {
            it.kind = Kind.GCTRACE;
            it.detail = "gctrace, " + t.cycles().size() + " gc cycles";
        } else if (in instanceof ExpvarSnapshot v) {
            it.kind = Kind.MEMSTATS;
            it.detail = v.memstats() == null ? "expvar without memstats" : "expvar memstats, NumGC "
                    + v.memstats().numGC();
            if (v.memstats() != null) {
                it.time = v.memstats().lastGC();
            }
        } else if (in instanceof PromMetrics m) {
            it.kind = Kind.METRICS;
            it.detail = "Prometheus text, " + m.families().size() + " families";
        } else {
            throw new BadInputException(it.name + ": not an input diagnose reads");
        }
    }

    /** Classifies a profile by its sample and period types; the name breaks heap/allocs and block/mutex ties. */
    static void profile(Item it, Profile p, String source) {
        List<String> types = p.sampleTypes().stream().map(ValueType::type).toList();
        String name = baseName(source).toLowerCase(Locale.ROOT);
        String form = p.kind().endsWith("-text") ? "debug=1 text" : "profile.proto";
        it.rank = p.kind().endsWith("-text") ? 1 : 2;
        it.time = p.timeNanos();
        if (types.contains("goroutine") || types.contains("goroutineleak")) {
            goroutines(it, GoroutineProfiles.fromProfile(p, it.name));
            it.time = p.timeNanos();
            return;
        }
        it.data = p;
        String sampleTypes = String.join(", ", types);
        if (types.contains("cpu") || p.periodType().type().equals("cpu")) {
            it.kind = Kind.CPU_PROFILE;
        } else if (types.contains("inuse_space") || types.contains("alloc_space")) {
            boolean allocs = name.contains("alloc") || !name.contains("heap")
                    && (p.defaultSampleType().equals("alloc_space") || !types.contains("inuse_space"));
            it.kind = allocs ? Kind.ALLOCS_PROFILE : Kind.HEAP_PROFILE;
        } else if (types.contains("delay") || types.contains("contentions")) {
            it.kind = p.kind().equals("mutex-text") || name.contains("mutex") ? Kind.MUTEX_PROFILE
                    : p.kind().equals("block-text") || name.contains("block") ? Kind.BLOCK_PROFILE
                    : unlockLeaves(p) ? Kind.MUTEX_PROFILE : Kind.BLOCK_PROFILE;
        } else if (types.contains("threadcreate")) {
            it.kind = Kind.THREADCREATE_PROFILE;
        } else {
            throw new BadInputException(it.name + ": a profile of " + sampleTypes + ", which diagnose does not read");
        }
        it.detail = form + ": " + sampleTypes;
    }

    /**
     * Go's mutex profile records the stack of the unlock that ended the contention (its leaves
     * are Unlock and runtime.unlock); the block profile the stack that waited (Lock, selectgo,
     * chanrecv, semacquire...).
     */
    private static boolean unlockLeaves(Profile p) {
        try {
            FunctionCosts c = FunctionCosts.of(p, p.sampleTypes().size() - 1);
            long unlock = 0;
            for (FunctionCosts.Row r : c.rows()) {
                if (r.function().endsWith("Unlock") || r.function().equals("runtime.unlock")) {
                    unlock += r.flat();
                }
            }
            return c.total() > 0 && unlock * 2 > c.total();
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- URLs

    private static final String[] PPROF_ENDPOINTS = {"goroutine", "heap", "allocs", "block", "mutex"};

    private static void readUrl(String url, InputSource.FetchOptions fetch, long limit, Live live, List<Item> items) {
        String u = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        String path = u.contains("?") ? u.substring(0, u.indexOf('?')) : u;
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.endsWith("/debug/pprof")) {
            String base = trimmed + "/";
            String root = trimmed.substring(0, trimmed.length() - "/debug/pprof".length());
            for (String e : PPROF_ENDPOINTS) {
                items.add(fetchOne(base + e, fetch, limit, false));
            }
            if (live.cpu()) {
                items.add(fetchOne(base + "profile?seconds=" + live.seconds(),
                        new InputSource.FetchOptions(live.seconds(), fetch.timeoutSeconds()), limit, false));
            }
            Item vars = fetchOne(root + "/debug/vars", fetch, limit, true);
            if (vars != null) {
                items.add(vars);
            }
            Item metrics = fetchOne(root + "/metrics", fetch, limit, true);
            if (metrics != null) {
                items.add(metrics);
            }
            return;
        }
        items.add(fetchOne(url, fetch, limit, false));
    }

    /** Fetches one endpoint; optional ones that fail are left out (null), others fail the run. */
    private static Item fetchOne(String url, InputSource.FetchOptions fetch, long limit, boolean optional) {
        Item it = new Item(url);
        String endpoint = baseName(url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
        try {
            if (endpoint.startsWith("goroutine")) {
                goroutines(it, GoroutineSources.load(url, fetch, limit));
                it.time = System.currentTimeMillis() * 1_000_000L;
            } else if (endpoint.equals("vars") || endpoint.equals("metrics")) {
                runtime(it, RuntimeSources.load(url, fetch, limit));
            } else {
                profile(it, ProfileLoader.load(url, fetch, limit), endpoint);
            }
        } catch (BadInputException e) {
            if (optional) {
                return null;
            }
            throw e;
        }
        return it;
    }

    // ---- series

    /**
     * Keeps one form of each snapshot (the richest), one goroutine series (full dumps or profiles
     * before goroutineleak ones), and orders each kind's series by time or natural name.
     */
    static Result assemble(List<Item> items) {
        Map<String, Item> best = new LinkedHashMap<>();
        for (Item it : items) {
            if (it.kind == null) {
                continue;
            }
            String key = it.kind + "|" + snapshotKey(it.name);
            Item prev = best.get(key);
            if (prev == null || it.rank > prev.rank) {
                if (prev != null) {
                    prev.note = "not used: the same snapshot as " + it.name;
                }
                best.put(key, it);
            } else {
                it.note = "not used: the same snapshot as " + prev.name;
            }
        }
        // goroutines: one series; prefer the full picture (goroutine) over the leak-only profile
        List<Item> gor = best.values().stream().filter(i -> i.kind == Kind.GOROUTINES).toList();
        boolean hasFull = gor.stream().anyMatch(i -> !isLeakOnly(i));
        if (hasFull) {
            for (Item i : gor) {
                if (isLeakOnly(i)) {
                    i.note = "not used: goroutineleak snapshots are left out when full goroutine snapshots are given";
                }
            }
        }
        DiagnosisInput in = new DiagnosisInput();
        for (Kind k : Kind.values()) {
            List<Item> series = new ArrayList<>(best.values().stream().filter(i -> i.kind == k && i.note == null)
                    .toList());
            series.sort(Comparator.comparing((Item i) -> i.name, DiagnoseInputs::natural));
            if (series.stream().allMatch(i -> i.time > 0)) {
                series.sort(Comparator.comparingLong(i -> i.time)); // stable: ties keep name order
            }
            for (Item i : series) {
                switch (i.data) {
                    case Profile p -> in.addProfile(i.name, k, p);
                    case GoroutineDump d -> in.addGoroutines(d);
                    case GcTrace t -> in.addGcTrace(t);
                    case ExpvarSnapshot v -> in.addMemStats(v);
                    case PromMetrics m -> in.addMetrics(m);
                    default -> throw new IllegalStateException("unexpected input " + i.data);
                }
            }
        }
        Map<String, Integer> order = new java.util.HashMap<>();
        Map<Kind, Integer> next = new java.util.EnumMap<>(Kind.class);
        for (DiagnosisInput.Source src : in.sources()) {
            int n = next.merge(src.kind(), 1, Integer::sum) - 1;
            order.putIfAbsent(src.kind() + "|" + src.name(), n);
        }
        List<DiagnosisRenderers.InputRow> rows = new ArrayList<>();
        for (Item it : items) {
            Integer pos = it.kind == null || it.note != null ? null : order.get(it.kind + "|" + it.name);
            rows.add(new DiagnosisRenderers.InputRow(it.name, it.kind == null ? "skipped" : kindId(it.kind),
                    it.detail == null ? "" : it.detail, it.note, pos == null ? -1 : pos));
        }
        return new Result(in, rows);
    }

    private static boolean isLeakOnly(Item i) {
        return i.data instanceof GoroutineDump d && d.format().contains("goroutineleak");
    }

    /** The JSON and text name of a kind: cpu, heap, allocs, goroutines, block, mutex, threadcreate, gctrace... */
    static String kindId(Kind k) {
        return switch (k) {
            case CPU_PROFILE -> "cpu";
            case HEAP_PROFILE -> "heap";
            case ALLOCS_PROFILE -> "allocs";
            case GOROUTINES -> "goroutines";
            case BLOCK_PROFILE -> "block";
            case MUTEX_PROFILE -> "mutex";
            case THREADCREATE_PROFILE -> "threadcreate";
            case GCTRACE -> "gctrace";
            case MEMSTATS -> "memstats";
            case METRICS -> "metrics";
        };
    }

    /** The name without directory and format suffixes: goroutine.t0.debug2.txt and goroutine.t0.pprof: goroutine.t0. */
    static String snapshotKey(String name) {
        String b = baseName(name);
        String s = FORMAT_TOKENS.matcher(b).replaceAll("");
        return s.isEmpty() ? b : s;
    }

    /** The snapshot key without a trailing time token: goroutine.t3 -> goroutine. */
    static String seriesKey(String name) {
        return TIME_TOKEN.matcher(snapshotKey(name)).replaceAll("");
    }

    private static String baseName(String s) {
        String n = s.replace('\\', '/');
        if (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** Natural order: digit runs compare as numbers (t2 before t10). */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static byte[] head(String source) {
        try (InputStream in = Files.newInputStream(Path.of(source))) {
            return in.readNBytes(SNIFF);
        } catch (IOException | RuntimeException e) {
            return null; // the reader names the problem
        }
    }

    private static boolean binary(byte[] head) {
        for (byte b : head) {
            int c = b & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
                return true;
            }
        }
        return false;
    }
}
