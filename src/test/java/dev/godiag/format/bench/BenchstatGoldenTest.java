package dev.godiag.format.bench;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.model.BenchFile;
import dev.godiag.report.BenchRenderers;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * benchstat's own goldens (x/perf cmd/benchstat/testdata, in ../shared/corpus/upstream/benchstat),
 * reproduced byte for byte: the reader, the statistics and the renderer, with the files named as
 * benchstat was given them. The command lines are those of benchstat's main_test.go.
 */
class BenchstatGoldenTest {
    private static final Path DIR = Path.of("upstream/benchstat");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "crcOldNew     | text |                  |        |       |            | crc-old.txt crc-new.txt",
        "crcIgnore     | text |                  |        |       | note       | crc-old.txt crc-new.txt",
        "crcSizeVsPoly | text | /align:0         | /size  | /poly |            | crc-new.txt",
        "units         | text |                  |        | note  |            | units.txt",
        "zero          | text |                  |        | note  |            | zero.txt",
        "smallSample   | text |                  |        | note  |            | smallSample.txt",
        "issue19565    | text |                  |        | note  |            | issue19565.txt",
        "issue19634    | text |                  |        | note  |            | issue19634.txt",
        "csvOldNew     | csv  |                  |        |       |            | old.txt new.txt",
        "csvErrors     | csv  |                  | .name  |       |            | new.txt",
    })
    void reproducesTheGolden(String golden, String format, String filter, String row, String col, String ignore,
                             String files) throws IOException {
        List<BenchFile> read = new ArrayList<>();
        for (String f : files.split(" ")) {
            BenchFile b = BenchReader.read(f, Files.readString(Corpus.file(DIR.resolve(f).toString())));
            assertThat(b.warnings()).as(f).isEmpty();
            read.add(b);
        }
        BenchTables.Options d = BenchTables.Options.defaults();
        BenchTables.Options o = new BenchTables.Options(row == null ? d.row() : row, col == null ? d.col() : col,
                ignore == null ? "" : ignore, filter == null ? "*" : filter, d.confidence(), d.alpha());
        List<BenchTables.Table> tables = BenchTables.build(read, o);
        List<String> warnings = new ArrayList<>();
        String got = format.equals("csv") ? BenchRenderers.csv(tables, warnings) : BenchRenderers.text(tables);
        assertThat(got).isEqualTo(Files.readString(Corpus.file(DIR.resolve(golden + ".stdout").toString())));
        Path stderr = Corpus.file(DIR.resolve(golden + ".stderr").toString());
        String wantErr = Files.exists(stderr) ? Files.readString(stderr) : "";
        assertThat(warnings.stream().map(w -> w + "\n").reduce("", String::concat)).isEqualTo(wantErr);
    }
}
