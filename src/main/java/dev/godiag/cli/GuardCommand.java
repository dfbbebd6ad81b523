package dev.godiag.cli;

import dev.godiag.guard.config.GuardConfig;
import dev.godiag.guard.config.GuardConfigException;
import dev.godiag.guard.config.GuardConfigLoader;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.config.TargetDiscovery;
import dev.godiag.guard.model.Target;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** godiag guard: watch live Go services; {@code --check} validates a configuration and exits. */
final class GuardCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("config", "FILE", "the configuration (Prometheus-style YAML)"),
            OptionSpec.flag("check", "validate the configuration and its target files, print a summary, exit"),
            OptionSpec.value("shard", "I/N", "watch only shard I of N (0 <= I < N) of the targets"),
            OptionSpec.value("listen", "ADDR", "serve /metrics, /api/guard/* and /-/reload on HOST:PORT"
                    + " (default 127.0.0.1:9817; :PORT for every interface; port 0 picks a free one)"),
            OptionSpec.value("data-dir", "DIR", "where captured evidence, baseline dumps and the SQLite database"
                    + " live (default: $GODIAG_HOME/guard, else ~/.godiag/guard)"),
            OptionSpec.value("db", "URL", "the database: sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P"
                    + " (default: the SQLite file DIR/guard.db); guards sharing a fleet share one PostgreSQL"),
            OptionSpec.value("retention", "DURATION", "how long reading history is kept (default 24h)"),
            OptionSpec.value("external-url", "URL", "guard's address as alert receivers reach it, for the links"
                    + " in alerts (default: links relative to guard's root)"));

    @Override
    public String name() {
        return "guard";
    }

    @Override
    public String summary() {
        return "watch live Go services for goroutine, heap and fd growth (--check: validate a config)";
    }

    @Override
    public String usage() {
        return "godiag guard --config FILE [--listen ADDR] [--data-dir DIR] [--db URL] [--shard I/N] | --config FILE --check";
    }

    @Override
    public String description() {
        return "Watches running Go services through their /metrics and /debug/pprof endpoints, learns each "
                + "one's baseline and alerts when goroutines, heap or open files keep growing past it: per job "
                + "a log line (stage observe), also the evidence captured and diagnosed (capture), also "
                + "webhooks, Alertmanager and the job's callback (notify). Runs until SIGTERM or SIGINT; "
                + "SIGHUP or POST /-/reload re-reads the configuration. --check reads the configuration and every file_sd_configs file, reports every problem "
                + "as FILE:LINE: KEY: problem and exits 2, or prints 'N jobs, M targets' and exits 0.";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        if (!a.operands().isEmpty()) {
            throw a.usage("unexpected argument '" + a.operands().get(0) + "'");
        }
        String file = a.string("config", null);
        if (file == null || file.isBlank()) {
            throw a.usage("--config FILE is required");
        }
        Shards.Shard shard = Shards.Shard.ALL;
        if (a.has("shard")) {
            try {
                shard = Shards.parse(a.string("shard", ""));
            } catch (IllegalArgumentException e) {
                throw a.usage("--shard: " + e.getMessage());
            }
        }
        if (a.flag("check")) {
            return check(Path.of(file), shard, term);
        }
        return GuardDaemon.run(a, term, Path.of(file), shard);
    }

    private static int check(Path file, Shards.Shard shard, Terminal term) {
        GuardConfig config;
        try {
            config = GuardConfigLoader.load(file);
        } catch (GuardConfigException e) {
            e.problems().forEach(term::warn);
            return Main.BAD_INPUT;
        }
        TargetDiscovery discovery = new TargetDiscovery(Clock.systemUTC(), w -> { });
        List<String> fileErrors = new ArrayList<>();
        int targets = 0;
        int owned = 0;
        int querySources = 0;
        for (ScrapeJob job : config.jobs()) {
            TargetDiscovery.Discovery d = discovery.discover(job);
            fileErrors.addAll(d.fileErrors());
            d.notes().forEach(n -> term.warn("warning: " + n));
            targets += d.targets().size();
            for (Target t : d.targets()) {
                owned += shard.owns(t) ? 1 : 0;
            }
            querySources += job.prometheusSdConfigs().size();
        }
        if (!fileErrors.isEmpty()) {
            fileErrors.forEach(term::warn);
            return Main.BAD_INPUT;
        }
        StringBuilder summary = new StringBuilder()
                .append(plural(config.jobs().size(), "job")).append(", ").append(plural(targets, "target"));
        if (querySources > 0) {
            summary.append(", ").append(plural(querySources, "query source"));
        }
        if (shard.count() > 1) {
            summary.append(", ").append(owned).append(" in shard ").append(shard);
        }
        term.print(summary.append('\n').toString());
        return Main.OK;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
