package dev.godiag.server;

import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.KnowledgeBase.Card;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The knowledge base's pages: {@code /kb} lists the cards by topic, filtered by {@code ?q=} on the
 * server (and as the user types, by {@code static/kb.js}); {@code /kb/{id}} is one card whole:
 * explanation, signs, how to verify, the fix with its before/after example, the rules whose findings
 * it explains and the symptoms it answers.
 */
final class KnowledgePages {
    /** The topics in the order an engineer meets them; others follow by name. */
    private static final List<String> TOPICS = List.of("cpu", "memory", "gc", "goroutines", "locks", "io",
            "scheduler", "code");
    private static final int MAX_QUERY = 200;
    private static final Map<String, String> TOPIC_NAMES = Map.of("cpu", "CPU", "memory", "Memory", "gc", "GC",
            "goroutines", "Goroutines", "locks", "Locks", "io", "I/O", "scheduler", "Scheduler", "code", "Code patterns");

    private KnowledgePages() {
    }

    static void register(RoutesConfig routes, KnowledgeBase kb, Diagnoser diagnoser) {
        routes.get("/kb", ctx -> list(ctx, kb));
        routes.get("/kb/{id}", ctx -> card(ctx, kb, diagnoser));
    }

    // ---- /kb

    private static void list(Context ctx, KnowledgeBase kb) {
        String q = Http.param(ctx, "q");
        if (q != null && q.length() > MAX_QUERY) {
            q = q.substring(0, MAX_QUERY);
        }
        List<String> terms = terms(q);
        Map<String, List<Card>> byTopic = new TreeMap<>((a, b) -> {
            int ia = TOPICS.indexOf(a);
            int ib = TOPICS.indexOf(b);
            if (ia >= 0 || ib >= 0) {
                return ia < 0 ? 1 : ib < 0 ? -1 : Integer.compare(ia, ib);
            }
            return a.compareTo(b);
        });
        int shown = 0;
        List<Card> all = kb.cards();
        // every card is on the page (so the script can widen a search as the user types); those that
        // do not match the server's query are hidden
        for (Card c : all) {
            byTopic.computeIfAbsent(c.topic(), t -> new ArrayList<>()).add(c);
            if (matches(c, terms)) {
                shown++;
            }
        }
        StringBuilder b = new StringBuilder(32768);
        b.append("<h1>Knowledge base</h1><p class=\"muted\">What each finding means, how to confirm it and how to fix"
                + " it: the cards behind every report.</p>");
        b.append("<form class=\"kb-search\" method=\"get\" action=\"/kb\" role=\"search\">")
                .append("<label for=\"kb-q\" class=\"visually-hidden\">Search the cards</label>")
                .append("<input id=\"kb-q\" name=\"q\" type=\"search\" autocomplete=\"off\"")
                .append(" placeholder=\"Search: leak, mutex, json, GC pauses…\" value=\"").append(Page.esc(q)).append("\">")
                .append("<button type=\"submit\">Search</button></form>");
        b.append("<p class=\"muted\" id=\"kb-count\" data-total=\"").append(all.size()).append("\">")
                .append(q == null ? all.size() + " cards" : shown + " of " + all.size() + " cards match "
                        + "<q>" + Page.esc(q) + "</q> · <a href=\"/kb\">all cards</a>").append("</p>");
        for (Map.Entry<String, List<Card>> t : byTopic.entrySet()) {
            long visible = t.getValue().stream().filter(c -> matches(c, terms)).count();
            b.append("<section class=\"kb-topic\" id=\"topic-").append(Page.esc(t.getKey())).append('"')
                    .append(visible == 0 ? " hidden" : "").append("><h2>")
                    .append(Page.esc(topicName(t.getKey()))).append(" <span class=\"muted count\">").append(visible)
                    .append("</span></h2><ul class=\"cards\">");
            for (Card c : t.getValue()) {
                b.append("<li class=\"card-item\" id=\"card-").append(Page.esc(c.id())).append("\" data-search=\"")
                        .append(Page.esc(haystack(c))).append('"').append(matches(c, terms) ? "" : " hidden").append('>')
                        .append("<a href=\"/kb/").append(Page.esc(c.id())).append("\"><span class=\"card-title\">")
                        .append(Page.esc(c.title())).append("</span> <code class=\"card-id\">").append(Page.esc(c.id()))
                        .append("</code></a><p class=\"muted\">").append(Page.esc(firstSentence(c.mechanism())))
                        .append("</p></li>");
            }
            b.append("</ul></section>");
        }
        b.append("<p class=\"muted kb-none\" id=\"kb-none\"").append(shown == 0 ? "" : " hidden")
                .append(">No card matches. <a href=\"/kb\">All cards</a></p>");
        b.append("<script src=\"/static/kb.js\" defer></script>");
        Page.send(ctx, 200, "Knowledge base", "/kb", b.toString());
    }

    private static String topicName(String topic) {
        return TOPIC_NAMES.getOrDefault(topic, topic);
    }

    static List<String> terms(String q) {
        if (q == null) {
            return List.of();
        }
        return Arrays.stream(q.toLowerCase(Locale.ROOT).split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** Every term in the card's id, title, topic, explanation, signs or fix. */
    static boolean matches(Card c, List<String> terms) {
        String h = haystack(c);
        return terms.stream().allMatch(h::contains);
    }

    private static String haystack(Card c) {
        return String.join(" ", c.id(), c.title(), c.topic(), c.mechanism(), String.join(" ", c.signs()), c.fix())
                .toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private static String firstSentence(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        int end = t.indexOf(". ");
        String s = end < 0 ? t : t.substring(0, end + 1);
        return s.length() > 220 ? s.substring(0, 219) + "…" : s;
    }

    // ---- /kb/{id}

    private static void card(Context ctx, KnowledgeBase kb, Diagnoser diagnoser) {
        String id = ctx.pathParam("id");
        Card c = kb.card(id);
        if (c == null) {
            Page.send(ctx, 404, "No such card", "/kb", "<h1>No such card</h1><p>The knowledge base has no card <code>"
                    + Page.esc(id) + "</code>. <a href=\"/kb\">All cards</a></p>");
            return;
        }
        StringBuilder b = new StringBuilder(16384);
        b.append("<p class=\"crumbs\"><a href=\"/kb\">Knowledge base</a> / <a href=\"/kb#topic-")
                .append(Page.esc(ServicePages.url(c.topic()))).append("\">").append(Page.esc(topicName(c.topic())))
                .append("</a></p><article class=\"kb-card\"><h1>").append(Page.esc(c.title())).append("</h1>")
                .append("<p><code class=\"card-id\">").append(Page.esc(c.id())).append("</code></p>");
        b.append("<h2 id=\"explanation\">What happens</h2>").append(paragraphs(c.mechanism()));
        if (!c.signs().isEmpty()) {
            b.append("<h2 id=\"signs\">How it shows</h2><ul>");
            for (String s : c.signs()) {
                b.append("<li>").append(Page.esc(s)).append("</li>");
            }
            b.append("</ul>");
        }
        if (!c.verify().isEmpty()) {
            b.append("<h2 id=\"verify\">How to confirm it</h2><ol class=\"verify\">");
            for (KnowledgeBase.Verify v : c.verify()) {
                b.append("<li><pre class=\"code\"><code>").append(Page.esc(v.command())).append("</code></pre>")
                        .append(v.what() == null ? "" : "<p class=\"muted\">" + Page.esc(v.what()) + "</p>")
                        .append("</li>");
            }
            b.append("</ol><p class=\"muted help\">Words in braces (<code>{cpuProfile}</code>, <code>{function}</code>)"
                    + " are filled with the finding's own values in a report.</p>");
        }
        b.append("<h2 id=\"fix\">How to fix it</h2><div class=\"fix\">").append(paragraphs(c.fix())).append("</div>");
        if (c.example() != null) {
            b.append("<h2 id=\"example\">Example</h2><div class=\"example\"><figure><figcaption>Before</figcaption>")
                    .append("<pre class=\"code before\"><code>").append(Page.esc(c.example().before()))
                    .append("</code></pre></figure><figure><figcaption>After</figcaption><pre class=\"code after\"><code>")
                    .append(Page.esc(c.example().after())).append("</code></pre></figure></div>");
        }
        related(b, c, kb, diagnoser);
        if (!c.references().isEmpty()) {
            b.append("<h2 id=\"references\">References</h2><ul>");
            for (String r : c.references()) {
                boolean web = r.startsWith("https://") || r.startsWith("http://");
                b.append("<li>").append(web ? "<a rel=\"noreferrer noopener\" href=\"" + Page.esc(r) + "\">" : "")
                        .append(Page.esc(r)).append(web ? "</a>" : "").append("</li>");
            }
            b.append("</ul>");
        }
        b.append("</article>");
        Page.send(ctx, 200, c.title(), "/kb", b.toString());
    }

    /** The rules whose findings this card explains, and the symptoms whose causes those rules detect. */
    private static void related(StringBuilder b, Card c, KnowledgeBase kb, Diagnoser diagnoser) {
        List<RuleInfo> rules = new ArrayList<>();
        for (Rule r : diagnoser.rules()) {
            if (r.info().cards().contains(c.id())) {
                rules.add(r.info());
            }
        }
        rules.sort((x, y) -> x.id().compareTo(y.id()));
        b.append("<h2 id=\"rules\">Rules</h2>");
        if (rules.isEmpty()) {
            b.append("<p class=\"muted\">No rule of this godiag cites this card.</p>");
        } else {
            b.append("<ul class=\"rules\">");
            for (RuleInfo r : rules) {
                b.append("<li><code>").append(Page.esc(r.id())).append("</code> ").append(Page.esc(r.description()));
                List<String> others = r.cards().stream().filter(o -> !o.equals(c.id()) && kb.card(o) != null).toList();
                if (!others.isEmpty()) {
                    b.append(" <span class=\"muted\">· also explained by</span>");
                    for (String o : others) {
                        b.append(" <a href=\"/kb/").append(Page.esc(o)).append("\">").append(Page.esc(o)).append("</a>");
                    }
                }
                b.append("</li>");
            }
            b.append("</ul>");
        }
        List<String> ruleIds = new ArrayList<>(rules.stream().map(RuleInfo::id).toList());
        ruleIds.add(c.id());
        Map<String, List<KnowledgeBase.Cause>> symptoms = new LinkedHashMap<>();
        for (KnowledgeBase.Symptom s : kb.symptoms()) {
            for (KnowledgeBase.Cause cause : s.causes()) {
                if (cause.rules().stream().anyMatch(ruleIds::contains)) {
                    symptoms.computeIfAbsent(s.symptom(), k -> new ArrayList<>()).add(cause);
                }
            }
        }
        if (!symptoms.isEmpty()) {
            b.append("<h2 id=\"symptoms\">Symptoms it explains</h2><ul class=\"symptoms\">");
            for (Map.Entry<String, List<KnowledgeBase.Cause>> s : symptoms.entrySet()) {
                b.append("<li><strong>").append(Page.esc(s.getKey())).append("</strong><ul>");
                for (KnowledgeBase.Cause cause : s.getValue()) {
                    b.append("<li>").append(Page.esc(cause.cause()));
                    for (String r : cause.rules()) {
                        if (!r.equals(c.id()) && kb.card(r) != null) {
                            b.append(" <a href=\"/kb/").append(Page.esc(r)).append("\">").append(Page.esc(r)).append("</a>");
                        }
                    }
                    b.append("</li>");
                }
                b.append("</ul></li>");
            }
            b.append("</ul>");
        }
    }

    /** Text with blank lines between paragraphs (as the cards' YAML holds it) as HTML paragraphs. */
    static String paragraphs(String text) {
        StringBuilder b = new StringBuilder(text.length() + 64);
        for (String p : text.strip().split("\\n\\s*\\n")) {
            if (!p.isBlank()) {
                b.append("<p>").append(Page.esc(p.strip().replaceAll("\\s*\\n\\s*", " "))).append("</p>");
            }
        }
        return b.toString();
    }
}
