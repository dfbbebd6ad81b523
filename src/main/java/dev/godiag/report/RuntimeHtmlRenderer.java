package dev.godiag.report;

import dev.godiag.analysis.runtime.MemoryGrowth;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The gc and memory report pages: the template {@code runtime.html} (inline script and style, no
 * network, small inline SVG charts) with the report embedded as JSON through {@link ScriptJson}.
 * The embedded object is {@code {"schema": 1, "kind": "gc" | "memory", "generator": ..., "report": R}}
 * where R is exactly what {@code godiag gc --format json} ({@link GcRenderers#json}) or
 * {@code godiag memory --format json} ({@link MemoryRenderers#json}) writes, so the pages and the
 * JSON contract cannot drift apart.
 */
public final class RuntimeHtmlRenderer {
    static final String TEMPLATE = "runtime.html";

    private RuntimeHtmlRenderer() {
    }

    /** The gc page of these analysed logs; generator: what wrote the page, or null. */
    public static void gc(List<GcRenderers.Report> reports, String generator, OutputStream os) throws IOException {
        ScriptJson.page(TEMPLATE, "gc", generator, GcRenderers.json(reports), os);
    }

    /** The memory page; the arguments are those of {@link MemoryRenderers#json}. */
    public static void memory(MemoryGrowth.Result r, String kind, List<String> sources, String generator,
                              OutputStream os) throws IOException {
        ScriptJson.page(TEMPLATE, "memory", generator, MemoryRenderers.json(r, kind, sources), os);
    }
}
