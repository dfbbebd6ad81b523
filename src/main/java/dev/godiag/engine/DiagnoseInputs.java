package dev.godiag.engine;

import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.analysis.trace.TraceAnalyzer;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.format.CommentSymbols;
import dev.godiag.format.Input;
import dev.godiag.format.InputSource;
import dev.godiag.format.Inputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.format.trace.TraceSources;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;
import dev.godiag.model.ValueType;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.util.BadInputException;
import dev.godiag.util.Units;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What diagnose reads: files, directories (every file inside, recursively) and URLs of a live
 * service's {@code /debug/pprof/}, each read once by {@link Inputs}, which tells them apart by
 * content. Several snapshots of one kind form a series ordered by the time inside the data
 * (profile time, memstats LastGC), else by natural file-name order (t2 before t10). The same
 * snapshot in several forms (heap.pprof and heap.debug1.txt, goroutine.t0.debug2.txt and
 * goroutine.t0.pprof) is used once, in its richest form.
 *
 * <p>Which recognized input is which diagnosis kind is decided here, in {@link #entry} (and
 * {@link #add} hands it to the {@link DiagnosisInput}): a new input kind is a case there.
 */
public final class DiagnoseInputs {
    private static final Pattern FORMAT_TOKENS = Pattern.compile(
            "(?i)(\\.gz|\\.pprof|\\.pb|\\.prof|\\.proto|\\.txt|\\.json|\\.log|\\.out|\\.prom"
                    + "|\\.debug[012]|[?&]debug=\\d)+$");
    private static final String[] PPROF_ENDPOINTS = {"goroutine", "heap", "allocs", "block", "mutex"};
    /** The most of a live service's trace read (a busy service writes a few MiB a second). */
    static final long LIVE_TRACE_MAX = 64L << 20;

    private DiagnoseInputs() {
    }

    /** What was read and the diagnosis input made of it. */
    public record Result(DiagnosisInput input, List<DiagnosisRenderers.InputRow> rows) {
    }

    /**
     * What an input is to diagnosis: its kind and data, the detail shown for it, the time inside it
     * (nanoseconds since the epoch, 0 when none) and the richness of its form (higher is preferred).
     * A null kind: diagnose does not read it, {@code detail} says why.
     */
    private record Entry(Kind kind, Object data, String detail, long time, int rank) {
        static Entry notRead(String why) {
            return new Entry(null, null, why, 0, 0);
        }
    }

    /** One input read: its name, what it is to diagnosis, and why it is not used (null when used). */
    private static final class Item {
        final String name;
        final Entry entry;
        String note;

        Item(String name, Entry entry, String note) {
            this.name = name;
            this.entry = entry;
            this.note = note;
        }

        Kind kind() {
            return entry == null ? null : entry.kind();
        }
    }

    /**
     * Reads every source: a file, standard input or bytes; a directory (each file in it, those that
     * are no input skipped with a note); a URL, or a {@code /debug/pprof/} base from which every
     * endpoint is fetched. An explicit source that is no input fails the run.
     */
    public static Result read(List<Source> sources, EngineContext ctx, DiagnoseRequest.Live live) {
        return read(sources, ctx, live, null);
    }

    /** As {@link #read(List, EngineContext, DiagnoseRequest.Live)}; {@code binary} wrote a heap dump among them. */
    public static Result read(List<Source> sources, EngineContext ctx, DiagnoseRequest.Live live, Path binary) {
        List<Item> items = new ArrayList<>();
        for (Source s : sources) {
            if (s instanceof Source.Url u) {
                readUrl(u, ctx, live, items);
            } else if (s instanceof Source.File f && Files.isDirectory(f.path())) {
                readDirectory(f.path(), ctx.limits(), binary, items);
            } else {
                Item it = item(Inputs.read(s, ctx.limits()), binary);
                if (it.kind() == null) {
                    throw new BadInputException(it.name + ": " + it.entry.detail());
                }
                items.add(it);
            }
        }
        return assemble(items);
    }

    private static void readDirectory(Path dir, ReadLimits limits, Path binary, List<Item> items) {
        List<Path> files;
        try (Stream<Path> w = Files.walk(dir)) {
            files = w.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString,
                    DiagnoseInputs::natural)).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(dir + ": cannot list the directory: " + e.getMessage());
        }
        for (Path f : files) {
            String name = f.toString();
            try {
                Item it = item(Inputs.read(new Source.File(f), limits), binary);
                if (it.kind() == null) {
                    it.note = "skipped: " + it.entry.detail();
                }
                items.add(it);
            } catch (BadInputException e) {
                String m = e.getMessage();
                items.add(new Item(name, null, "skipped: " + (m.startsWith(name + ": ")
                        ? m.substring(name.length() + 2) : m)));
            }
        }
    }

    private static Item item(Input in, Path binary) {
        return new Item(in.name(), entry(in, binary), null);
    }

    // ---- what each input is to diagnosis

    /** The one mapping from what {@link Inputs} read to what diagnosis reads. */
    private static Entry entry(Input in, Path binary) {
        return switch (in) {
            case Input.Profile p -> profile(p);
            case Input.Goroutines g -> {
                GoroutineDump d = g.dump();
                String f = d.format();
                yield new Entry(Kind.GOROUTINES, d, f + ", " + d.total() + " goroutines", g.timeNanos(),
                        f.contains("dump") ? 3 : f.contains("profile") ? 2 : 1);
            }
            case Input.GcTraceLog t -> new Entry(Kind.GCTRACE, t.trace(), "gctrace, " + t.trace().cycles().size()
                    + " gc cycles", 0, 0);
            case Input.Expvar v -> {
                ExpvarSnapshot s = v.vars();
                yield s.memstats() == null ? new Entry(Kind.MEMSTATS, s, "expvar without memstats", 0, 0)
                        : new Entry(Kind.MEMSTATS, s, "expvar memstats, NumGC " + s.memstats().numGC(),
                        s.memstats().lastGC(), 0);
            }
            case Input.Prometheus m -> new Entry(Kind.METRICS, m.metrics(), "Prometheus text, "
                    + m.metrics().families().size() + " families", 0, 0);
            case Input.Benchmarks b -> Entry.notRead(in.kind().description() + ", which diagnose does not read");
            case Input.Load l -> Entry.notRead(in.kind().description() + ", which diagnose does not read");
            case Input.Metrics m -> Entry.notRead(in.kind().description() + ", which diagnose does not read");
            case Input.Trace t -> trace(t);
            case Input.CompilerLog c -> new Entry(Kind.COMPILER, c.diagnostics(), "Go compiler diagnostics, "
                    + c.diagnostics().escapes().size() + " escapes", 0, 0);
            case Input.HeapDump d -> heapDump(d, binary);
            case Input.Unrecognised u -> Entry.notRead(u.reason());
        };
    }

    /** A heap dump, read with the binary that wrote it into what each root retains. */
    private static Entry heapDump(Input.HeapDump d, Path binary) {
        if (binary == null) {
            return Entry.notRead("a Go heap dump: diagnose reads it with --binary BIN, the executable that wrote it"
                    + " (its symbols name the dump's global roots)");
        }
        RetentionReport r = RetentionPipeline.run(d.source(), binary);
        return new Entry(Kind.RETENTION, r, "heap dump of " + r.info().goVersion() + ", "
                + Units.bytes(r.heapBytes()) + " in " + r.objects() + " objects", 0, 0);
    }

    /** A trace, analysed in one streamed pass (a file is never in memory whole). */
    private static Entry trace(Input.Trace t) {
        TraceAnalyzer analyzer = new TraceAnalyzer(t.name());
        TraceSummary summary = TraceSources.read(t.source(), t.limits(), analyzer::accept);
        TraceAnalysis a = analyzer.finish(summary.minor(), summary.warning());
        return new Entry(Kind.TRACE, a, "trace, " + Units.time(a.overview().durationNanos())
                + summary.warning().map(w -> " (" + w + ")").orElse(""), 0, 0);
    }

    private static Entry profile(Input.Profile in) {
        Profile p = in.profile();
        String sampleTypes = String.join(", ", p.sampleTypes().stream().map(ValueType::type).toList());
        Kind kind = switch (in.profileKind()) {
            case CPU -> Kind.CPU_PROFILE;
            case HEAP -> Kind.HEAP_PROFILE;
            case ALLOCS -> Kind.ALLOCS_PROFILE;
            case BLOCK -> Kind.BLOCK_PROFILE;
            case MUTEX -> Kind.MUTEX_PROFILE;
            case THREADCREATE -> Kind.THREADCREATE_PROFILE;
            case GOROUTINE, OTHER -> null;
        };
        if (kind == null) {
            // top reads any profile; diagnosis needs to know what it measures
            return Entry.notRead("a profile of " + sampleTypes + ", which diagnose does not read: its rules need"
                    + " to know what a profile measures (CPU, heap, allocs, block, mutex, goroutines), and these"
                    + " sample types do not say (folded stacks carry none); godiag top reads it");
        }
        if (in.text() && kind != Kind.CPU_PROFILE && kind != Kind.THREADCREATE_PROFILE) {
            p = withCommentSymbols(in.name(), p);
        }
        return new Entry(kind, p, (in.text() ? "debug=1 text" : "profile.proto") + ": " + sampleTypes,
                p.timeNanos(), in.text() ? 1 : 2);
    }

    /**
     * A debug=1 text profile read from a file with the function names and lines Go wrote in its
     * comment lines (pprof shows its frames as addresses), so that it gives the findings of its proto
     * form; as it is when it is no plain file (standard input, a URL, gzip) or cannot be read again.
     */
    private static Profile withCommentSymbols(String name, Profile p) {
        Path file;
        try {
            file = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            return p;
        }
        if (!Files.isRegularFile(file) || name.endsWith(".gz")) {
            return p;
        }
        try (var text = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                java.nio.charset.StandardCharsets.UTF_8))) {
            return CommentSymbols.apply(p, CommentSymbols.read(text));
        } catch (IOException | RuntimeException e) {
            return p;
        }
    }

    /** Hands one used input to the diagnosis input. */
    private static void add(DiagnosisInput in, Item i) {
        switch (i.entry.data()) {
            case Profile p -> in.addProfile(i.name, i.kind(), p);
            case GoroutineDump d -> in.addGoroutines(d);
            case GcTrace t -> in.addGcTrace(t);
            case ExpvarSnapshot v -> in.addMemStats(v);
            case PromMetrics m -> in.addMetrics(m);
            case TraceAnalysis a -> in.add(Kind.TRACE, i.name, a);
            case CompilerDiagnostics d -> in.add(Kind.COMPILER, i.name, d);
            case RetentionReport r -> in.add(Kind.RETENTION, i.name, r);
            default -> throw new IllegalStateException("unexpected input " + i.entry.data());
        }
    }

    // ---- URLs

    private static void readUrl(Source.Url src, EngineContext ctx, DiagnoseRequest.Live live, List<Item> items) {
        String url = src.url();
        InputSource.FetchOptions fetch = src.fetch();
        String u = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        String path = u.contains("?") ? u.substring(0, u.indexOf('?')) : u;
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.endsWith("/debug/pprof")) {
            String base = trimmed + "/";
            String root = trimmed.substring(0, trimmed.length() - "/debug/pprof".length());
            for (String e : PPROF_ENDPOINTS) {
                items.add(fetchOne(base + e, fetch, ctx, false));
            }
            if (live.cpu()) {
                InputSource.FetchOptions timed = new InputSource.FetchOptions(live.seconds(), fetch.timeoutSeconds());
                // an execution trace of the same seconds, taken while the CPU profile is: the run takes no
                // longer, the tracer costs the service a few percent for those seconds, and what is read is
                // capped (LIVE_TRACE_MAX); the trace is streamed through the analyses as any other
                FutureTask<Item> trace = new FutureTask<>(() -> liveTrace(base + "trace?seconds=" + live.seconds(),
                        timed, ctx));
                Thread.ofVirtual().name("godiag-live-trace").start(trace);
                try {
                    items.add(fetchOne(base + "profile?seconds=" + live.seconds(), timed, ctx, false));
                } catch (RuntimeException e) {
                    trace.cancel(true);
                    throw e;
                }
                items.add(joined(trace));
            }
            Item vars = fetchOne(root + "/debug/vars", fetch, ctx, true);
            if (vars != null) {
                items.add(vars);
            }
            Item metrics = fetchOne(root + "/metrics", fetch, ctx, true);
            if (metrics != null) {
                items.add(metrics);
            }
            return;
        }
        items.add(fetchOne(url, fetch, ctx, false));
    }

    /**
     * A live service's trace: used when it reads, else a row that says why not (too large, the format
     * of Go before 1.22, no such endpoint); never fails the run, as the profiles still tell most.
     */
    private static Item liveTrace(String url, InputSource.FetchOptions fetch, EngineContext ctx) {
        ReadLimits limits = new ReadLimits(ctx.limits().maxInflate(), Math.min(ctx.limits().maxInput(), LIVE_TRACE_MAX));
        try {
            Item it = item(Inputs.read(new Source.Url(url, fetch), limits), null);
            return it.kind() == Kind.TRACE ? it : new Item(url, null, "skipped: not an execution trace ("
                    + it.entry.detail() + ")");
        } catch (BadInputException e) {
            String m = e.getMessage();
            return new Item(url, null, "skipped: " + (m.startsWith(url + ": ") ? m.substring(url.length() + 2) : m));
        }
    }

    private static Item joined(FutureTask<Item> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new BadInputException("interrupted while the live trace was taken");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Fetches one endpoint (a goroutine endpoint as its full dump, stamped with the time of the
     * fetch); optional ones that fail or hold no input are left out (null), others fail the run.
     */
    private static Item fetchOne(String url, InputSource.FetchOptions fetch, EngineContext ctx, boolean optional) {
        String endpoint = baseName(url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
        boolean goroutines = endpoint.startsWith("goroutine");
        Item it;
        try {
            Source.Url u = new Source.Url(url, fetch);
            it = item(Inputs.read(goroutines ? GoroutineSources.dumpSource(u, ctx.limits()) : u, ctx.limits()), null);
        } catch (BadInputException e) {
            if (optional) {
                return null;
            }
            throw e;
        }
        if (it.kind() == null) {
            if (optional) {
                return null;
            }
            throw new BadInputException(url + ": " + it.entry.detail());
        }
        if (goroutines && it.kind() == Kind.GOROUTINES) {
            Entry e = it.entry;
            it = new Item(it.name, new Entry(e.kind(), e.data(), e.detail(), ctx.clock().millis() * 1_000_000L,
                    e.rank()), null);
        }
        return it;
    }

    // ---- series

    /**
     * Keeps one form of each snapshot (the richest), one goroutine series (full dumps or profiles
     * before goroutineleak ones), and orders each kind's series by time or natural name.
     */
    private static Result assemble(List<Item> items) {
        Map<String, Item> best = new LinkedHashMap<>();
        for (Item it : items) {
            if (it.kind() == null) {
                continue;
            }
            String key = it.kind() + "|" + snapshotKey(it.name);
            Item prev = best.get(key);
            if (prev == null || it.entry.rank() > prev.entry.rank()) {
                if (prev != null) {
                    prev.note = "not used: the same snapshot as " + it.name;
                }
                best.put(key, it);
            } else {
                it.note = "not used: the same snapshot as " + prev.name;
            }
        }
        // goroutines: one series; prefer the full picture (goroutine) over the leak-only profile
        List<Item> gor = best.values().stream().filter(i -> i.kind() == Kind.GOROUTINES).toList();
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
            List<Item> series = new ArrayList<>(best.values().stream().filter(i -> i.kind() == k && i.note == null)
                    .toList());
            series.sort(Comparator.comparing((Item i) -> i.name, DiagnoseInputs::natural));
            if (series.stream().allMatch(i -> i.entry.time() > 0)) {
                series.sort(Comparator.comparingLong(i -> i.entry.time())); // stable: ties keep name order
            }
            for (Item i : series) {
                add(in, i);
            }
        }
        Map<String, Integer> order = new HashMap<>();
        Map<Kind, Integer> next = new EnumMap<>(Kind.class);
        for (DiagnosisInput.Source src : in.sources()) {
            int n = next.merge(src.kind(), 1, Integer::sum) - 1;
            order.putIfAbsent(src.kind() + "|" + src.name(), n);
        }
        List<DiagnosisRenderers.InputRow> rows = new ArrayList<>();
        for (Item it : items) {
            Integer pos = it.kind() == null || it.note != null ? null : order.get(it.kind() + "|" + it.name);
            rows.add(new DiagnosisRenderers.InputRow(it.name, it.kind() == null ? "skipped" : it.kind().id(),
                    it.kind() == null ? "" : it.entry.detail(), it.note, pos == null ? -1 : pos));
        }
        return new Result(in, rows);
    }

    private static boolean isLeakOnly(Item i) {
        return i.entry.data() instanceof GoroutineDump d && d.format().contains("goroutineleak");
    }

    /** The name without directory and format suffixes: goroutine.t0.debug2.txt and goroutine.t0.pprof: goroutine.t0. */
    public static String snapshotKey(String name) {
        String b = baseName(name);
        String s = FORMAT_TOKENS.matcher(b).replaceAll("");
        return s.isEmpty() ? b : s;
    }

    private static String baseName(String s) {
        String n = s.replace('\\', '/');
        if (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** Natural order: digit runs compare as numbers (t2 before t10). */
    public static int natural(String a, String b) {
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
}
