package dev.godiag.report;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The goroutine report page: the template {@code goroutines.html} (inline script and style, no
 * network) with the report embedded as JSON through {@link ScriptJson}. The embedded object is
 * {@code {"schema": 1, "kind": "goroutines", "generator": ..., "report": R}} where R is exactly what
 * {@code godiag goroutines --format json} writes ({@link GoroutineRenderers#json}), so the page and
 * the JSON contract cannot drift apart.
 */
public final class GoroutineHtmlRenderer {
    static final String TEMPLATE = "goroutines.html";

    private GoroutineHtmlRenderer() {
    }

    /**
     * @param names     the snapshots' display names, in input order
     * @param rows      the buckets shown (after the command's filters)
     * @param generator what wrote the page (e.g. "godiag 1.2.3"), or null
     */
    public static void write(GoroutineAnalysis.Result r, List<String> names, List<GoroutineAnalysis.Row> rows,
                             String generator, OutputStream os) throws IOException {
        String report = GoroutineRenderers.json(r, names, rows);
        ScriptJson.page(TEMPLATE, "goroutines", generator, report, os);
    }
}
