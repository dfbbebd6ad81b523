package dev.godiag.engine;

import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.FoldedRenderer;
import dev.godiag.report.SpeedscopeRenderer;
import dev.godiag.report.TopTextRenderer;
import dev.godiag.testutil.Godiag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Engine results laid out by the report renderers, as the CLI lays them out, for comparing. */
final class Rendered {
    private Rendered() {
    }

    /** The version the CLI puts in its pages, so an engine made here writes the same ones. */
    static String cliVersion() {
        return Godiag.run("--version").stdout().strip();
    }

    interface Body {
        void write(java.io.OutputStream os) throws IOException;
    }

    static byte[] bytes(Body body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            body.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static String text(Body body) {
        return new String(bytes(body), StandardCharsets.UTF_8);
    }

    static String top(TopResult r) {
        return TopTextRenderer.render(r.view());
    }

    static byte[] flame(FlameResult result) {
        return bytes(switch (result) {
            case FlameResult.Graph g -> os -> FlameHtmlRenderer.write(g.tree(), g.page(), null, os);
            case FlameResult.Pprof p -> os -> ProtoProfileWriter.write(p.profile(), os);
            case FlameResult.Folded f -> os -> {
                Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                FoldedRenderer.write(f.stacks(), f.sampleIndex(), f.mean(), w);
                w.flush();
            };
            case FlameResult.Speedscope s -> os -> SpeedscopeRenderer.write(s.stacks(), s.sampleTypes(),
                    s.sampleIndex(), s.name(), s.mean(), s.generator(), os);
        });
    }

    /** Warnings as the CLI prints them: one line each on stderr. */
    static String warnings(java.util.List<String> w) {
        StringBuilder sb = new StringBuilder();
        w.forEach(s -> sb.append(s).append(System.lineSeparator()));
        return sb.toString();
    }
}
