package dev.godiag.engine;

import dev.godiag.analysis.retention.Retention;
import dev.godiag.analysis.retention.RetentionReport;
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
        return Retention.compute(graph);
    }

    private static Path regularFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new BadInputException("no such file"); // the caller names the file
        }
        return p;
    }
}
