package dev.godiag.server;

import dev.godiag.diagnosis.KnowledgeBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The knowledge base's pages against a running server: every card listed, the search, a card whole. */
class KnowledgePagesTest {
    static final KnowledgeBase KB = KnowledgeBase.shipped();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The ids of the cards listed and not hidden. */
    static List<String> shown(String body) {
        Matcher m = Pattern.compile("<li class=\"card-item\" id=\"card-([^\"]+)\" data-search=\"[^\"]*\">").matcher(body);
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void theListHasEveryCardOfTheKnowledgeBaseUnderItsTopic() {
        TestServer.Answer a = server.get("/kb");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Security-Policy")).isEqualTo(Page.CSP);
        String body = a.body();
        assertThat(KB.cards()).hasSizeGreaterThan(30);
        assertThat(shown(body)).containsExactlyInAnyOrderElementsOf(KB.cards().stream().map(KnowledgeBase.Card::id).toList());
        for (KnowledgeBase.Card c : KB.cards()) {
            assertThat(body).contains("<a href=\"/kb/" + c.id() + "\"><span class=\"card-title\">" + Page.esc(c.title())
                    + "</span>");
            // under its topic's section
            int section = body.lastIndexOf("<section class=\"kb-topic\" id=\"topic-", body.indexOf("id=\"card-" + c.id() + "\""));
            assertThat(body.substring(section)).startsWith("<section class=\"kb-topic\" id=\"topic-" + c.topic() + "\"");
        }
        assertThat(body).contains("<script src=\"/static/kb.js\" defer></script>");
        TestServer.Answer js = server.get("/static/kb.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
    }

    @Test
    void aSearchShowsOnlyTheCardsWithEveryWord() {
        String body = server.get("/kb?q=channel+send").body();
        List<String> shown = shown(body);
        List<String> expected = KB.cards().stream().filter(c -> KnowledgePages.matches(c, List.of("channel", "send")))
                .map(KnowledgeBase.Card::id).toList();
        assertThat(shown).containsExactlyInAnyOrderElementsOf(expected).contains("goroutines.leak.chan-send")
                .doesNotContain("cpu.hotspot", "gc.pauses");
        // the others are on the page, hidden (the script widens the search as the user types)
        assertThat(body).contains("id=\"card-cpu.hotspot\"").containsPattern("id=\"card-cpu.hotspot\" data-search=\"[^\"]*\" hidden>");
        assertThat(body).contains(expected.size() + " of " + KB.cards().size() + " cards match <q>channel send</q>");

        String none = server.get("/kb?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").body();
        assertThat(shown(none)).isEmpty();
        assertThat(none).contains("<q>&lt;script&gt;alert(1)&lt;/script&gt;</q>").doesNotContain("<script>alert")
                .contains("<p class=\"muted kb-none\" id=\"kb-none\">No card matches.");
    }

    @Test
    void aCardPageShowsItsExplanationFixExampleVerifyCommandsAndRules() {
        KnowledgeBase.Card c = KB.card("cpu.hotspot");
        TestServer.Answer a = server.get("/kb/cpu.hotspot");
        assertThat(a.status()).isEqualTo(200);
        String body = a.body();
        assertThat(body).contains("<h1>" + Page.esc(c.title()) + "</h1>");
        assertThat(body).contains(KnowledgePages.paragraphs(c.fix())).contains(Page.esc("Do less work per call"));
        assertThat(body).contains("<pre class=\"code before\"><code>" + Page.esc(c.example().before()) + "</code></pre>")
                .contains("<pre class=\"code after\"><code>" + Page.esc(c.example().after()) + "</code></pre>");
        for (KnowledgeBase.Verify v : c.verify()) {
            assertThat(body).contains("<pre class=\"code\"><code>" + Page.esc(v.command()) + "</code></pre>");
        }
        assertThat(body).contains("<li><code>cpu.hotspot</code>");
        // the symptom table's causes detected by this rule
        assertThat(body).contains("<strong>high CPU with low throughput</strong>");
    }

    @Test
    void everyCardHasAPageWithItsFix() {
        for (KnowledgeBase.Card c : KB.cards()) {
            TestServer.Answer a = server.get("/kb/" + c.id());
            assertThat(a.status()).as(c.id()).isEqualTo(200);
            assertThat(a.body()).as(c.id()).contains("<h2 id=\"fix\">How to fix it</h2><div class=\"fix\">"
                    + KnowledgePages.paragraphs(c.fix()) + "</div>");
        }
    }

    @Test
    void anUnknownCardIsAPageSayingSoEscaped() {
        TestServer.Answer a = server.get("/kb/%3Cimg%20src=x%3E");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.body()).contains("no card <code>&lt;img src=x&gt;</code>").doesNotContain("<img");
    }
}
