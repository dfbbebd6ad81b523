package dev.godiag.format.trace;

import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads an old-format execution trace (Go 1.11-1.21) after its header: the whole trace at once, as
 * Go does (it has no generations), within limits, then {@link V1TraceParser} and
 * {@link V1TraceConverter}. A trace above the limits, or damaged anywhere (Go's reader then fails
 * too), throws one line.
 */
final class V1TraceReader {
    /** Bytes of an old trace godiag reads; Go holds them all in memory too. */
    static final int DEFAULT_MAX_BYTES = 64 << 20;
    /** Events of an old trace godiag reads (about 60 bytes each while they are ordered). */
    static final long DEFAULT_MAX_EVENTS = 4_000_000;
    /** Events per TraceGeneration handed over. */
    static final int DEFAULT_SLICE_EVENTS = 1 << 18;

    private final int maxBytes;
    private final long maxEvents;
    private final int sliceEvents;

    V1TraceReader(int maxBytes, long maxEvents, int sliceEvents) {
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
        this.sliceEvents = sliceEvents;
    }

    V1TraceReader() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_EVENTS, DEFAULT_SLICE_EVENTS);
    }

    /** Reads the rest of {@code in}, the bytes after the header of a Go 1.{@code minor} trace. */
    TraceSummary read(InputStream in, int minor, Consumer<TraceGeneration> sink) throws IOException {
        byte[] data = in.readNBytes(maxBytes);
        if (data.length == maxBytes && in.read() >= 0) {
            throw new BadInputException("Go 1." + minor + " trace (old format) is larger than " + (maxBytes >> 20)
                    + " MiB, more than godiag reads of an old-format trace (Go reads these whole)");
        }
        V1TraceParser.Trace t = V1TraceParser.parse(data, 0, minor, maxEvents);
        data = null; // the events are parsed: the bytes may go before the conversion
        return V1TraceConverter.convert(t, sliceEvents, sink);
    }
}
