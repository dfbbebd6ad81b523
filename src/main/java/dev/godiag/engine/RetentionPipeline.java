package dev.godiag.engine;

import dev.godiag.analysis.retention.Retention;
import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.format.Gzip;
import dev.godiag.format.Source;
import dev.godiag.format.elf.ElfSymbols;
import dev.godiag.format.heapdump.HeapDumpReader;
import dev.godiag.model.heap.HeapGraph;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Retention: the binary's symbols, the dump streamed into its object graph, the dominator tree. */
final class RetentionPipeline {
    private RetentionPipeline() {
    }

    static RetentionReport run(RetentionRequest request) {
        ElfSymbols symbols;
        try {
            symbols = ElfSymbols.read(regularFile(request.binary()));
        } catch (BadInputException e) {
            throw new BadInputException(request.binary() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(request.binary() + ": cannot read: " + e.getMessage());
        }
        HeapGraph graph;
        try {
            graph = HeapDumpReader.read(regularFile(request.dump()), symbols);
        } catch (BadInputException e) {
            throw new BadInputException(request.dump() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(request.dump() + ": cannot read: " + e.getMessage());
        }
        return Retention.compute(graph, request.profile());
    }

    /**
     * A heap dump that {@link dev.godiag.format.Inputs} recognized, for diagnose (no profile): read
     * where it lies, or from a temporary file when it came as bytes (standard input, an upload:
     * Inputs inflated them within its limits), since the reader seeks.
     */
    static RetentionReport run(Source dump, Path binary) {
        if (dump instanceof Source.File f) {
            if (Gzip.isGzip(head(f.path()))) {
                throw new BadInputException(f.path() + ": a gzipped heap dump: gunzip it first (godiag reads heap"
                        + " dumps where they lie, by position)");
            }
            return run(new RetentionRequest(f.path(), binary, false));
        }
        if (!(dump instanceof Source.Bytes b)) {
            throw new BadInputException(dump.name() + ": a heap dump is read from a file or bytes");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("godiag-heapdump", ".dump");
            Files.write(tmp, b.data());
            RetentionReport r;
            try {
                r = run(new RetentionRequest(tmp, binary, false));
            } catch (BadInputException e) {
                throw new BadInputException(e.getMessage().replace(tmp.toString(), b.name()));
            }
            return r;
        } catch (IOException e) {
            throw new BadInputException(b.name() + ": cannot keep the heap dump in a temporary file: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind is no failure of the diagnosis
                }
            }
        }
    }

    private static byte[] head(Path p) {
        try (var in = Files.newInputStream(p)) {
            return in.readNBytes(2);
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot read: " + e.getMessage());
        }
    }

    private static Path regularFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new BadInputException("no such file"); // the caller names the file
        }
        return p;
    }
}
