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
        for (Source s : r.sources()) {
            byte[] data = FailureAfterWarnings.carrying(warnings, () -> {
                try {
                    return s.readAll(ctx.limits());
                } catch (BadInputException e) {
                    throw e.getMessage().startsWith(s.name()) ? e
                            : new BadInputException(s.name() + ": " + e.getMessage());
                }
            });
            BenchFile f = BenchReader.read(s.name(), new String(data, StandardCharsets.UTF_8));
            warnings.addAll(f.warnings());
            files.add(f);
        }
        BenchTables.Options o = r.options();
        List<BenchTables.Table> tables = FailureAfterWarnings.carrying(warnings, () -> {
            List<BenchTables.Table> t = BenchTables.build(files, o);
            if (t.isEmpty()) {
                throw new BadInputException(String.join(", ", r.sources().stream().map(Source::name).toList())
                        + ": no benchmark results" + (o.filter().equals("*") ? "" : " match the filter"));
            }
            return t;
        });
        return new BenchComparison(tables, warnings);
    }
}
