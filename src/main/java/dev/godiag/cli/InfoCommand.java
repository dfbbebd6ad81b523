package dev.godiag.cli;

import dev.godiag.analysis.ProfileSummary;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.report.InfoRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = "What a profile file is: format, sample types and totals, sizes, time, labels.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PROFILE", description = "Profile files, '-' or URLs.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FMT", description = "text (default) or json.")
    String format = "text";

    @Option(names = "--seconds", paramLabel = "N", description = "Profile duration for URL sources.")
    int seconds;

    @Option(names = "--timeout", paramLabel = "N", description = "Fetch timeout in seconds.")
    int timeout;

    @Override
    public Integer call() {
        OutputFormat fmt = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
        StringBuilder out = new StringBuilder();
        if (fmt == OutputFormat.JSON && sources.size() > 1) {
            out.append("[\n");
        }
        for (int i = 0; i < sources.size(); i++) {
            String src = sources.get(i);
            Profile p = ProfileLoader.load(src, new InputSource.FetchOptions(seconds, timeout), Gzip.configuredLimit());
            ProfileSummary s = ProfileSummary.of(p);
            String name = ProfileLoader.displayName(src);
            if (fmt == OutputFormat.JSON) {
                String json = InfoRenderer.json(name, s);
                out.append(sources.size() > 1 && i < sources.size() - 1 ? json.stripTrailing() + ",\n" : json);
            } else {
                out.append(i > 0 ? "\n" : "").append(InfoRenderer.text(name, s));
            }
        }
        if (fmt == OutputFormat.JSON && sources.size() > 1) {
            out.append("]\n");
        }
        Main.out(out.toString());
        return 0;
    }
}
