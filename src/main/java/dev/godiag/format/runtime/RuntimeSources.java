package dev.godiag.format.runtime;

import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.StreamedSource;
import dev.godiag.model.GcTrace;
import dev.godiag.model.RuntimeInput;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Loads one runtime-statistics source: a file, {@code -} or an http(s) URL. The content decides
 * the reader, never the name: a JSON object is expvar ({@code /debug/vars}), text with
 * {@code # HELP}/{@code # TYPE} lines or only Prometheus sample lines at its head is the
 * Prometheus exposition ({@code /metrics}), anything else a log read for gctrace/schedtrace
 * lines. Gzipped input is un-gzipped (up to the inflate limit). Files are streamed; standard input
 * and URL responses are read whole first. A log with none of the traced lines is an error, as is
 * an exposition without samples. Errors are one {@link BadInputException} line starting with the
 * source's name.
 */
public final class RuntimeSources {
    private static final int SNIFF = 4096;

    private RuntimeSources() {
    }

    public static RuntimeInput load(String source, InputSource.FetchOptions fetch, long inflateLimit) {
        String name = ProfileLoader.displayName(source);
        return StreamedSource.named(name, () -> {
            if (source.equals("-") || InputSource.isUrl(source)) {
                byte[] data = InputSource.readAll(source, fetch, ReadLimits.ofMaxInflate(inflateLimit));
                if (data.length == 0) {
                    throw new BadInputException(InputSource.isUrl(source) ? "empty response" : "empty input");
                }
                return fromBytes(data, name, inflateLimit);
            }
            return StreamedSource.readFile(source, SNIFF, (in, head) -> Gzip.isGzip(head)
                    ? fromBytes(InputSource.readAll(source, fetch, ReadLimits.ofMaxInflate(inflateLimit)), name, inflateLimit) : fromStream(in, head, name));
        });
    }

    /** Reads bytes already in memory; errors are not prefixed with the name. */
    public static RuntimeInput fromBytes(byte[] data, String name, long inflateLimit) {
        byte[] plain = Gzip.isGzip(data) ? Gzip.gunzip(data, inflateLimit) : data;
        return fromStream(new ByteArrayInputStream(plain), java.util.Arrays.copyOf(plain, Math.min(plain.length, SNIFF)),
                name);
    }

    /** The kind of text at the head of an input. */
    enum Kind { EXPVAR, PROMETHEUS, TRACE }

    static Kind sniff(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        String t = text.stripLeading();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1).stripLeading();
        }
        if (t.startsWith("{")) {
            return Kind.EXPVAR;
        }
        String[] lines = text.split("\r?\n", -1);
        int samples = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (i == lines.length - 1 && head.length == SNIFF) {
                break; // possibly cut
            }
            if (l.startsWith("# HELP ") || l.startsWith("# TYPE ")) {
                return Kind.PROMETHEUS;
            }
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            if (!SAMPLE.matcher(l).matches()) {
                return Kind.TRACE;
            }
            samples++;
        }
        return samples > 0 ? Kind.PROMETHEUS : Kind.TRACE;
    }

    private static final java.util.regex.Pattern SAMPLE = java.util.regex.Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})?[ \\t]+[-+]?([0-9.eE+-]+|NaN|Inf)([ \\t]+-?\\d+)?[ \\t]*");

    private static RuntimeInput fromStream(InputStream in, byte[] head, String name) {
        switch (sniff(head)) {
            case EXPVAR:
                return ExpvarReader.read(in, name);
            case PROMETHEUS: {
                var m = PrometheusTextReader.read(in, name);
                if (m.families().stream().allMatch(f -> f.samples().isEmpty())) {
                    throw new BadInputException("no Prometheus samples"
                            + (m.warnings().isEmpty() ? "" : " (" + m.warnings().get(0) + ")"));
                }
                return m;
            }
            default: {
                GcTrace t = GcTraceReader.read(in, name);
                if (t.cycles().isEmpty() && t.scavenges().isEmpty() && t.sched().isEmpty()
                        && t.gcForcedLines().length == 0) {
                    throw new BadInputException("no gctrace or schedtrace lines (expected \"gc N @...\" lines of"
                            + " GODEBUG=gctrace=1, expvar JSON or Prometheus text)"
                            + (t.warnings().isEmpty() ? "" : "; " + t.warnings().get(0)));
                }
                return t;
            }
        }
    }
}
