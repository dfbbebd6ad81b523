package dev.godiag.format;

import dev.godiag.format.compiler.CompilerLogReader;
import dev.godiag.format.heapdump.HeapDumpReader;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.format.folded.FoldedProfileReader;
import dev.godiag.format.goroutine.GoroutineCountReader;
import dev.godiag.format.goroutine.GoroutineDumpReader;
import dev.godiag.format.goroutine.GoroutineProfiles;
import dev.godiag.format.load.LoadReader;
import dev.godiag.format.runtime.ExpvarReader;
import dev.godiag.format.runtime.GcTraceReader;
import dev.godiag.format.runtime.PrometheusTextReader;
import dev.godiag.format.speedscope.SpeedscopeProfileReader;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.PromMetrics;
import dev.godiag.util.BadInputException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The one place where godiag tells inputs apart: {@link #detect} names the kind of an input from its
 * first {@link #SNIFF} bytes (gzip is looked through), and {@link #read} reads a source once, with
 * the reader of that kind, into an {@link Input}. The content decides, never the name; the name
 * only breaks the ties the content of a profile leaves ({@link ProfileKind}).
 *
 * <p>Large text inputs (goroutine dumps, logs, /debug/vars, /metrics) are streamed from files;
 * everything else, and every source that is not a file, is read whole first, within the
 * {@link ReadLimits}. Errors are one {@link BadInputException} line starting with the source's name;
 * an input that is none of the kinds is not an error but an {@link Input.Unrecognised} that says
 * what it looked like.
 */
public final class Inputs {
    /** How much of an input decides its kind (64 KiB: benchmark results may follow a long preamble). */
    public static final int SNIFF = 64 * 1024;
    /** Text profiles, binary ones and the like have a control byte within their first KiB. */
    private static final int BINARY_PROBE = 1024;

    private static final Pattern LEGACY_PROFILE_HEADER = Pattern.compile(
            "heap profile:|--- mutex:|--- contention:|--- contentionz |--- threadz |--- Thread |\\S+ profile: total \\d");
    private static final Pattern BENCH_LINE = Pattern.compile("(?m)^Benchmark\\S*\\s+\\d+\\s+\\S+\\s+\\S+");
    private static final Pattern DUMP_LINE = Pattern.compile("(?m)^goroutine \\d+ (gp=\\S+ m=\\S+ (mp=\\S+ )?)?\\[");
    private static final Pattern PROMETHEUS_SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})?[ \\t]+[-+]?([0-9.eE+-]+|NaN|Inf)([ \\t]+-?\\d+)?[ \\t]*");

    private Inputs() {
    }

    /**
     * What a caller that reads one family of inputs takes: the kinds it reads, and the kind that any
     * other input is read as (so that reader's message says what is missing, as "no goroutine
     * found" or "no gctrace lines" do). Inputs identified as something else entirely (an execution
     * trace, a zip archive, UTF-16 text) stay {@link Input.Unrecognised}, saying what they are.
     */
    public enum Expect {
        /** Every kind, as it is. */
        ANY(EnumSet.allOf(InputKind.class), InputKind.UNRECOGNISED),
        /** goroutines in any form; profiles (goroutine profiles among them) as profiles. */
        GOROUTINES(EnumSet.of(InputKind.PROFILE, InputKind.GOROUTINES), InputKind.GOROUTINES),
        /** gctrace logs, /debug/vars and /metrics. */
        RUNTIME(EnumSet.of(InputKind.GCTRACE, InputKind.EXPVAR, InputKind.PROMETHEUS), InputKind.GCTRACE);

        private final Set<InputKind> kinds;
        private final InputKind otherwise;

        Expect(Set<InputKind> kinds, InputKind otherwise) {
            this.kinds = kinds;
            this.otherwise = otherwise;
        }
    }

    // ---- detection

    /**
     * The kind of an input from its first bytes (at most {@link #SNIFF} are looked at). Pure: no
     * I/O, no exception, bounded work. gzip data is judged by what it inflates to.
     */
    public static InputKind detect(byte[] head) {
        return sniff(head).kind;
    }

    /** The kind, and the head it was judged on (inflated when gzipped). */
    private record Sniffed(InputKind kind, byte[] plainHead) {
    }

    private static Sniffed sniff(byte[] head) {
        boolean cut = head.length >= SNIFF;
        byte[] b = cut && head.length > SNIFF ? Arrays.copyOf(head, SNIFF) : head;
        if (Gzip.isGzip(b)) {
            Inflated in = inflateHead(b);
            if (in == null || in.data.length == 0 || Gzip.isGzip(in.data)) {
                // corrupt, empty or compressed twice: the profile reader says which
                return new Sniffed(InputKind.PROFILE, b);
            }
            return new Sniffed(plainKind(in.data, in.cut), in.data);
        }
        return new Sniffed(plainKind(b, cut), b);
    }

    /** The kind of data that is not gzip; {@code cut}: the input may go on past these bytes. */
    private static InputKind plainKind(byte[] b, boolean cut) {
        if (HeapDumpReader.looksLike(b)) {
            return InputKind.HEAP_DUMP;
        }
        if (ProfileReader.traceMinor(b) >= 0) {
            return InputKind.TRACE;
        }
        if (b.length == 0 || ProfileReader.otherFormat(b) != null) {
            return InputKind.UNRECOGNISED;
        }
        if (binary(b)) {
            return InputKind.PROFILE;
        }
        String text = new String(b, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String t = text.stripLeading();
        if (CompilerLogReader.looksLike(b)) {
            return InputKind.COMPILER_LOG;
        }
        if (t.startsWith("{")) {
            return jsonKind(t, b);
        }
        if (GoroutineCountReader.sniff(t)) {
            return InputKind.GOROUTINES;
        }
        if (LEGACY_PROFILE_HEADER.matcher(t).lookingAt()) {
            return InputKind.PROFILE;
        }
        if (BENCH_LINE.matcher(text).find()) {
            return InputKind.BENCHMARKS;
        }
        if (DUMP_LINE.matcher(text).find()) {
            return InputKind.GOROUTINES;
        }
        if (LoadReader.recognize(text) != null) {
            return InputKind.LOAD_SUMMARY;
        }
        if (prometheus(text, cut)) {
            return InputKind.PROMETHEUS;
        }
        if (runtimeLines(b)) {
            return InputKind.GCTRACE;
        }
        if (FoldedProfileReader.looksFolded(b)) {
            return InputKind.PROFILE;
        }
        // a long log may hold the runtime's lines further on: reading it tells
        return cut ? InputKind.GCTRACE : InputKind.UNRECOGNISED;
    }

    /**
     * A JSON object: /debug/vars has cmdline and memstats at its top, derived metrics a "metrics"
     * array, speedscope its schema, vegeta's report "latencies"; any other object is read as
     * /debug/vars (a service's own variables).
     */
    private static InputKind jsonKind(String t, byte[] b) {
        Map<String, Character> keys = topLevelKeys(t);
        if (keys.containsKey("memstats") || keys.containsKey("cmdline")) {
            return InputKind.EXPVAR;
        }
        if (Character.valueOf('[').equals(keys.get("metrics"))) {
            return InputKind.METRICS_JSON;
        }
        if (SpeedscopeProfileReader.looksLikeSpeedscope(b)) {
            return InputKind.PROFILE;
        }
        if (keys.containsKey("latencies")) {
            return InputKind.LOAD_SUMMARY;
        }
        return InputKind.EXPVAR;
    }

    /** The keys of the top-level object (as far as the text goes) and the first character of each value. */
    private static Map<String, Character> topLevelKeys(String t) {
        Map<String, Character> keys = new HashMap<>();
        int depth = 0;
        String lastString = null;
        int i = 0;
        int n = t.length();
        while (i < n) {
            char c = t.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (end < n && t.charAt(end) != '"') {
                    end += t.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= n) {
                    break; // cut inside a string
                }
                lastString = depth == 1 ? t.substring(i + 1, end) : null;
                i = end + 1;
                continue;
            }
            if (c == ':' && lastString != null) {
                int v = i + 1;
                while (v < n && Character.isWhitespace(t.charAt(v))) {
                    v++;
                }
                if (v < n) {
                    keys.putIfAbsent(lastString, t.charAt(v));
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth <= 0) {
                    break;
                }
            }
            if (!Character.isWhitespace(c)) {
                lastString = null;
            }
            i++;
        }
        return keys;
    }

    /**
     * The Prometheus text exposition: a {@code # HELP} or {@code # TYPE} line before any line that
     * is not a sample or a comment, or only samples (and comments).
     */
    private static boolean prometheus(String text, boolean cut) {
        String[] lines = text.split("\r?\n", -1);
        int samples = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (i == lines.length - 1 && cut) {
                break; // possibly cut
            }
            if (l.startsWith("# HELP ") || l.startsWith("# TYPE ")) {
                return true;
            }
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            if (!PROMETHEUS_SAMPLE.matcher(l).matches()) {
                return false;
            }
            samples++;
        }
        return samples > 0;
    }

    /** Whether the bytes hold a line the gctrace reader takes (a GC cycle, a scavenge, GC forced, SCHED). */
    private static boolean runtimeLines(byte[] b) {
        GcTrace t = GcTraceReader.read(new ByteArrayInputStream(b), "");
        return !t.cycles().isEmpty() || !t.scavenges().isEmpty() || !t.sched().isEmpty()
                || t.gcForcedLines().length > 0;
    }

    /** A control byte (other than tab, line ends, form feed and ESC) in the first KiB. */
    private static boolean binary(byte[] b) {
        int n = Math.min(b.length, BINARY_PROBE);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
                return true;
            }
        }
        return false;
    }

    private record Inflated(byte[] data, boolean cut) {
    }

    /**
     * Inflates the start of gzip data, up to {@link #SNIFF} bytes of output; null when the header or
     * the deflate data is broken.
     */
    private static Inflated inflateHead(byte[] gz) {
        int p = gzipHeaderEnd(gz);
        if (p < 0) {
            return null;
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(gz, p, gz.length - p);
            byte[] out = new byte[SNIFF];
            int n = 0;
            while (n < out.length && !inf.finished() && !inf.needsInput() && !inf.needsDictionary()) {
                int r = inf.inflate(out, n, out.length - n);
                if (r == 0 && !inf.finished() && !inf.needsInput()) {
                    break;
                }
                n += r;
            }
            boolean cut = !inf.finished() || inf.getRemaining() > 8; // more members may follow the first
            return new Inflated(Arrays.copyOf(out, n), cut);
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    /** Where the deflate data starts after a gzip member header (RFC 1952), or -1. */
    private static int gzipHeaderEnd(byte[] b) {
        if (b.length < 10 || (b[2] & 0xff) != 8) {
            return -1;
        }
        int flags = b[3] & 0xff;
        int p = 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (p + 2 > b.length) {
                return -1;
            }
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (p < b.length && b[p] != 0) {
                    p++;
                }
                p++;
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            p += 2;
        }
        return p < b.length ? p : -1;
    }

    /** What a heap dump is, where it is no input. */
    public static final String HEAP_DUMP_HINT = "a Go heap dump (runtime/debug.WriteHeapDump): use 'godiag retention"
            + " DUMP --binary BIN', or 'godiag diagnose DUMP --binary BIN' with the binary that wrote it";

    // ---- reading

    /** Reads a source as whatever it is. */
    public static Input read(Source source, ReadLimits limits) {
        return read(source, limits, Expect.ANY);
    }

    /** Reads a source, as {@code expect} says when it is of a kind the caller does not take. */
    public static Input read(Source source, ReadLimits limits, Expect expect) {
        String name = source.name();
        return StreamedSource.named(name, () -> {
            if (source instanceof Source.File f) {
                return StreamedSource.readFile(f.path(), SNIFF, (in, head) -> fromFile(f.path(), in, head, name,
                        limits, expect));
            }
            byte[] data = source.readAll(limits);
            if (data.length == 0) {
                throw new BadInputException(source instanceof Source.Url ? "empty response" : "empty input");
            }
            return fromBytes(data, name, limits, expect);
        });
    }

    private static Input fromFile(Path path, InputStream in, byte[] head, String name, ReadLimits limits,
                                  Expect expect) throws IOException {
        Sniffed s = sniff(head);
        InputKind kind = narrow(s, expect);
        if (kind == InputKind.TRACE) {
            // read no further: the taker streams the file (gzipped or not) with the trace reader
            return trace(s, new Source.File(path), name, limits);
        }
        if (kind == InputKind.HEAP_DUMP) {
            return new Input.HeapDump(name, new Source.File(path)); // read by whoever has its binary
        }
        if (Gzip.isGzip(head) || wholeRead(kind)) {
            return fromBytes(s, kind, rest(path, in, limits), name, limits);
        }
        return streamed(kind, in, s.plainHead, name);
    }

    private static Input fromBytes(byte[] data, String name, ReadLimits limits, Expect expect) {
        Sniffed s = sniff(data.length > SNIFF ? Arrays.copyOf(data, SNIFF) : data);
        return fromBytes(s, narrow(s, expect), data, name, limits);
    }

    private static Input fromBytes(Sniffed s, InputKind kind, byte[] data, String name, ReadLimits limits) {
        if (kind == InputKind.TRACE) {
            return trace(s, new Source.Bytes(name, data), name, limits);
        }
        if (kind == InputKind.PROFILE) {
            return profile(data, name, limits); // the profile reader inflates itself
        }
        byte[] plain = Gzip.isGzip(data) ? Gzip.gunzip(data, limits.maxInflate()) : data;
        if (kind == InputKind.HEAP_DUMP) {
            return new Input.HeapDump(name, new Source.Bytes(name, plain)); // inflated within the limits
        }
        if (wholeRead(kind)) {
            return whole(kind, plain, name);
        }
        return streamed(kind, new ByteArrayInputStream(plain), s.plainHead, name);
    }

    private static Input trace(Sniffed s, Source source, String name, ReadLimits limits) {
        return new Input.Trace(name, source, limits, ProfileReader.traceMinor(s.plainHead));
    }

    private static InputKind narrow(Sniffed s, Expect expect) {
        if ((s.kind == InputKind.TRACE || s.kind == InputKind.HEAP_DUMP) && !expect.kinds.contains(s.kind)) {
            return InputKind.UNRECOGNISED; // said as such: "an execution trace: use 'godiag trace' ..."
        }
        if (expect.kinds.contains(s.kind)
                || s.kind == InputKind.UNRECOGNISED && ProfileReader.otherFormat(s.plainHead) != null) {
            return s.kind;
        }
        return expect.otherwise;
    }

    /** The kinds read from memory whole (the others stream). */
    private static boolean wholeRead(InputKind kind) {
        return switch (kind) {
            case PROFILE, BENCHMARKS, LOAD_SUMMARY, METRICS_JSON, COMPILER_LOG -> true;
            case GOROUTINES, GCTRACE, EXPVAR, PROMETHEUS, TRACE, HEAP_DUMP, UNRECOGNISED -> false;
        };
    }

    private static Input whole(InputKind kind, byte[] data, String name) {
        return switch (kind) {
            case BENCHMARKS -> new Input.Benchmarks(name, BenchReader.read(name, utf8(data)));
            case LOAD_SUMMARY -> new Input.Load(name, LoadReader.read(name, utf8(data)));
            case METRICS_JSON -> new Input.Metrics(name, MetricsJsonReader.read(data));
            case COMPILER_LOG -> new Input.CompilerLog(name, CompilerLogReader.read(data));
            default -> throw new IllegalStateException(kind + " is not read whole");
        };
    }

    private static Input streamed(InputKind kind, InputStream in, byte[] head, String name) {
        return switch (kind) {
            case GOROUTINES -> new Input.Goroutines(name, goroutines(in, head, name), 0);
            case GCTRACE -> {
                GcTrace t = GcTraceReader.read(in, name);
                if (t.cycles().isEmpty() && t.scavenges().isEmpty() && t.sched().isEmpty()
                        && t.gcForcedLines().length == 0) {
                    // say what the input is (a text in no format godiag reads), then what was looked for
                    yield new Input.Unrecognised(name, unrecognised(head) + ": no gctrace or schedtrace lines"
                            + " (expected \"gc N @...\" lines of GODEBUG=gctrace=1, expvar JSON or Prometheus text)"
                            + (t.warnings().isEmpty() ? "" : "; " + t.warnings().get(0)));
                }
                yield new Input.GcTraceLog(name, t);
            }
            case EXPVAR -> new Input.Expvar(name, ExpvarReader.read(in, name));
            case PROMETHEUS -> {
                PromMetrics m = PrometheusTextReader.read(in, name);
                if (m.families().stream().allMatch(f -> f.samples().isEmpty())) {
                    throw new BadInputException("no Prometheus samples"
                            + (m.warnings().isEmpty() ? "" : " (" + m.warnings().get(0) + ")"));
                }
                yield new Input.Prometheus(name, m);
            }
            case UNRECOGNISED -> new Input.Unrecognised(name, unrecognised(head));
            default -> throw new IllegalStateException(kind + " is not streamed");
        };
    }

    private static GoroutineDump goroutines(InputStream in, byte[] head, String name) {
        return GoroutineCountReader.sniff(new String(head, StandardCharsets.UTF_8))
                ? GoroutineCountReader.read(in, name) : GoroutineDumpReader.read(in, name);
    }

    /** A profile, its kind told; goroutine profiles are goroutines. */
    private static Input profile(byte[] data, String name, ReadLimits limits) {
        dev.godiag.model.Profile p = ProfileLoader.withMapping(ProfileReader.read(data, limits.maxInflate()));
        ProfileKind k = ProfileKind.of(p, name);
        if (k == ProfileKind.GOROUTINE) {
            return new Input.Goroutines(name, GoroutineProfiles.fromProfile(p, name), p.timeNanos());
        }
        return new Input.Profile(name, p, k);
    }

    /** What an input of no known kind looks like, for the user. */
    private static String unrecognised(byte[] head) {
        if (ProfileReader.traceMinor(head) >= 0) {
            return ProfileReader.TRACE_HINT;
        }
        if (HeapDumpReader.looksLike(head)) {
            return HEAP_DUMP_HINT;
        }
        String other = ProfileReader.otherFormat(head);
        if (other != null) {
            return "not a profile: " + other;
        }
        int start = 0;
        while (start < head.length && Character.isWhitespace(head[start])) {
            start++;
        }
        return "text in no format godiag reads (first line: "
                + ProfileReader.firstLine(Arrays.copyOfRange(head, start, head.length)) + ")";
    }

    /** The rest of a file from its start: exactly its size when it has one, else up to the input limit. */
    private static byte[] rest(Path path, InputStream in, ReadLimits limits) throws IOException {
        long max = Math.min(limits.maxInput(), Integer.MAX_VALUE - 16);
        long size = Files.isRegularFile(path) ? Files.size(path) : -1;
        if (size > max) {
            throw new BadInputException("file of " + size + " bytes is larger than godiag reads ("
                    + describeLimit(max) + ")");
        }
        if (size >= 0) {
            byte[] b = new byte[(int) size];
            int n = in.readNBytes(b, 0, b.length);
            return n == b.length ? b : Arrays.copyOf(b, n);
        }
        byte[] b = in.readNBytes((int) max);
        if (in.read() >= 0) {
            throw new BadInputException("input larger than godiag reads (" + describeLimit(max) + ")");
        }
        return b;
    }

    private static String describeLimit(long max) {
        return max >= Integer.MAX_VALUE - 16 ? "2 GiB" : Gzip.describeSize(max);
    }

    private static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * The part of a source's name that may say what it is: the last path element, lower case,
     * without a URL's query ("heap" of http://host/debug/pprof/heap?gc=1).
     */
    static String nameHint(String name) {
        if (name == null) {
            return "";
        }
        String n = name;
        if (InputSource.isUrl(n)) {
            int q = n.indexOf('?');
            n = q >= 0 ? n.substring(0, q) : n;
            int h = n.indexOf('#');
            n = h >= 0 ? n.substring(0, h) : n;
        }
        n = n.replace('\\', '/');
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.substring(n.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
