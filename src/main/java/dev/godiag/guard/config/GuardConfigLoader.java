package dev.godiag.guard.config;

import dev.godiag.guard.config.HttpSettings.Authorization;
import dev.godiag.guard.config.HttpSettings.BasicAuth;
import dev.godiag.guard.config.HttpSettings.Tls;
import dev.godiag.guard.config.ScrapeJob.FileSd;
import dev.godiag.guard.config.ScrapeJob.QuerySd;
import dev.godiag.guard.config.ScrapeJob.TargetGroup;
import dev.godiag.guard.config.YamlTree.Node;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads guard's configuration (Prometheus' own style; the contract is in issue 13 and README
 * "guard"): {@code global}, {@code rules}, {@code notify} and {@code scrape_configs}, with
 * Prometheus' durations, sizes for heap thresholds, secrets from their {@code *_file}, and each
 * job's {@code rules} merged key by key over the global ones, which are merged over
 * {@link #DEFAULT_RULES}. Every problem is collected and thrown together.
 */
public final class GuardConfigLoader {
    /** A config, a secret file: larger than this is not what the user meant to give. */
    static final int MAX_CONFIG_BYTES = 4 << 20;
    static final int MAX_SECRET_BYTES = 64 << 10;

    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);
    /** Prometheus' default for file_sd_configs: files are re-read at least this often. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
    public static final String DEFAULT_METRICS_PATH = "/metrics";
    public static final String DEFAULT_PPROF_PATH = "/debug/pprof";
    public static final Stage DEFAULT_STAGE = Stage.OBSERVE;

    /**
     * The rules of a job that sets none. Goroutines: the guard pattern's 500 over baseline, and
     * half again, so a service running 5,000 goroutines does not alert on 500 of noise; heap: half
     * again and 64 MiB, so a 20 MB service's GC swings stay quiet; fds: 200 descriptors and half
     * again. Three readings in a row (1.5 minutes at 30 s) before an alert.
     */
    public static final Rules DEFAULT_RULES = new Rules(
            new MetricRule(500.0, 0.5, 3, true),
            new MetricRule(64.0 * (1 << 20), 0.5, 3, true),
            new MetricRule(200.0, 0.5, 3, true));

    private static final Set<String> TOP_KEYS = Set.of("global", "rules", "baseline", "notify", "scrape_configs");
    private static final Set<String> BASELINE_KEYS = Set.of("warmup", "window");
    private static final Set<String> GLOBAL_KEYS = Set.of("scrape_interval", "scrape_timeout");
    private static final Set<String> RULE_KEYS = Set.of("over_baseline", "over_ratio", "consecutive", "enabled");
    private static final Set<String> NOTIFY_KEYS = Set.of("webhooks", "alertmanagers");
    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secret", "secret_file");
    private static final Set<String> ALERTMANAGER_KEYS = Set.of("url");
    private static final Set<String> JOB_KEYS = Set.of("job_name", "stage", "scrape_interval", "scrape_timeout",
            "scheme", "metrics_path", "pprof_path", "callback", "rules", "static_configs", "file_sd_configs",
            "prometheus_sd_configs", "basic_auth", "authorization", "bearer_token", "bearer_token_file",
            "tls_config", "baseline");
    private static final Set<String> FILE_SD_KEYS = Set.of("files", "refresh_interval");
    private static final Set<String> QUERY_SD_KEYS = Set.of("url", "job", "basic_auth", "authorization",
            "tls_config");
    private static final Set<String> BASIC_AUTH_KEYS = Set.of("username", "username_file", "password",
            "password_file");
    private static final Set<String> AUTHORIZATION_KEYS = Set.of("type", "credentials", "credentials_file");
    private static final Set<String> TLS_KEYS = Set.of("ca_file", "cert_file", "key_file", "server_name",
            "insecure_skip_verify");
    /** Prometheus' rule for file_sd_configs names: one {@code *} at most, in the last path element. */
    private static final Pattern FILE_SD_NAME = Pattern.compile("[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)");

    private GuardConfigLoader() {
    }

    /** The configuration in {@code file}; {@link GuardConfigException} listing every problem. */
    public static GuardConfig load(Path file) {
        Problems problems = new Problems(file.toString());
        byte[] bytes = read(file, MAX_CONFIG_BYTES, problems, 0, "");
        if (bytes == null) {
            throw new GuardConfigException(problems.lines());
        }
        return parse(bytes, file, problems);
    }

    private static GuardConfig parse(byte[] bytes, Path file, Problems problems) {
        Node tree = YamlTree.yaml(bytes, problems);
        if (tree == null) {
            throw new GuardConfigException(problems.lines());
        }
        GuardConfig config = new Reading(file, problems).config(tree);
        if (!problems.isEmpty()) {
            throw new GuardConfigException(problems.lines());
        }
        return config;
    }

    /** Reads at most {@code limit} bytes of {@code file}; null (and a problem) when it cannot or is larger. */
    static byte[] read(Path file, int limit, Problems problems, int line, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                problems.add(line, key, file + " is larger than " + (limit >> 10) + " KiB");
                return null;
            }
            return bytes;
        } catch (NoSuchFileException e) {
            problems.add(line, key, "cannot read " + file + ": no such file");
        } catch (IOException e) {
            problems.add(line, key, "cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }

    /** One reading of one file: the config's directory for relative paths and the problems so far. */
    private static final class Reading {
        private final Path file;
        private final Path baseDir;
        private final Problems problems;

        Reading(Path file, Problems problems) {
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.baseDir = parent == null ? Path.of("").toAbsolutePath() : parent;
            this.problems = problems;
        }

        GuardConfig config(Node tree) {
            if (!(tree instanceof YamlTree.MapNode)) {
                problems.add(tree.line(), "", "must be a mapping (key: value), not " + tree.kind());
                return null;
            }
            Section root = Section.of(tree, "", 1, problems);
            root.allow(TOP_KEYS);

            Section global = root.section("global");
            global.allow(GLOBAL_KEYS);
            Duration interval = orElse(global.duration("scrape_interval"), DEFAULT_SCRAPE_INTERVAL);
            Duration timeout = global.duration("scrape_timeout");
            if (timeout == null) {
                timeout = min(DEFAULT_SCRAPE_TIMEOUT, interval);
            } else if (timeout.compareTo(interval) > 0) {
                global.problem("scrape_timeout", "(" + Durations.format(timeout) + ") is longer than scrape_interval ("
                        + Durations.format(interval) + ")");
            }

            Rules rules = merge(DEFAULT_RULES, rulePatches(root.section("rules")), root.key("rules"));
            BaselineSpec baseline = baseline(root.section("baseline"), BaselineSpec.DEFAULT);
            NotifyConfig notify = notifications(root.section("notify"));

            List<ScrapeJob> jobs = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            List<Node> items = root.list("scrape_configs");
            if (items.isEmpty()) {
                root.problem("scrape_configs", "no jobs: guard needs at least one scrape_configs entry");
            }
            for (int i = 0; i < items.size(); i++) {
                Section j = Section.of(items.get(i), "scrape_configs[" + i + "]", items.get(i).line(), problems);
                ScrapeJob job = job(j, interval, timeout, rules, baseline);
                if (job == null) {
                    continue;
                }
                Integer first = names.putIfAbsent(job.name(), j.line("job_name"));
                if (first != null) {
                    j.problem("job_name", "'" + job.name() + "' is used by another job too (line " + first + ")");
                }
                jobs.add(job);
            }
            return new GuardConfig(file, interval, timeout, rules, notify, jobs);
        }

        /** A {@code baseline:} section over {@code fallback}: each duration positive, the window at least 12 readings long is checked per job. */
        private static BaselineSpec baseline(Section b, BaselineSpec fallback) {
            b.allow(BASELINE_KEYS);
            Duration warmup = orElse(b.duration("warmup"), fallback.warmup());
            Duration window = orElse(b.duration("window"), fallback.window());
            if (window.isZero()) {
                b.problem("window", "must be longer than 0s");
                window = fallback.window();
            }
            return new BaselineSpec(warmup, window);
        }

        private ScrapeJob job(Section j, Duration globalInterval, Duration globalTimeout, Rules globalRules,
                              BaselineSpec globalBaseline) {
            j.allow(JOB_KEYS);
            String name = j.required("job_name");
            Duration interval = orElse(j.duration("scrape_interval"), globalInterval);
            Duration timeout = j.duration("scrape_timeout");
            if (timeout == null) {
                timeout = min(globalTimeout, interval);
            } else if (timeout.compareTo(interval) > 0) {
                j.problem("scrape_timeout", "(" + Durations.format(timeout) + ") is longer than the job's "
                        + "scrape_interval (" + Durations.format(interval) + ")");
            }
            String scheme = orElse(j.text("scheme"), "http");
            if (!scheme.equals("http") && !scheme.equals("https")) {
                j.problem("scheme", "must be http or https, not '" + scheme + "'");
            }
            String metricsPath = path(j, "metrics_path", DEFAULT_METRICS_PATH);
            String pprofPath = path(j, "pprof_path", DEFAULT_PPROF_PATH);
            if (pprofPath.length() > 1 && pprofPath.endsWith("/")) {
                pprofPath = pprofPath.substring(0, pprofPath.length() - 1);
            }
            Stage stage = DEFAULT_STAGE;
            String stageText = j.text("stage");
            if (stageText != null) {
                stage = Stage.byKey(stageText);
                if (stage == null) {
                    j.problem("stage", "must be observe, capture or notify, not '" + stageText + "'");
                    stage = DEFAULT_STAGE;
                }
            }
            String callback = j.text("callback");
            if (callback != null) {
                String problem = urlProblem(callback.replace("{target}", "target.invalid:80"));
                if (problem != null) {
                    j.problem("callback", problem + " (write it as http://{target}/path)");
                }
            }
            Rules rules = merge(globalRules, rulePatches(j.section("rules")), j.key("rules"));
            BaselineSpec baseline = baseline(j.section("baseline"), globalBaseline);
            HttpSettings http = http(j);

            List<TargetGroup> statics = TargetGroups.read(j.list("static_configs"), j.key("static_configs"),
                    problems, false);
            List<FileSd> files = new ArrayList<>();
            List<Node> fileItems = j.list("file_sd_configs");
            for (int i = 0; i < fileItems.size(); i++) {
                FileSd sd = fileSd(Section.of(fileItems.get(i), j.key("file_sd_configs") + "[" + i + "]",
                        fileItems.get(i).line(), problems));
                if (sd != null) {
                    files.add(sd);
                }
            }
            List<QuerySd> queries = new ArrayList<>();
            List<Node> queryItems = j.list("prometheus_sd_configs");
            for (int i = 0; i < queryItems.size(); i++) {
                QuerySd q = querySd(Section.of(queryItems.get(i), j.key("prometheus_sd_configs") + "[" + i + "]",
                        queryItems.get(i).line(), problems), name);
                if (q != null) {
                    queries.add(q);
                }
            }
            if (!j.has("static_configs") && !j.has("file_sd_configs") && !j.has("prometheus_sd_configs")) {
                j.problem("", "has no targets: add static_configs, file_sd_configs or prometheus_sd_configs");
            }
            if (name == null) {
                return null;
            }
            return new ScrapeJob(name, interval, timeout, scheme, metricsPath, pprofPath, stage, callback, rules, http,
                    statics, files, queries, baseline);
        }

        private static String path(Section s, String key, String fallback) {
            String p = s.text(key);
            if (p == null) {
                return fallback;
            }
            if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.contains(" ")) {
                s.problem(key, "must be a path starting with / (no query, no spaces), not '" + p + "'");
                return fallback;
            }
            return p;
        }

        private FileSd fileSd(Section s) {
            s.allow(FILE_SD_KEYS);
            List<String> patterns = s.texts("files");
            if (patterns.isEmpty()) {
                s.problem("files", "needs at least one file (JSON or YAML, a * allowed in the file name)");
            }
            for (String p : patterns) {
                if (!FILE_SD_NAME.matcher(p).matches()) {
                    s.problem("files", "'" + p + "' is not a file_sd name: it must end in .json, .yml or .yaml "
                            + "and may have one * in the file name only");
                    continue;
                }
                Path resolved = resolve(s, "files", p);
                if (resolved != null) {
                    try {
                        FileSystems.getDefault().getPathMatcher("glob:" + resolved.getFileName());
                    } catch (IllegalArgumentException e) { // PatternSyntaxException: an unclosed [
                        s.problem("files", "'" + p + "' is not a valid glob (check its [ ] and { })");
                    }
                }
            }
            Duration refresh = orElse(s.duration("refresh_interval"), DEFAULT_REFRESH_INTERVAL);
            return new FileSd(patterns, refresh, baseDir);
        }

        private QuerySd querySd(Section s, String jobName) {
            s.allow(QUERY_SD_KEYS);
            String url = s.required("url");
            if (url != null) {
                String problem = urlProblem(url);
                if (problem != null) {
                    s.problem("url", problem);
                }
            }
            String job = orElse(s.text("job"), jobName);
            HttpSettings http = http(s);
            return url == null ? null : new QuerySd(stripSlash(url), job, http);
        }

        private NotifyConfig notifications(Section n) {
            n.allow(NOTIFY_KEYS);
            List<NotifyConfig.Webhook> hooks = new ArrayList<>();
            List<Node> items = n.list("webhooks");
            for (int i = 0; i < items.size(); i++) {
                Section w = Section.of(items.get(i), n.key("webhooks") + "[" + i + "]", items.get(i).line(), problems);
                w.allow(WEBHOOK_KEYS);
                String url = checkedUrl(w, "url");
                String secret = secret(w, "secret", "secret_file", false);
                if (url != null) {
                    hooks.add(new NotifyConfig.Webhook(url, secret));
                }
            }
            List<NotifyConfig.AlertmanagerTarget> managers = new ArrayList<>();
            items = n.list("alertmanagers");
            for (int i = 0; i < items.size(); i++) {
                Section a = Section.of(items.get(i), n.key("alertmanagers") + "[" + i + "]", items.get(i).line(),
                        problems);
                a.allow(ALERTMANAGER_KEYS);
                String url = checkedUrl(a, "url");
                if (url != null) {
                    managers.add(new NotifyConfig.AlertmanagerTarget(stripSlash(url)));
                }
            }
            return new NotifyConfig(hooks, managers);
        }

        private static String checkedUrl(Section s, String key) {
            String url = s.required(key);
            if (url == null) {
                return null;
            }
            String problem = urlProblem(url);
            if (problem != null) {
                s.problem(key, problem);
                return null;
            }
            return url;
        }

        private HttpSettings http(Section s) {
            BasicAuth basic = null;
            if (s.has("basic_auth")) {
                Section b = s.section("basic_auth");
                b.allow(BASIC_AUTH_KEYS);
                String user = secret(b, "username", "username_file", true);
                String password = secret(b, "password", "password_file", false);
                basic = new BasicAuth(user == null ? "" : user, password == null ? "" : password);
            }
            Authorization auth = null;
            if (s.has("authorization")) {
                Section a = s.section("authorization");
                a.allow(AUTHORIZATION_KEYS);
                String type = orElse(a.text("type"), "Bearer");
                if (type.equalsIgnoreCase("basic")) {
                    a.problem("type", "cannot be Basic: use basic_auth");
                } else if (!type.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    a.problem("type", "'" + type + "' is not an authorization scheme name");
                }
                auth = new Authorization(type, secret(a, "credentials", "credentials_file", true));
            }
            if (s.has("bearer_token") || s.has("bearer_token_file")) {
                // Prometheus' older spelling of authorization: {credentials}
                String token = secret(s, "bearer_token", "bearer_token_file", true);
                if (auth != null) {
                    s.problem("bearer_token", "set either authorization or bearer_token, not both");
                }
                auth = new Authorization("Bearer", token);
            }
            if (basic != null && auth != null) {
                s.problem("basic_auth", "set either basic_auth or authorization, not both");
            }
            Tls tls = null;
            if (s.has("tls_config")) {
                Section t = s.section("tls_config");
                t.allow(TLS_KEYS);
                Path ca = readableFile(t, "ca_file");
                Path cert = readableFile(t, "cert_file");
                Path key = readableFile(t, "key_file");
                if (t.has("cert_file") != t.has("key_file")) {
                    t.problem(t.has("cert_file") ? "cert_file" : "key_file",
                            "a client certificate needs both cert_file and key_file");
                }
                tls = new Tls(ca, cert, key, t.text("server_name"),
                        Boolean.TRUE.equals(t.bool("insecure_skip_verify")));
            }
            return basic == null && auth == null && tls == null ? HttpSettings.NONE : new HttpSettings(basic, auth, tls);
        }

        /**
         * A secret written inline ({@code key}) or in a file ({@code fileKey}, relative to the
         * config, surrounding whitespace trimmed as Prometheus does); null when neither is set.
         */
        private String secret(Section s, String key, String fileKey, boolean required) {
            boolean inline = s.has(key);
            boolean inFile = s.has(fileKey);
            if (inline && inFile) {
                s.problem(fileKey, "set either " + key + " or " + fileKey + ", not both");
                return null;
            }
            if (inline) {
                return s.required(key);
            }
            if (!inFile) {
                if (required) {
                    s.problem("", "needs " + key + " or " + fileKey);
                }
                return null;
            }
            String name = s.text(fileKey);
            Path path = name == null ? null : resolve(s, fileKey, name);
            if (path == null) {
                return null;
            }
            byte[] bytes = read(path, MAX_SECRET_BYTES, problems, s.line(fileKey), s.key(fileKey));
            if (bytes == null) {
                return null;
            }
            String secret = new String(bytes, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                s.problem(fileKey, path + " is empty");
                return null;
            }
            return secret;
        }

        private Path readableFile(Section s, String key) {
            String name = s.text(key);
            Path p = name == null ? null : resolve(s, key, name);
            if (p == null) {
                return null;
            }
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                s.problem(key, "cannot read " + p);
            }
            return p;
        }

        /** {@code name} from the config's directory; null (and a problem) when it cannot be a path. */
        private Path resolve(Section s, String key, String name) {
            try {
                return baseDir.resolve(name);
            } catch (InvalidPathException e) {
                s.problem(key, "'" + name + "' is not a file name: " + e.getReason());
                return null;
            }
        }

        private Map<Metric, RulePatch> rulePatches(Section rules) {
            rules.allow(Set.of("goroutines", "heap", "fds"));
            Map<Metric, RulePatch> patches = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                if (!rules.has(m.key())) {
                    continue;
                }
                Section r = rules.section(m.key());
                r.allow(RULE_KEYS);
                Double overBaseline = m == Metric.HEAP ? r.size("over_baseline") : r.nonNegative("over_baseline");
                Double overRatio = r.nonNegative("over_ratio");
                // a key written as null unsets the inherited value; a wrong value is a problem, not an unset
                patches.put(m, new RulePatch(overBaseline != null || isNull(r.node("over_baseline")), overBaseline,
                        overRatio != null || isNull(r.node("over_ratio")), overRatio,
                        r.positiveInt("consecutive", 1000), r.bool("enabled"), r.line));
            }
            return patches;
        }

        /** {@code base} with {@code patches} applied; a rule left with no threshold is a problem. */
        private Rules merge(Rules base, Map<Metric, RulePatch> patches, String path) {
            Map<Metric, MetricRule> merged = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                MetricRule rule = base.of(m);
                RulePatch p = patches.get(m);
                if (p != null) {
                    rule = p.apply(rule);
                    if (rule.enabled() && rule.overBaseline() == null && rule.overRatio() == null) {
                        problems.add(p.line(), path + "." + m.key(), "needs over_baseline or over_ratio "
                                + "(or enabled: false)");
                    }
                }
                merged.put(m, rule);
            }
            return new Rules(merged.get(Metric.GOROUTINES), merged.get(Metric.HEAP), merged.get(Metric.FDS));
        }
    }

    /** What one {@code rules.<metric>} mapping sets; a key written as null unsets the threshold. */
    private record RulePatch(boolean setsOverBaseline, Double overBaseline, boolean setsOverRatio, Double overRatio,
                             Integer consecutive, Boolean enabled, int line) {
        MetricRule apply(MetricRule r) {
            return new MetricRule(setsOverBaseline ? overBaseline : r.overBaseline(),
                    setsOverRatio ? overRatio : r.overRatio(),
                    consecutive != null ? consecutive : r.consecutive(),
                    enabled != null ? enabled : r.enabled());
        }
    }

    /** Why {@code url} is not an absolute http(s) URL with a host, or null. */
    static String urlProblem(String url) {
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return "'" + url + "' is not an http:// or https:// URL";
            }
            if (u.getHost() == null) {
                return "'" + url + "' has no host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a URL (" + e.getReason() + ")";
        }
    }

    private static boolean isNull(Node n) {
        return n instanceof YamlTree.Scalar s && s.isNull();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
