package dev.godiag.guard.config;

import dev.godiag.guard.config.YamlTree.ListNode;
import dev.godiag.guard.config.YamlTree.MapNode;
import dev.godiag.guard.config.YamlTree.Node;
import dev.godiag.guard.config.YamlTree.Scalar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One mapping of the config at its key path ({@code scrape_configs[0].basic_auth}), with typed
 * reads that record a problem (file, line, key) and return null instead of stopping, so that one
 * run reports every mistake. An absent key reads as null; so does YAML's null.
 */
final class Section {
    /** Keys Prometheus knows and guard does not use: named as such rather than as typos. */
    private static final Set<String> PROMETHEUS_ONLY = Set.of("relabel_configs", "metric_relabel_configs",
            "honor_labels", "honor_timestamps", "params", "sample_limit", "label_limit", "target_limit",
            "body_size_limit", "proxy_url", "follow_redirects", "enable_http2", "oauth2", "evaluation_interval",
            "external_labels", "rule_files", "alerting", "remote_write", "remote_read", "storage",
            "scrape_config_files", "kubernetes_sd_configs", "consul_sd_configs", "dns_sd_configs", "ec2_sd_configs",
            "gce_sd_configs", "azure_sd_configs", "http_sd_configs", "docker_sd_configs", "dockerswarm_sd_configs",
            "nomad_sd_configs", "openstack_sd_configs", "eureka_sd_configs", "scrape_protocols",
            "track_timestamps_staleness", "scrape_classic_histograms", "native_histogram_bucket_limit");

    /** A plain decimal, as YAML writes one (Java's own syntax would also take 1d, 0x1p3, NaN). */
    private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    final String path;
    final int line;
    private final Map<String, YamlTree.Entry> entries;
    private final Problems problems;

    private Section(String path, int line, Map<String, YamlTree.Entry> entries, Problems problems) {
        this.path = path;
        this.line = line;
        this.entries = entries;
        this.problems = problems;
    }

    /** The mapping {@code node} at {@code path}; an empty section (and a problem) when it is not one. */
    static Section of(Node node, String path, int lineIfAbsent, Problems problems) {
        if (node instanceof MapNode m) {
            return new Section(path, m.line(), m.entries(), problems);
        }
        if (node != null && !(node instanceof Scalar s && s.isNull())) {
            problems.add(node.line(), path, "must be a mapping (key: value), not " + node.kind());
        }
        return new Section(path, node == null ? lineIfAbsent : node.line(), Map.of(), problems);
    }

    /** Reports every key not in {@code known}, with the closest known key when one is near. */
    void allow(Set<String> known) {
        for (YamlTree.Entry e : entries.values()) {
            if (known.contains(e.key())) {
                continue;
            }
            String hint = Suggestions.closest(e.key(), known);
            String problem = PROMETHEUS_ONLY.contains(e.key()) ? "a Prometheus key guard does not use"
                    : hint != null ? "unknown key (did you mean '" + hint + "'?)"
                    : "unknown key (known here: " + String.join(", ", known.stream().sorted().toList()) + ")";
            problems.add(e.keyLine(), key(e.key()), problem);
        }
    }

    boolean has(String key) {
        Node n = node(key);
        return n != null && !(n instanceof Scalar s && s.isNull());
    }

    Node node(String key) {
        YamlTree.Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The line of {@code key}'s value, or of this section when absent. */
    int line(String key) {
        Node n = node(key);
        return n == null ? line : n.line();
    }

    void problem(String key, String problem) {
        problems.add(line(key), key.isEmpty() ? path : key(key), problem);
    }

    Section section(String key) {
        return of(node(key), key(key), line, problems);
    }

    /** The items of the list under {@code key} (empty when absent). */
    List<Node> list(String key) {
        Node n = node(key);
        if (n instanceof ListNode l) {
            return l.items();
        }
        if (n != null && !(n instanceof Scalar s && s.isNull())) {
            problem(key, "must be a list, not " + n.kind());
        }
        return List.of();
    }

    /** The text of a scalar under {@code key}; null when absent, null or not a scalar (a problem then). */
    String text(String key) {
        Node n = node(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return null;
        }
        if (n instanceof Scalar s) {
            return s.text();
        }
        problem(key, "must be a single value, not " + n.kind());
        return null;
    }

    String required(String key) {
        String s = text(key);
        if (s == null && !has(key)) {
            problem(key, "is required");
        } else if (s != null && s.isBlank()) {
            problem(key, "must not be empty");
            return null;
        }
        return s;
    }

    /** A list of scalars as text (an item that is not a scalar is a problem and left out). */
    List<String> texts(String key) {
        List<String> out = new ArrayList<>();
        List<Node> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Scalar s && !s.isNull()) {
                out.add(s.text());
            } else {
                problems.add(items.get(i).line(), key(key) + "[" + i + "]", "must be a single value, not "
                        + items.get(i).kind());
            }
        }
        return out;
    }

    /** A mapping of scalars as text, in order. */
    Map<String, String> textMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Node n = node(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return out;
        }
        if (!(n instanceof MapNode m)) {
            problem(key, "must be a mapping (name: value), not " + n.kind());
            return out;
        }
        for (YamlTree.Entry e : m.entries().values()) {
            if (e.value() instanceof Scalar s && !s.isNull()) {
                out.put(e.key(), s.text());
            } else {
                problems.add(e.keyLine(), key(key) + "." + e.key(), "must be a single value, not "
                        + e.value().kind());
            }
        }
        return out;
    }

    Duration duration(String key) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(s);
            if (d.isZero()) {
                problem(key, "must be more than 0");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    Boolean bool(String key) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        problem(key, "must be true or false, not '" + s + "'");
        return null;
    }

    /** A number at least 0; a size suffix is a problem. */
    Double nonNegative(String key) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        if (DECIMAL.matcher(s).matches()) {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) {
                return d;
            }
        }
        problem(key, "must be a number, at least 0, not '" + s + "'");
        return null;
    }

    /** A size in bytes ({@link ByteSizes}). */
    Double size(String key) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        try {
            return ByteSizes.parse(s);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    Integer positiveInt(String key, int max) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, "must be a whole number from 1 to " + max + ", not '" + s + "'");
        return null;
    }
}
