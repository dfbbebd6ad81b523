package dev.godiag.cli;

import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.engine.Engine;
import dev.godiag.engine.DiagnoseRequest;
import dev.godiag.engine.DiagnoseResult;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.util.BadInputException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** godiag diagnose: what is wrong, why, where in the code and what to change, from whatever inputs are given. */
final class DiagnoseCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html; default by -o's extension"),
            OptionSpec.value("min-severity", "SEV", "show findings at or above SEV: info (default), warning, critical"),
            OptionSpec.value("fail-on", "SEV", "exit 1 when a finding reaches SEV: info (any finding), warning,"
                    + " critical, or none (default)"),
            OptionSpec.value("source-root", "DIR", "show the source line of each finding whose file resolves under"
                    + " DIR (matched by path suffix)"),
            OptionSpec.value("source-url", "TEMPLATE", "link each finding's location, e.g."
                    + " https://github.com/org/repo/blob/main/{file}#L{line}"),
            OptionSpec.value("binary", "BIN", "the executable that wrote a heap dump among the inputs (names its"
                    + " roots: what each global, stack and finalizer retains)"),
            OptionSpec.value("kb", "DIR", "your own knowledge-base cards (YAML) next to godiag's"),
            OptionSpec.list("threshold", "RULE.NAME.LEVEL=VALUE", "override a rule's threshold, e.g."
                    + " cpu.hotspot.ownFlatShare.warning=0.2 (levels: info, warning, critical; see --rules)"),
            OptionSpec.flag("rules", "list the rules with their thresholds and exit"),
            OptionSpec.value("seconds", "N", "URLs: length of the CPU profile of a /debug/pprof/ base (default 5)"),
            OptionSpec.flag("no-cpu", "URLs: do not take a CPU profile"),
            InputOptions.OUTPUT,
            InputOptions.FETCH.get(0),
            InputOptions.FETCH.get(1));

    @Override
    public String name() {
        return "diagnose";
    }

    @Override
    public String summary() {
        return "findings ranked by impact from any mix of profiles, dumps, logs and live services";
    }

    @Override
    public String usage() {
        return "godiag diagnose [OPTIONS] INPUT...";
    }

    @Override
    public String description() {
        return """
                Reads whatever is given (profiles of every kind, goroutine dumps, gctrace logs, \
                /debug/vars JSON, Prometheus /metrics text, Go compiler diagnostics, a heap dump \
                with --binary; files, globs, directories read \
                recursively, or a live service's http://HOST/debug/pprof/ base, from which the \
                goroutine, heap, allocs, block and mutex profiles, a CPU profile and /debug/vars and \
                /metrics when present are fetched), tells each input's kind by its content, orders \
                snapshots of one kind into a series (by the time inside the data, else by natural \
                file-name order), runs every diagnosis rule on them together and reports the \
                findings ranked by score: severity, what, where in the code, the evidence behind \
                it and the fix. Files in a directory that are not inputs are skipped with a note. \
                Exit code 1 when a finding reaches --fail-on.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        if (a.flag("rules")) {
            term.print(ruleList(term.engine().rules()));
            return Main.OK;
        }
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        if (a.operands().isEmpty()) {
            throw ArgParser.noOperands(name(), "input (file, directory or URL)");
        }
        Severity min = severity(a, "min-severity", "info", false);
        Severity failOn = severity(a, "fail-on", "none", true);
        int seconds = a.integer("seconds", 5);
        if (seconds < 1) {
            throw a.usage("--seconds must be at least 1");
        }
        Path sourceRoot = null;
        if (a.string("source-root", null) != null) {
            sourceRoot = Path.of(a.string("source-root", null));
            if (!Files.isDirectory(sourceRoot)) {
                throw a.usage("--source-root " + sourceRoot + ": not a directory");
            }
        }
        String kb = a.string("kb", null);
        if (kb != null && !Files.isDirectory(Path.of(kb))) {
            throw new BadInputException("--kb " + kb + ": not a directory");
        }
        Path binary = a.string("binary", null) == null ? null : Path.of(a.string("binary", null));
        if (binary != null && !Files.isRegularFile(binary)) {
            throw new BadInputException("--binary " + binary + ": no such file");
        }
        Engine engine = term.engine(a.string("max-inflate", null));
        Map<String, Double> thresholds = thresholds(a, engine);

        InputSource.FetchOptions fetch = new InputSource.FetchOptions(0, a.integer("timeout", 0));
        List<String> operands = Globs.expand(a.operands());
        List<Source> inputs = InputOptions.toSources(operands, fetch, term);
        if (!a.flag("no-cpu") && operands.stream().anyMatch(o -> o.startsWith("http://") || o.startsWith("https://"))) {
            term.progress("a live service's CPU profile takes " + seconds + " s (--seconds; --no-cpu to skip it)");
        }
        DiagnoseResult result = engine.diagnose(new DiagnoseRequest(inputs, min, failOn, sourceRoot,
                a.string("source-url", null), kb == null ? null : Path.of(kb), thresholds,
                new DiagnoseRequest.Live(!a.flag("no-cpu"), seconds), format == OutputFormat.HTML, binary));
        for (String w : result.warnings()) {
            term.warn(w);
        }
        DiagnosisRenderers.Report report = result.report();
        if (format == OutputFormat.HTML) {
            Output.write(term, output, os -> DiagnosisRenderers.html(report, Main.version(), result.tabs(), os));
        } else {
            String text = switch (format) {
                case JSON -> DiagnosisRenderers.json(report, Main.version());
                case MARKDOWN -> DiagnosisRenderers.markdown(report);
                default -> DiagnosisRenderers.text(report);
            };
            Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        }
        return result.failOnReached() ? 1 : Main.OK;
    }

    static Severity severity(ParsedArgs a, String option, String fallback, boolean noneAllowed) {
        String s = a.string(option, fallback).trim().toLowerCase(java.util.Locale.ROOT);
        if (noneAllowed && s.equals("none")) {
            return null;
        }
        return switch (s) {
            case "info" -> Severity.INFO;
            case "warning" -> Severity.WARNING;
            case "critical" -> Severity.CRITICAL;
            default -> throw a.usage("--" + option + ": unknown severity '" + s + "' (one of: "
                    + (option.equals("fail-on") ? "info, warning, critical, none" : "info, warning, critical") + ")");
        };
    }

    /** --threshold RULE.NAME.LEVEL=VALUE, checked against the rules' own thresholds. */
    static Map<String, Double> thresholds(ParsedArgs a, Engine engine) {
        Map<String, Double> overrides = new HashMap<>();
        for (String t : a.list("threshold")) {
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq).trim();
            if (eq < 0 || !engine.knowsThreshold(key)) {
                throw a.usage("--threshold " + t + ": not RULE.NAME.LEVEL=VALUE of a known threshold"
                        + " (godiag diagnose --rules lists them)");
            }
            try {
                overrides.put(key, Double.parseDouble(t.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw a.usage("--threshold " + t + ": not a number after '='");
            }
        }
        return overrides;
    }

    /** --rules: every rule, what it looks for, and its thresholds. */
    static String ruleList(List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) {
            sb.append(r.id()).append("  ").append(r.info().description()).append('\n');
            for (Threshold t : r.info().thresholds()) {
                sb.append("    ").append(r.id()).append('.').append(t.name()).append(" (").append(t.unit())
                        .append("): info ").append(num(t.info())).append(", warning ").append(num(t.warning()))
                        .append(", critical ").append(num(t.critical())).append(" - ").append(t.description())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
