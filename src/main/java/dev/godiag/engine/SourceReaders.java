package dev.godiag.engine;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.StreamedSource;
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
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The engine's pipelines read their {@link Source}s here: files through the streaming readers
 * (a large dump or log is never held whole), everything else (standard input, URLs, bytes) read
 * once and then read from memory. {@link #detect} tells an input apart by content as diagnose does
 * (DiagnoseInputs.detectFile, whose rules it follows) for the pipelines that take inputs of
 * several kinds (memory, baseline, gate); it gives way to format's recognizer once that reads
 * sources.
 */
final class SourceReaders {
    private static final int SNIFF = 4096;
    private static final Pattern DUMP_LINE = Pattern.compile("(?m)^goroutine \\d+ (gp=\\S+ m=\\S+ (mp=\\S+ )?)?\\[");

    private SourceReaders() {
    }

    /** One input told apart: its kind, the data read (Profile, GoroutineDump or a RuntimeInput) and a description. */
    record Detected(String name, Kind kind, Object data, String detail) {
    }

    /** Goroutine snapshots of any form (see GoroutineSources); errors name the source. */
    static GoroutineDump goroutines(Source s, ReadLimits limits) {
        return switch (s) {
            case Source.File f -> GoroutineSources.load(f.path().toString(), InputSource.FetchOptions.DEFAULT,
                    limits.maxInflate());
            case Source.Url u -> GoroutineSources.load(u.url(), u.fetch(), limits.maxInflate());
            default -> StreamedSource.named(s.name(), () -> GoroutineSources.fromBytes(nonEmpty(s, limits), s.name(),
                    limits.maxInflate()));
        };
    }

    /** A gctrace log, /debug/vars JSON or Prometheus text (see RuntimeSources); errors name the source. */
    static RuntimeInput runtime(Source s, ReadLimits limits) {
        return switch (s) {
            case Source.File f -> RuntimeSources.load(f.path().toString(), InputSource.FetchOptions.DEFAULT,
                    limits.maxInflate());
            case Source.Url u -> RuntimeSources.load(u.url(), u.fetch(), limits.maxInflate());
            default -> StreamedSource.named(s.name(), () -> RuntimeSources.fromBytes(nonEmpty(s, limits), s.name(),
                    limits.maxInflate()));
        };
    }

    private static byte[] nonEmpty(Source s, ReadLimits limits) {
        byte[] data = s.readAll(limits);
        if (data.length == 0) {
            throw new BadInputException(empty(s));
        }
        return data;
    }

    private static String empty(Source s) {
        return s instanceof Source.Url ? "empty response" : s instanceof Source.Stdin ? "empty input" : "empty file";
    }

    // ---- detection by content

    /**
     * Reads one input by its content: a profile (binary or gzipped; or Go's debug=1 heap, mutex,
     * contention or threadcreate text), a goroutine snapshot, or a runtime log or snapshot. A
     * BadInputException naming the input when it is none of them.
     */
    static Detected detect(Source source, ReadLimits limits) {
        Source s = source;
        byte[] head;
        if (s instanceof Source.File f) {
            head = head(f);
        } else {
            byte[] data = StreamedSource.named(source.name(), () -> source.readAll(limits));
            if (data.length == 0) {
                throw new BadInputException(s.name() + ": " + empty(s));
            }
            s = new Source.Bytes(source.name(), data);
            head = Arrays.copyOf(data, Math.min(data.length, SNIFF));
        }
        if (head != null && head.length == 0) {
            throw new BadInputException(s.name() + ": empty file");
        }
        if (head == null || Gzip.isGzip(head) || binary(head)) {
            Profile p;
            try {
                p = ProfileLoader.load(s, limits);
            } catch (BadInputException e) {
                if (head != null && Gzip.isGzip(head)) {
                    return text(s, limits, null); // a gzipped dump or log
                }
                throw e;
            }
            return profile(s.name(), p);
        }
        return text(s, limits, new String(head, StandardCharsets.UTF_8));
    }

    private static Detected text(Source s, ReadLimits limits, String head) {
        if (head != null && (head.startsWith("heap profile:") || head.startsWith("--- mutex:")
                || head.startsWith("--- contention:") || head.startsWith("threadcreate profile:"))) {
            return profile(s.name(), ProfileLoader.load(s, limits));
        }
        if (head == null || head.startsWith("goroutine profile:") || head.startsWith("goroutineleak profile:")
                || DUMP_LINE.matcher(head).find()) {
            try {
                return goroutines(s.name(), goroutines(s, limits));
            } catch (BadInputException e) {
                if (head != null) {
                    throw e;
                }
            }
        }
        return runtime(s.name(), runtime(s, limits));
    }

    private static Detected goroutines(String name, GoroutineDump d) {
        return new Detected(name, Kind.GOROUTINES, d, d.format() + ", " + d.total() + " goroutines");
    }

    private static Detected runtime(String name, RuntimeInput in) {
        if (in instanceof GcTrace t) {
            return new Detected(name, Kind.GCTRACE, in, "gctrace, " + t.cycles().size() + " gc cycles");
        }
        if (in instanceof ExpvarSnapshot v) {
            return new Detected(name, Kind.MEMSTATS, in, v.memstats() == null ? "expvar without memstats"
                    : "expvar memstats, NumGC " + v.memstats().numGC());
        }
        if (in instanceof PromMetrics m) {
            return new Detected(name, Kind.METRICS, in, "Prometheus text, " + m.families().size() + " families");
        }
        throw new BadInputException(name + ": not an input diagnose reads");
    }

    /** Classifies a profile by its sample and period types; the name breaks heap/allocs and block/mutex ties. */
    private static Detected profile(String name, Profile p) {
        List<String> types = p.sampleTypes().stream().map(ValueType::type).toList();
        String base = baseName(name).toLowerCase(Locale.ROOT);
        String form = p.kind().endsWith("-text") ? "debug=1 text" : "profile.proto";
        if (types.contains("goroutine") || types.contains("goroutineleak")) {
            return goroutines(name, GoroutineProfiles.fromProfile(p, name));
        }
        Kind kind;
        String sampleTypes = String.join(", ", types);
        if (types.contains("cpu") || p.periodType().type().equals("cpu")) {
            kind = Kind.CPU_PROFILE;
        } else if (types.contains("inuse_space") || types.contains("alloc_space")) {
            boolean allocs = base.contains("alloc") || !base.contains("heap")
                    && (p.defaultSampleType().equals("alloc_space") || !types.contains("inuse_space"));
            kind = allocs ? Kind.ALLOCS_PROFILE : Kind.HEAP_PROFILE;
        } else if (types.contains("delay") || types.contains("contentions")) {
            kind = p.kind().equals("mutex-text") || base.contains("mutex") ? Kind.MUTEX_PROFILE
                    : p.kind().equals("block-text") || base.contains("block") ? Kind.BLOCK_PROFILE
                    : unlockLeaves(p) ? Kind.MUTEX_PROFILE : Kind.BLOCK_PROFILE;
        } else if (types.contains("threadcreate")) {
            kind = Kind.THREADCREATE_PROFILE;
        } else {
            throw new BadInputException(name + ": a profile of " + sampleTypes + ", which diagnose does not read");
        }
        return new Detected(name, kind, p, form + ": " + sampleTypes);
    }

    /**
     * Go's mutex profile records the stack of the unlock that ended the contention (its leaves
     * are Unlock and runtime.unlock); the block profile the stack that waited.
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

    private static String baseName(String s) {
        String n = s.replace('\\', '/');
        if (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** The first bytes of a file, null when it cannot be read (the reader then names the problem). */
    private static byte[] head(Source.File f) {
        try (InputStream in = Files.newInputStream(f.path())) {
            return in.readNBytes(SNIFF);
        } catch (IOException | RuntimeException e) {
            return null;
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
