package dev.godiag.cli;

import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.scan.CheckInfo;
import dev.godiag.diagnosis.scan.ScanReport;
import dev.godiag.diagnosis.scan.SourceChecks;
import dev.godiag.engine.Engine;
import dev.godiag.engine.InvalidRequestException;
import dev.godiag.engine.ScanRequest;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.report.ScanRenderers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** godiag scan: the knowledge base's patterns in Go source, at review time, ranked by production profiles. */
final class ScanCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown (a pull request comment) or sarif;"
                    + " default by -o's extension"),
            OptionSpec.value("diff", "REV", "only findings on lines changed since the git revision REV"
                    + " (git diff REV: the working tree against REV)"),
            OptionSpec.list("profile", "FILE", "a CPU, allocs/heap, block or mutex profile of the service:"
                    + " findings whose code carries weight in it come first and say how much (repeatable)"),
            OptionSpec.value("fail-on", "SEV", "exit 1 when a finding reaches SEV: info (any finding), warning,"
                    + " critical; none (default)"),
            OptionSpec.value("checks", "IDS", "run only these checks (comma-separated ids)"),
            OptionSpec.flag("list-checks", "list the checks with their cards and exit"),
            OptionSpec.value("source-url", "TEMPLATE", "link each finding, e.g."
                    + " https://github.com/org/repo/blob/main/{file}#L{line} ({file} from the repository's top)"),
            OptionSpec.flag("include-generated", "also scan generated files (// Code generated ... DO NOT EDIT.)"),
            OptionSpec.flag("include-vendor", "also scan vendor/ directories"),
            OptionSpec.flag("include-testdata", "also scan testdata/ directories"),
            OptionSpec.flag("no-tests", "skip _test.go files"));

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String summary() {
        return "performance and leak patterns in Go source, ranked by production profiles";
    }

    @Override
    public String usage() {
        return "godiag scan [OPTIONS] DIR|FILE...";
    }

    @Override
    public String description() {
        return """
                Reads Go source (Go 1.19 to 1.27, generics included) and reports the patterns the \
                knowledge base knows: time.After in loops, tickers never stopped, regexps compiled per \
                iteration or request, defer in loops, goroutines that can never exit, response bodies \
                and context cancels not closed on every path, WaitGroup.Add inside its goroutine, \
                string building, conversions and reflection in loops, growth without a size hint, \
                copied locks, large range copies. Each finding names its knowledge card, the same card \
                the profile rules use. Directories are walked; vendor/, testdata/, directories \
                starting with . or _ and generated files are skipped; files that do not parse are \
                warnings. With --profile, findings whose code (the loop, the statement) carries CPU, \
                allocation, block or mutex weight come first and say so. A finding is silenced by \
                //godiag:ignore CHECK reason on its line or the line above. Exit code 1 when a \
                finding reaches --fail-on.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        if (a.flag("list-checks")) {
            term.print(checkList(SourceChecks.shipped().infos(), KnowledgeBase.shipped()));
            return Main.OK;
        }
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.SARIF);
        List<String> operands = Globs.expand(a.operands());
        if (operands.isEmpty()) {
            throw ArgParser.noOperands(name(), "directory or .go file");
        }
        Severity failOn = DiagnoseCommand.severity(a, "fail-on", "none", true);
        Set<String> checks = new LinkedHashSet<>();
        String only = a.string("checks", null);
        if (only != null) {
            for (String id : only.split(",")) {
                if (!id.isBlank()) {
                    checks.add(id.strip());
                }
            }
        }
        Engine engine = InputOptions.engine(a, term);
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        List<Source> profiles = InputOptions.toSources(Globs.expand(a.list("profile")), fetch, term);
        List<Path> roots = new ArrayList<>();
        for (String o : operands) {
            roots.add(Path.of(o));
        }
        ScanRequest.Scope scope = new ScanRequest.Scope(a.flag("include-generated"), a.flag("include-vendor"),
                a.flag("include-testdata"), !a.flag("no-tests"));
        ScanReport r;
        try {
            r = EngineCalls.run(term, () -> engine.scan(new ScanRequest(roots, a.string("diff", null), profiles,
                    checks, scope, a.string("source-url", null))));
        } catch (InvalidRequestException e) {
            throw a.usage(e.getMessage());
        }
        if (format != OutputFormat.TEXT) {
            r.warnings().forEach(term::warn); // the text report shows them itself
        }
        KnowledgeBase kb = KnowledgeBase.shipped();
        String text = switch (format) {
            case JSON -> ScanRenderers.json(r, Main.version());
            case MARKDOWN -> ScanRenderers.markdown(r, kb);
            case SARIF -> ScanRenderers.sarif(r, kb, Main.version());
            default -> ScanRenderers.text(r, kb);
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return failOn != null && r.worst().compareTo(failOn) >= 0 && !r.findings().isEmpty() ? 1 : Main.OK;
    }

    private static String checkList(List<CheckInfo> checks, KnowledgeBase kb) {
        StringBuilder sb = new StringBuilder();
        int width = checks.stream().mapToInt(c -> c.id().length()).max().orElse(10);
        for (CheckInfo c : checks) {
            KnowledgeBase.Card card = kb.card(c.card());
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %-8s %s%n", c.id(), c.severity().id(),
                    c.description()));
            sb.append(" ".repeat(width + 2)).append("card ").append(c.card())
                    .append(card == null ? "" : ": " + card.title()).append('\n');
        }
        return sb.toString();
    }
}
