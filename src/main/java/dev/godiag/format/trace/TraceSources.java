package dev.godiag.format.trace;

import dev.godiag.format.Gzip;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.util.BadInputException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads the execution trace of a source once, generation by generation, handing each
 * generation's {@link TraceChanges} on. A file is streamed (gzipped or not), so its size does
 * not bound what can be read; other sources are read whole within the limits first, and inflated
 * as they are read.
 */
public final class TraceSources {
    private TraceSources() {
    }

    /**
     * Reads the trace of {@code source}.
     *
     * @throws BadInputException one line naming the source and the problem
     */
    public static TraceSummary read(Source source, ReadLimits limits, Consumer<TraceChanges> sink) {
        TraceStates states = new TraceStates();
        try (InputStream in = open(source, limits)) {
            TraceSummary summary = new TraceReader().readParts(in,
                    (g, part) -> sink.accept(states.apply(g, part)));
            if (summary.generations() == 0 && summary.warning().isPresent()) {
                // nothing before the damage: no report to give, only the damage
                throw new BadInputException(summary.warning().get());
            }
            return summary;
        } catch (BadInputException e) {
            throw e.getMessage().startsWith(source.name() + ": ") ? e
                    : new BadInputException(source.name() + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new BadInputException(source.name() + ": no such file");
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(source.name() + ": cannot read: " + e.getMessage());
        }
    }

    private static InputStream open(Source source, ReadLimits limits) throws IOException {
        if (!(source instanceof Source.File f)) {
            // held as sent, inflated as it is read: a gzipped trace costs its compressed bytes and a generation
            byte[] data = source.readAll(limits);
            InputStream in = new ByteArrayInputStream(data);
            return Gzip.isGzip(data) ? new Bounded(new GZIPInputStream(in, 1 << 16), limits.maxInflate()) : in;
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(f.path()), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzip ? new Bounded(new GZIPInputStream(raw, 1 << 16), limits.maxInflate()) : raw;
    }

    /** A decompressed stream that refuses to give more than the inflation limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) {
                throw new BadInputException("gzip data decompresses to more than the limit of "
                        + Gzip.describeSize(limit) + " (raise it with --max-inflate or GODIAG_MAX_INFLATE)");
            }
        }
    }
}
