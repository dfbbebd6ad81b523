package dev.godiag.guard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.watch.TargetStatus;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * guard's HTTP surface: Prometheus text at {@code /metrics}, the targets and alerts as JSON
 * ({@code /api/guard/targets}, {@code /api/guard/alerts}, one alert at
 * {@code /api/guard/alerts/{id}}, its captured files under {@code /api/guard/captures/}), a reload
 * at {@code POST /-/reload} and Prometheus' {@code /-/healthy} and {@code /-/ready}. Every error is
 * a JSON body {@code {"error": "..."}}. Jetty on virtual threads.
 */
public final class GuardServer implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_ALERTS = 1000;

    private final Javalin app;

    private GuardServer(Javalin app) {
        this.app = app;
    }

    /** Serves {@code guard} on {@code host:port} (port 0: any free port). */
    public static GuardServer start(Guard guard, String host, int port) {
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics(guard)));
            routes(config.routes, guard);
            config.routes.get("/-/healthy", ctx -> ctx.result("guard is healthy.\n"));
            config.routes.get("/-/ready", ctx -> ctx.result("guard is ready.\n"));
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, String.valueOf(e.getMessage())));
        });
        app.start();
        return new GuardServer(app);
    }

    /** guard's API (/api/guard/*) and its reload, on any server (its own, or godiag serve's). */
    public static void routes(RoutesConfig routes, Guard guard) {
        routes.get("/api/guard/targets", ctx -> json(ctx, targets(guard)));
        routes.get("/api/guard/alerts", ctx -> alerts(ctx, guard));
        routes.get("/api/guard/alerts/{id}", ctx -> {
            Optional<Alert> a = guard.repository().alert(ctx.pathParam("id"));
            if (a.isEmpty()) {
                error(ctx, 404, "no alert " + ctx.pathParam("id"));
            } else {
                json(ctx, new String(guard.alertJson().bytes(a.get()), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        routes.get("/api/guard/evidence/{capture}", ctx -> evidence(ctx, guard));
        routes.get("/api/guard/evidence/{capture}/{file}", ctx -> capture(ctx, guard));
        routes.post("/-/reload", ctx -> {
            List<String> problems = guard.reload();
            if (problems.isEmpty()) {
                json(ctx, "{\"status\":\"success\"}");
            } else {
                error(ctx, 400, String.join("\n", problems));
            }
        });
    }

    /** guard's metrics in Prometheus' text format. */
    public static String metrics(Guard guard) {
        return GuardMetrics.render(guard);
    }

    public int port() {
        return app.port();
    }

    private static void alerts(Context ctx, Guard guard) {
        String state = ctx.queryParam("state");
        AlertState filter = null;
        if (state != null && !state.isEmpty()) {
            for (AlertState s : AlertState.values()) {
                if (s.key().equals(state)) {
                    filter = s;
                }
            }
            if (filter == null) {
                error(ctx, 400, "state must be firing or resolved, not " + state);
                return;
            }
        }
        List<Alert> alerts = guard.repository().alerts(filter, MAX_ALERTS);
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("alerts");
            for (Alert a : alerts) {
                guard.alertJson().write(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json(ctx, out.toString());
    }

    private static void evidence(Context ctx, Guard guard) {
        String id = ctx.pathParam("capture");
        var files = guard.repository().evidenceFiles(id);
        if (files.isEmpty()) {
            error(ctx, 404, "no capture " + id);
            return;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("capture", id);
            g.writeStringField("alert", files.get(0).alertId());
            g.writeArrayFieldStart("files");
            for (var f : files) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeNumberField("bytes", f.sizeBytes());
                g.writeStringField("url", "/api/guard/evidence/" + id + "/" + f.name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json(ctx, out.toString());
    }

    private static void capture(Context ctx, Guard guard) {
        String id = ctx.pathParam("capture");
        String file = ctx.pathParam("file");
        Optional<byte[]> bytes = guard.repository().evidenceFile(id, file);
        if (bytes.isEmpty()) {
            error(ctx, 404, "no file " + file + " in capture " + id);
            return;
        }
        ctx.contentType(file.endsWith(".txt") ? "text/plain; charset=utf-8" : "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + file.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
                .result(bytes.get());
    }

    static String targets(Guard guard) {
        List<TargetRunner> rs = new ArrayList<>(guard.runners());
        rs.sort(Comparator.comparing(r -> r.target.key()));
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("targets");
            for (TargetRunner r : rs) {
                Reading last = r.last;
                TargetStatus st = r.watch.status();
                g.writeStartObject();
                g.writeStringField("job", r.target.job());
                g.writeStringField("target", r.target.address());
                g.writeObjectFieldStart("labels");
                for (Map.Entry<String, String> l : r.target.labels().entrySet()) {
                    g.writeStringField(l.getKey(), l.getValue());
                }
                g.writeEndObject();
                g.writeStringField("stage", r.job.stage().key());
                g.writeStringField("health", last == null ? "unknown" : last.up() ? "up" : "down");
                g.writeBooleanField("warming_up", st.warmingUp());
                if (last != null) {
                    g.writeStringField("last_scrape", last.at().toString());
                    g.writeNumberField("last_scrape_duration_seconds", last.duration().toNanos() / 1e9);
                    if (!last.up()) {
                        g.writeStringField("last_error", last.error());
                    }
                    g.writeStringField("source", last.source());
                }
                g.writeObjectFieldStart("metrics");
                for (Metric m : Metric.values()) {
                    g.writeObjectFieldStart(m.key());
                    number(g, "value", last == null ? OptionalDouble.empty() : last.value(m));
                    TargetStatus.MetricStatus ms = st.metrics().get(m);
                    number(g, "baseline", ms == null ? OptionalDouble.empty() : ms.baseline());
                    number(g, "ceiling", ms == null ? OptionalDouble.empty() : ms.ceiling());
                    g.writeNumberField("over_streak", ms == null ? 0 : ms.overStreak());
                    if (ms != null && ms.firing()) {
                        g.writeStringField("alert", ms.alert().id());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeNumberField("scrapes_ok", r.scrapesOk.get());
                g.writeNumberField("scrapes_failed", r.scrapesFailed.get());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void number(JsonGenerator g, String key, OptionalDouble v) throws IOException {
        if (v.isPresent()) {
            g.writeNumberField(key, v.getAsDouble());
        } else {
            g.writeNullField(key);
        }
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json").result(body);
    }

    static void error(Context ctx, int status, String message) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).contentType("application/json").result(out.toString());
    }

    @Override
    public void close() {
        app.stop();
    }
}
