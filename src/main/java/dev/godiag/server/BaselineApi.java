package dev.godiag.server;

import dev.godiag.store.BaselineRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The baselines of {@code godiag baseline save} and {@code godiag gate}, from the same database
 * ({@code --db}): the list, and a baseline's runs with their inputs and metrics, newest first.
 */
final class BaselineApi {
    private BaselineApi() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        routes.get("/api/baselines", ctx -> list(ctx, sc));
        routes.get("/api/baselines/{name}", ctx -> show(ctx, sc));
    }

    private static void list(Context ctx, ServeContext sc) {
        List<BaselineRepository.Summary> list = sc.baselines().list();
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("baselines");
            for (BaselineRepository.Summary s : list) {
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeNumberField("runs", s.runs());
                g.writeStringField("created", s.createdAt().toString());
                Http.field(g, "last_run", s.lastRunAt() == null ? null : s.lastRunAt().toString());
                Http.field(g, "last_label", s.lastLabel());
                g.writeStringField("url", "/api/baselines/"
                        + URLEncoder.encode(s.name(), StandardCharsets.UTF_8).replace("+", "%20"));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void show(Context ctx, ServeContext sc) {
        // the repository's own checks answer as a store failure: a name it would refuse is the client's
        String name = UploadApi.name(ctx.pathParam("name"), "the baseline name");
        if (name == null) {
            throw new Http.ClientError(400, "the baseline name is empty");
        }
        List<BaselineRepository.Run> runs = sc.baselines().history(name, Http.intParam(ctx, "runs", 20, 1, 500));
        if (runs.isEmpty()) {
            throw new Http.ClientError(404, "no baseline " + name);
        }
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeArrayFieldStart("runs");
            for (BaselineRepository.Run r : runs) {
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeStringField("created", r.createdAt().toString());
                Http.field(g, "label", r.label());
                Http.field(g, "source", r.source() == null || r.source().isEmpty() ? null : r.source());
                g.writeArrayFieldStart("inputs");
                for (BaselineRepository.StoredInput in : r.inputs()) {
                    g.writeStartObject();
                    g.writeNumberField("position", in.position());
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
                    Http.field(g, "unit", m.unit());
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
