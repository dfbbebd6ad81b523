package dev.godiag.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.diagnosis.KnowledgeBase;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.List;

/**
 * The knowledge base's cards as godiag ships them: the list (with the symptom table that leads
 * from what a user sees to the cards of its possible causes) and each card in full.
 */
final class CardApi {
    private CardApi() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        KnowledgeBase kb = KnowledgeBase.shipped();
        routes.get("/api/cards", ctx -> list(ctx, kb));
        routes.get("/api/cards/{id}", ctx -> show(ctx, kb));
    }

    private static void list(Context ctx, KnowledgeBase kb) {
        String topic = Http.param(ctx, "topic");
        List<KnowledgeBase.Card> cards = kb.cards().stream()
                .filter(c -> topic == null || topic.equals(c.topic())).toList();
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("cards");
            for (KnowledgeBase.Card c : cards) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeStringField("title", c.title());
                g.writeStringField("topic", c.topic());
                g.writeStringField("url", "/api/cards/" + c.id());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("symptoms");
            for (KnowledgeBase.Symptom s : kb.symptoms()) {
                g.writeStartObject();
                g.writeStringField("symptom", s.symptom());
                g.writeArrayFieldStart("causes");
                for (KnowledgeBase.Cause c : s.causes()) {
                    writeCause(g, c);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void show(Context ctx, KnowledgeBase kb) {
        String id = ctx.pathParam("id");
        KnowledgeBase.Card c = kb.card(id);
        if (c == null) {
            throw new Http.ClientError(404, "no card " + (id.length() > 100 ? id.substring(0, 100) + "…" : id));
        }
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("title", c.title());
            g.writeStringField("topic", c.topic());
            Http.field(g, "mechanism", c.mechanism());
            strings(g, "signs", c.signs());
            g.writeArrayFieldStart("verify");
            for (KnowledgeBase.Verify v : c.verify()) {
                g.writeStartObject();
                g.writeStringField("command", v.command());
                Http.field(g, "what", v.what());
                g.writeEndObject();
            }
            g.writeEndArray();
            Http.field(g, "fix", c.fix());
            g.writeFieldName("example");
            if (c.example() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                Http.field(g, "before", c.example().before());
                Http.field(g, "after", c.example().after());
                g.writeEndObject();
            }
            strings(g, "references", c.references());
            // the symptoms this card explains a cause of: the way back to the table
            g.writeArrayFieldStart("symptoms");
            for (KnowledgeBase.Symptom s : kb.symptoms()) {
                for (KnowledgeBase.Cause cause : s.causes()) {
                    if (cause.rules().contains(c.id())) {
                        g.writeStartObject();
                        g.writeStringField("symptom", s.symptom());
                        g.writeStringField("cause", cause.cause());
                        Http.field(g, "verify", cause.verify());
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeCause(JsonGenerator g, KnowledgeBase.Cause c) throws IOException {
        g.writeStartObject();
        g.writeStringField("cause", c.cause());
        strings(g, "rules", c.rules());
        Http.field(g, "verify", c.verify());
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
