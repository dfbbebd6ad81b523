package dev.godiag.cli;

import dev.godiag.engine.InfoRequest;
import dev.godiag.engine.InfoResult;
import dev.godiag.format.Source;
import dev.godiag.report.InfoRenderer;

import java.util.List;

/** godiag info: what a profile file is. */
final class InfoCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default) or json"),
            OptionSpec.value("seconds", "N", "profile duration for URL sources"),
            OptionSpec.value("timeout", "N", "fetch timeout in seconds"),
            OptionSpec.value("max-inflate", "SIZE", "refuse gzip input inflating beyond SIZE (default 1g)"));

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "what a profile file is: format, sample types and totals, sizes, time, labels";
    }

    @Override
    public String usage() {
        return "godiag info [OPTIONS] PROFILE...";
    }

    @Override
    public String description() {
        return "What each profile is: its format, sample types with totals, period, sizes, time span, "
                + "labels and comments.";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        OutputFormat fmt = OutputFormat.parse(a.string("format", "text"), OutputFormat.TEXT, OutputFormat.JSON);
        if (a.operands().isEmpty()) {
            throw ArgParser.noOperands(name(), "profile");
        }
        List<Source> sources = InputOptions.toSources(a.operands(), InputOptions.fetch(a), term);
        InfoResult result = InputOptions.engine(a, term).info(new InfoRequest(sources));
        result.warnings().forEach(term::warn);
        List<InfoResult.Entry> profiles = result.profiles();
        StringBuilder out = new StringBuilder();
        boolean array = fmt == OutputFormat.JSON && profiles.size() > 1;
        if (array) {
            out.append("[\n");
        }
        for (int i = 0; i < profiles.size(); i++) {
            InfoResult.Entry e = profiles.get(i);
            if (fmt == OutputFormat.JSON) {
                String json = InfoRenderer.json(e.name(), e.summary());
                out.append(array && i < profiles.size() - 1 ? json.stripTrailing() + ",\n" : json);
            } else {
                out.append(i > 0 ? "\n" : "").append(InfoRenderer.text(e.name(), e.summary()));
            }
        }
        if (array) {
            out.append("]\n");
        }
        term.print(out.toString());
        return Main.OK;
    }
}
