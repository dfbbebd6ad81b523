package dev.godiag.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.diagnosis.Advice;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Diagnoser and one KnowledgeBase shared by eight threads diagnosing the corpus sets (read as
 * diagnose reads them, as DiagnoseCorpusTest runs them) at once, each set's input shared by all
 * threads before any analysis of it is computed: every report is the one a sequential run makes.
 */
class DiagnoseConcurrencyTest {
    static final List<String> SETS = List.of("go1.19/cpuwork", "go1.19/leakysvc", "go1.27/cpuwork", "go1.27/leakysvc");
    static final int THREADS = 8;
    /** A card placeholder ({key} or {key:regex}) that no value of the finding filled. */
    static final Pattern UNFILLED = Pattern.compile("\\{[A-Za-z][A-Za-z0-9_]*(:regex)?}");

    static DiagnoseInputs.Result read(String set) {
        return DiagnoseInputs.read(List.of(new Source.File(Corpus.file(set))), EngineContext.of("test"),
                new DiagnoseRequest.Live(true, 5));
    }

    /** The JSON report of a set: findings, their evidence and what their cards say. */
    static String report(Diagnoser diagnoser, KnowledgeBase kb, DiagnoseInputs.Result in) {
        List<DiagnosisRenderers.Item> items = new ArrayList<>();
        for (Finding f : diagnoser.run(in.input(), RuleConfig.DEFAULT)) {
            items.add(new DiagnosisRenderers.Item(f, null, null, kb.advice(f)));
        }
        return DiagnosisRenderers.json(new DiagnosisRenderers.Report(in.rows(), items, diagnoser.rules().size(), 0,
                "info"), "test");
    }

    @Test
    void eightThreadsAtOnceMakeTheSequentialReports() throws Exception {
        Diagnoser diagnoser = Diagnoser.withRegisteredRules();
        KnowledgeBase kb = KnowledgeBase.shipped();
        Map<String, String> sequential = new LinkedHashMap<>();
        for (String set : SETS) {
            DiagnoseInputs.Result in = read(set);
            sequential.put(set, report(diagnoser, kb, in));
            for (Finding f : diagnoser.run(in.input(), RuleConfig.DEFAULT)) {
                Advice a = kb.advice(f);
                assertThat(a.fix()).as(f.rule()).isNotBlank();
                List<String> texts = new ArrayList<>(List.of(a.explanation(), a.fix()));
                a.cards().forEach(c -> texts.addAll(c.verify()));
                assertThat(texts).as("%s: every placeholder filled", f.rule())
                        .noneMatch(t -> UNFILLED.matcher(t).find());
            }
        }
        for (String r : sequential.values()) {
            assertThat(new ObjectMapper().readTree(r).get("findings").size()).isPositive();
        }

        Map<String, DiagnoseInputs.Result> shared = new LinkedHashMap<>();
        for (String set : SETS) {
            shared.put(set, read(set)); // nothing computed yet: the threads race for every analysis
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Map<String, String>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    Map<String, String> out = new LinkedHashMap<>();
                    for (int k = 0; k < SETS.size(); k++) {
                        String set = SETS.get((first + k) % SETS.size()); // the threads start on different sets
                        out.put(set, report(diagnoser, kb, shared.get(set)));
                    }
                    return out;
                }));
            }
            for (Future<Map<String, String>> f : futures) {
                Map<String, String> reports = f.get();
                for (String set : SETS) {
                    assertThat(reports.get(set)).as(set).isEqualTo(sequential.get(set));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
