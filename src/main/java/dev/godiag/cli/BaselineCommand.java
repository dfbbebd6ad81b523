package dev.godiag.cli;

import dev.godiag.engine.Engine;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.engine.BaselineRequest;
import dev.godiag.engine.BaselineResult;
import dev.godiag.engine.NoSuchBaselineException;
import dev.godiag.store.BaselineRepository;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** godiag baseline save|list|show|rm: named baselines with history, in the store's database. */
final class BaselineCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("db", "URL", "the database: sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P"
                    + " (default: GODIAG_DB, else the SQLite file $GODIAG_HOME/godiag.db or ~/.godiag/godiag.db)"),
            OptionSpec.value("label", "L", "save: a label for the run (e.g. the branch or commit)"),
            OptionSpec.value("history", "N", "show: the newest N runs (default 1)"),
            OptionSpec.value("format", "FMT", "list and show: text (default) or json"),
            OptionSpec.value("max-inflate", "SIZE", "refuse gzip input inflating beyond SIZE (default 1g)"));

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String summary() {
        return "named baselines of benchmarks and profile metrics, with history (save, list, show, rm)";
    }

    @Override
    public String usage() {
        return "godiag baseline save NAME INPUT... | list | show NAME | rm NAME  [OPTIONS]";
    }

    @Override
    public String description() {
        return """
                Keeps named baselines (per branch, service...) in a database: each 'save' is a new run of \
                the baseline holding the input files as they are and the metrics derived from them: Go \
                benchmark output (kind bench), metrics JSON, gctrace logs (gc.pause.p95 in ms, gc.cpu in %), \
                heap profiles (heap.live in bytes), goroutine snapshots (goroutines.count) and CPU profiles \
                (cpu.hot_stack_depth: the weighted mean depth of the 10 hottest stacks). 'list' shows the \
                baselines, 'show' the newest run (or --history N runs), 'rm' deletes a baseline with its \
                history. The database is SQLite by default, PostgreSQL with --db jdbc:postgresql://...""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        List<String> ops = a.operands();
        if (ops.isEmpty()) {
            throw a.usage("baseline needs a subcommand: save, list, show or rm");
        }
        String sub = ops.get(0);
        List<String> rest = ops.subList(1, ops.size());
        OutputFormat format = OutputFormat.parse(a.string("format", "text"), OutputFormat.TEXT, OutputFormat.JSON);
        // only a save reads inputs (and so minds the inflate limit)
        // only a save reads inputs: the inflate limit (and a bad GODIAG_MAX_INFLATE) matter to it alone
        Engine engine = sub.equals("save") && rest.size() >= 2 ? InputOptions.engine(a, term)
                : new Engine(term.baseContext());
        BaselineRequest request = switch (sub) {
            case "save" -> {
                if (rest.size() < 2) {
                    throw a.usage("baseline save needs a NAME and at least one INPUT file");
                }
                yield new BaselineRequest.Save(rest.get(0), a.string("label", null),
                        GateCommand.files(Globs.expand(rest.subList(1, rest.size())), term),
                        "godiag baseline save " + String.join(" ", rest));
            }
            case "list" -> {
                only(a, rest, 0, "baseline list takes no operands");
                yield new BaselineRequest.ListAll();
            }
            case "show" -> {
                only(a, rest, 1, "baseline show needs one NAME");
                int n = a.integer("history", 1);
                if (n < 1) {
                    throw a.usage("--history must be at least 1");
                }
                yield new BaselineRequest.Show(rest.get(0), n);
            }
            case "rm" -> {
                only(a, rest, 1, "baseline rm needs one NAME");
                yield new BaselineRequest.Remove(rest.get(0));
            }
            default -> throw a.usage("unknown baseline subcommand '" + sub + "' (save, list, show or rm)");
        };
        BaselineResult result;
        try (Stores store = new Stores(a, term)) {
            result = EngineCalls.run(term, () -> engine.baseline(request, store));
        } catch (NoSuchBaselineException e) {
            throw new BadInputException("no baseline named '" + e.name() + "'");
        }
        switch (result) {
            case BaselineResult.Saved s -> {
                s.warnings().forEach(term::warn);
                BaselineRepository.Run run = s.run();
                term.print("saved run " + run.id() + " of baseline " + run.baseline() + ": " + run.inputs().size()
                        + " input" + (run.inputs().size() == 1 ? "" : "s") + ", " + run.metrics().size() + " metric"
                        + (run.metrics().size() == 1 ? "" : "s") + "\n");
            }
            case BaselineResult.Listed l -> term.print(format == OutputFormat.JSON ? listJson(l.baselines())
                    : listText(l.baselines()));
            case BaselineResult.Shown sh -> term.print(format == OutputFormat.JSON ? showJson(sh.name(), sh.runs())
                    : showText(sh.name(), sh.runs()));
            case BaselineResult.Removed rm -> term.print("removed baseline " + rm.name() + " (" + rm.runs() + " run"
                    + (rm.runs() == 1 ? "" : "s") + ")\n");
        }
        return Main.OK;
    }

    private static void only(ParsedArgs a, List<String> rest, int n, String message) {
        if (rest.size() != n) {
            throw a.usage(message);
        }
    }

    // ---- rendering

    private static String time(java.time.Instant t) {
        return t == null ? "-" : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    static String listText(List<BaselineRepository.Summary> list) {
        if (list.isEmpty()) {
            return "no baselines\n";
        }
        int w = Math.max(4, list.stream().mapToInt(s -> s.name().length()).max().orElse(4));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %5s  %-20s  %s%n", "NAME",
                "RUNS", "LAST RUN", "LABEL"));
        for (BaselineRepository.Summary s : list) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %5d  %-20s  %s", s.name(), s.runs(),
                    time(s.lastRunAt()), s.lastLabel() == null ? "" : s.lastLabel()).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    static String showText(String name, List<BaselineRepository.Run> runs) {
        StringBuilder sb = new StringBuilder("baseline " + name + "\n");
        for (BaselineRepository.Run r : runs) {
            sb.append("\nrun ").append(r.id()).append("  ").append(time(r.createdAt()));
            if (r.label() != null) {
                sb.append("  label ").append(r.label());
            }
            sb.append('\n');
            sb.append("  inputs:\n");
            for (BaselineRepository.StoredInput in : r.inputs()) {
                sb.append(String.format(Locale.ROOT, "    %-10s %10d bytes  %s%n", in.kind(), in.sizeBytes(),
                        in.name()));
            }
            if (!r.metrics().isEmpty()) {
                sb.append("  metrics:\n");
                int nw = r.metrics().stream().mapToInt(m -> m.name().length()).max().orElse(0);
                int uw = r.metrics().stream().mapToInt(m -> m.unit().length()).max().orElse(0);
                for (BaselineRepository.Metric m : r.metrics()) {
                    StringBuilder vals = new StringBuilder();
                    for (double v : m.values()) {
                        vals.append(vals.isEmpty() ? "" : " ").append(number(v));
                    }
                    sb.append(String.format(Locale.ROOT, "    %-" + nw + "s  %-" + uw + "s  %s%n", m.name(), m.unit(), vals));
                }
            }
        }
        return sb.toString();
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Body body) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    static String listJson(List<BaselineRepository.Summary> list) {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("baselines");
            for (BaselineRepository.Summary s : list) {
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeNumberField("runs", s.runs());
                g.writeStringField("createdAt", time(s.createdAt()));
                g.writeStringField("lastRunAt", s.lastRunAt() == null ? null : time(s.lastRunAt()));
                g.writeStringField("lastLabel", s.lastLabel());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static String showJson(String name, List<BaselineRepository.Run> runs) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("baseline", name);
            g.writeArrayFieldStart("runs");
            for (BaselineRepository.Run r : runs) {
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeStringField("createdAt", r.createdAt().toString());
                g.writeStringField("label", r.label());
                g.writeStringField("source", r.source());
                g.writeArrayFieldStart("inputs");
                for (BaselineRepository.StoredInput in : r.inputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", in.name());
                    g.writeStringField("kind", in.kind());
                    g.writeNumberField("bytes", in.sizeBytes());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("metrics");
                for (BaselineRepository.Metric m : r.metrics()) {
                    g.writeStartObject();
                    g.writeStringField("name", m.name());
                    g.writeStringField("unit", m.unit());
                    g.writeArrayFieldStart("values");
                    for (double v : m.values()) {
                        if (Double.isFinite(v)) {
                            g.writeNumber(v);
                        } else {
                            g.writeNull();
                        }
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
