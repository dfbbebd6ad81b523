package dev.godiag.report;

import dev.godiag.analysis.trace.TraceAnalysis;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The trace page: the template {@code trace.html} (inline script and style, no network) with the
 * report embedded as {@code {"schema": 1, "generator": ..., "report": R}}, where R is exactly what
 * {@code godiag trace --format json} ({@link TraceRenderers#json}) writes.
 */
public final class TraceHtmlRenderer {
    static final String TEMPLATE = "trace.html";

    private TraceHtmlRenderer() {
    }

    /** The page of this analysis; generator: what wrote the page, or null. */
    public static void write(TraceAnalysis a, String generator, OutputStream os) throws IOException {
        String report = TraceRenderers.json(a);
        ScriptJson.page(TEMPLATE, null, generator, report, os);
    }
}
