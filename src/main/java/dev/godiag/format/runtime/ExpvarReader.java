package dev.godiag.format.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.godiag.util.BadInputException;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.MemStats;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an expvar {@code /debug/vars} document (streamed with jackson-core): {@code cmdline},
 * {@code memstats} (runtime.MemStats: every field, the PauseNs and PauseEnd ring buffers and
 * BySize) and every other variable kept as raw JSON. Unknown memstats fields are ignored; a
 * number beyond a long is clamped (Go's uint64 counters); a value of the wrong kind is a
 * {@link BadInputException}.
 */
public final class ExpvarReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build();

    private ExpvarReader() {
    }

    public static ExpvarSnapshot read(InputStream in, String source) {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadInputException("not expvar JSON: the document is not an object");
            }
            List<String> cmdline = new ArrayList<>();
            MemStats mem = null;
            Map<String, String> others = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("cmdline") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        cmdline.add(p.getValueAsString(p.getText()));
                    }
                } else if (name.equals("memstats") && t == JsonToken.START_OBJECT) {
                    mem = memstats(p);
                } else {
                    StringWriter w = new StringWriter();
                    try (JsonGenerator g = JSON.createGenerator(w)) {
                        g.copyCurrentStructure(p);
                    }
                    others.put(name, w.toString());
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new BadInputException("not expvar JSON: unexpected " + p.currentToken());
            }
            return new ExpvarSnapshot(source, cmdline, mem, others);
        } catch (JsonProcessingException e) {
            throw new BadInputException("not valid expvar JSON: " + BadInputException.oneLine(e.getOriginalMessage())
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new BadInputException("cannot read: " + e.getMessage());
        }
    }

    private static MemStats memstats(JsonParser p) throws IOException {
        Map<String, Long> n = new HashMap<>();
        long[] pauseNs = new long[256];
        long[] pauseEnd = new long[256];
        double frac = Double.NaN;
        boolean enable = false;
        boolean debug = false;
        List<MemStats.SizeClass> bySize = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "PauseNs" -> pauseNs = longs(p, f);
                case "PauseEnd" -> pauseEnd = longs(p, f);
                case "GCCPUFraction" -> {
                    expectNumber(p, f);
                    frac = p.getDoubleValue();
                }
                case "EnableGC" -> enable = t == JsonToken.VALUE_TRUE;
                case "DebugGC" -> debug = t == JsonToken.VALUE_TRUE;
                case "BySize" -> {
                    if (t != JsonToken.START_ARRAY) {
                        throw new BadInputException("memstats.BySize is not an array");
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        long size = -1;
                        long mallocs = -1;
                        long frees = -1;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            p.nextToken();
                            switch (k) {
                                case "Size" -> size = number(p, "BySize.Size");
                                case "Mallocs" -> mallocs = number(p, "BySize.Mallocs");
                                case "Frees" -> frees = number(p, "BySize.Frees");
                                default -> p.skipChildren();
                            }
                        }
                        bySize.add(new MemStats.SizeClass(size, mallocs, frees));
                    }
                }
                default -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        n.put(f, number(p, f));
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        return new MemStats(g(n, "Alloc"), g(n, "TotalAlloc"), g(n, "Sys"), g(n, "Lookups"), g(n, "Mallocs"),
                g(n, "Frees"), g(n, "HeapAlloc"), g(n, "HeapSys"), g(n, "HeapIdle"), g(n, "HeapInuse"),
                g(n, "HeapReleased"), g(n, "HeapObjects"), g(n, "StackInuse"), g(n, "StackSys"), g(n, "MSpanInuse"),
                g(n, "MSpanSys"), g(n, "MCacheInuse"), g(n, "MCacheSys"), g(n, "BuckHashSys"), g(n, "GCSys"),
                g(n, "OtherSys"), g(n, "NextGC"), g(n, "LastGC"), g(n, "PauseTotalNs"), pauseNs, pauseEnd,
                g(n, "NumGC"), g(n, "NumForcedGC"), frac, enable, debug, bySize);
    }

    private static long g(Map<String, Long> n, String k) {
        Long v = n.get(k);
        return v == null ? -1 : v;
    }

    private static long[] longs(JsonParser p, String f) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadInputException("memstats." + f + " is not an array");
        }
        long[] out = new long[256];
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long v = number(p, f);
            if (i == out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            out[i++] = v;
        }
        return i == 256 ? out : java.util.Arrays.copyOf(out, i);
    }

    private static void expectNumber(JsonParser p, String f) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new BadInputException("memstats." + f + " is not a number");
        }
    }

    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static long number(JsonParser p, String f) throws IOException {
        expectNumber(p, f);
        if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return d >= 9.2e18 ? Long.MAX_VALUE : d <= -9.2e18 ? Long.MIN_VALUE : (long) d;
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            BigInteger b = p.getBigIntegerValue();
            return b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return p.getLongValue();
    }
}
