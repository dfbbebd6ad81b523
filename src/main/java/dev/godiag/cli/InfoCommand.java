package dev.godiag.cli;

import dev.godiag.analysis.profile.ProfileSummary;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
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
        List<String> sources = a.operands();
        if (sources.isEmpty()) {
            throw ArgParser.noOperands(name(), "profile");
        }
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        long limit = InputOptions.inflateLimit(a);
        StringBuilder out = new StringBuilder();
        boolean array = fmt == OutputFormat.JSON && sources.size() > 1;
        if (array) {
            out.append("[\n");
        }
        for (int i = 0; i < sources.size(); i++) {
            String src = sources.get(i);
            Profile p = ProfileLoader.load(src, fetch, limit);
            ProfileSummary s = ProfileSummary.of(p);
            String name = ProfileLoader.displayName(src);
            if (fmt == OutputFormat.JSON) {
                String json = InfoRenderer.json(name, s);
                out.append(array && i < sources.size() - 1 ? json.stripTrailing() + ",\n" : json);
            } else {
                out.append(i > 0 ? "\n" : "").append(InfoRenderer.text(name, s));
            }
        }
        if (array) {
            out.append("]\n");
        }
        term.print(out.toString());
        return Main.OK;
    }
}
