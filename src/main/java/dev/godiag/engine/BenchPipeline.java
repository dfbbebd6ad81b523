package dev.godiag.engine;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.format.Source;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.model.BenchFile;
import dev.godiag.util.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** godiag bench: benchstat's comparison of Go benchmark results. */
public final class BenchPipeline {
    private final EngineContext ctx;

    public BenchPipeline(EngineContext ctx) {
        this.ctx = ctx;
    }

    public BenchComparison run(BenchRequest r) {
        List<String> warnings = new ArrayList<>();
        List<BenchFile> files = new ArrayList<>();
        // files are read side by side (a large comparison is two large files), reported in order
        for (Read read : r.sources().parallelStream().map(this::read).toList()) {
            if (read.failure() != null) {
                throw FailureAfterWarnings.attach(read.failure(), warnings);
            }
            warnings.addAll(read.file().warnings());
            files.add(read.file());
        }
        BenchTables.Options o = r.options();
        List<BenchTables.Table> tables = FailureAfterWarnings.carrying(warnings, () -> {
            BenchTables.Collected collected = BenchTables.collect(files, o);
            files.clear(); // the results are in the tables now: their memory goes before the statistics'
            List<BenchTables.Table> t = collected.summarize();
            if (t.isEmpty()) {
                throw new BadInputException(String.join(", ", r.sources().stream().map(Source::name).toList())
                        + ": no benchmark results" + (o.filter().equals("*") ? "" : " match the filter"));
            }
            return t;
        });
        return new BenchComparison(tables, warnings);
    }

    /** One file read, or why it could not be. */
    private record Read(BenchFile file, RuntimeException failure) {
    }

    private Read read(Source s) {
        try {
            byte[] data;
            try {
                data = s.readAll(ctx.limits());
            } catch (BadInputException e) {
                throw e.getMessage().startsWith(s.name()) ? e : new BadInputException(s.name() + ": " + e.getMessage());
            }
            return new Read(BenchReader.read(s.name(), new String(data, StandardCharsets.UTF_8)), null);
        } catch (RuntimeException e) {
            return new Read(null, e);
        }
    }
}
