package dev.godiag.guard.config;

import dev.godiag.guard.config.ScrapeJob.TargetGroup;
import dev.godiag.guard.config.YamlTree.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus' target groups, {@code [{targets: [host:port...], labels: {name: value}}]}, as
 * written in {@code static_configs} and in {@code file_sd_configs} files.
 */
final class TargetGroups {
    private static final Set<String> KEYS = Set.of("targets", "labels");

    private TargetGroups() {
    }

    /**
     * The groups in {@code items} (the list at {@code path}); a bad target or label is a problem.
     * {@code dropInternal}: labels starting with {@code __} (which Prometheus' tools write in SD
     * files for relabelling) are left out instead of being a problem.
     */
    static List<TargetGroup> read(List<Node> items, String path, Problems problems, boolean dropInternal) {
        List<TargetGroup> groups = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Section g = Section.of(items.get(i), path + "[" + i + "]", items.get(i).line(), problems);
            g.allow(KEYS);
            List<String> targets = new ArrayList<>();
            List<Node> listed = g.list("targets");
            for (int j = 0; j < listed.size(); j++) {
                Node t = listed.get(j);
                String problem = t instanceof YamlTree.Scalar s && !s.isNull() ? Addresses.problem(s.text())
                        : "must be host:port, not " + t.kind();
                if (problem != null) {
                    problems.add(t.line(), g.key("targets") + "[" + j + "]", problem);
                } else {
                    targets.add(((YamlTree.Scalar) t).text());
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (Map.Entry<String, String> l : g.textMap("labels").entrySet()) {
                String name = l.getKey();
                if (!Addresses.validLabelName(name)) {
                    g.problem("labels", "'" + name + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
                } else if (Addresses.internalLabel(name)) {
                    if (!dropInternal) {
                        g.problem("labels", "'" + name + "': labels starting with __ are Prometheus' internal "
                                + "ones; guard does not use them");
                    }
                } else {
                    labels.put(name, l.getValue());
                }
            }
            groups.add(new TargetGroup(targets, labels));
        }
        return groups;
    }
}
