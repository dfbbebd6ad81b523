package dev.godiag.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accepts pprof's own spellings so commands copy over unchanged: "-focus=RX", "-sample_index
 * alloc_space", "-nodecount=40", "-cum", "-lines", "-inuse_space"... Each is rewritten to the
 * godiag option before picocli parses the command line.
 */
final class PprofFlags {
    private PprofFlags() {
    }

    /** pprof flag (without dashes) to godiag long option; null value: boolean flag mapped below. */
    private static final Map<String, String> VALUED = Map.ofEntries(
            Map.entry("focus", "--focus"), Map.entry("ignore", "--ignore"),
            Map.entry("hide", "--hide"), Map.entry("show", "--show"),
            Map.entry("show_from", "--show-from"), Map.entry("prune_from", "--prune-from"),
            Map.entry("tagfocus", "--tagfocus"), Map.entry("tagignore", "--tagignore"),
            Map.entry("tagshow", "--tagshow"), Map.entry("taghide", "--taghide"),
            Map.entry("sample_index", "--sample-index"), Map.entry("nodecount", "--nodecount"),
            Map.entry("nodefraction", "--nodefraction"), Map.entry("edgefraction", "--edgefraction"),
            Map.entry("base", "--base"), Map.entry("diff_base", "--diff-base"),
            Map.entry("seconds", "--seconds"), Map.entry("timeout", "--timeout"),
            Map.entry("unit", "--unit"), Map.entry("granularity", "--granularity"),
            Map.entry("trim_path", "--trim-path"), Map.entry("add_comment", "--add-comment"));

    private static final Map<String, String> BOOLEAN = Map.ofEntries(
            Map.entry("cum", "--cum"), Map.entry("flat", "--flat"),
            Map.entry("normalize", "--normalize"), Map.entry("noinlines", "--noinlines"),
            Map.entry("showcolumns", "--showcolumns"), Map.entry("drop_negative", "--drop-negative"),
            Map.entry("all_frames", "--all-frames"),
            Map.entry("functions", "--granularity=functions"),
            Map.entry("filefunctions", "--granularity=filefunctions"),
            Map.entry("files", "--granularity=files"), Map.entry("lines", "--granularity=lines"),
            Map.entry("addresses", "--granularity=addresses"),
            Map.entry("inuse_space", "--sample-index=inuse_space"),
            Map.entry("inuse_objects", "--sample-index=inuse_objects"),
            Map.entry("alloc_space", "--sample-index=alloc_space"),
            Map.entry("alloc_objects", "--sample-index=alloc_objects"),
            Map.entry("total_delay", "--sample-index=delay"),
            Map.entry("contentions", "--sample-index=contentions"),
            // -top selects pprof's text report, which is what "godiag top" prints anyway
            Map.entry("top", ""), Map.entry("text", ""));

    static String[] translate(String[] args) {
        List<String> out = new ArrayList<>(args.length);
        boolean endOfOptions = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (endOfOptions || a.equals("-") || !a.startsWith("-")) {
                out.add(a);
                continue;
            }
            if (a.equals("--")) {
                endOfOptions = true;
                out.add(a);
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (BOOLEAN.containsKey(name) && !(a.startsWith("--") && name.contains("-"))) {
                String repl = BOOLEAN.get(name);
                if (eq >= 0 && !body.substring(eq + 1).equalsIgnoreCase("true")) {
                    if (body.substring(eq + 1).equalsIgnoreCase("false")) {
                        continue; // -cum=false: the default
                    }
                }
                if (!repl.isEmpty()) {
                    out.add(repl);
                }
                continue;
            }
            if (VALUED.containsKey(name) && (!a.startsWith("--") || name.contains("_"))) {
                String opt = VALUED.get(name);
                if (eq >= 0) {
                    out.add(opt + "=" + body.substring(eq + 1));
                } else {
                    out.add(opt);
                }
                continue;
            }
            out.add(a);
        }
        return out.toArray(String[]::new);
    }
}
