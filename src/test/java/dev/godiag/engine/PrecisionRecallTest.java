package dev.godiag.engine;

import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The precision/recall table of diagnose (README, "How right is it"): every capture the tests have
 * (the corpus sets of real Go services and pprof's own test profiles, and the test services of
 * testdata/gen run under Go 1.19 and 1.27) diagnosed as a user would (every file of the capture,
 * default options), against a table of what a Go engineer expects found there (a rule at a
 * function, from the programs' documented ground truth) and what must not be there (false alarms:
 * rules that do not apply, verdicts stronger than the evidence, findings on frames nobody can
 * act on). Prints the table in the README's form and fails on any miss or false alarm. A capture
 * whose Go toolchain or corpus is missing is skipped locally (and fails in CI, as every Go test).
 */
class PrecisionRecallTest {
    @TempDir
    static Path runs;

    private static final EngineContext CONTEXT = EngineContext.of("godiag test");
    private static final Pattern UNSYMBOLIZED = Pattern.compile("<unknown>|\\[vdso]|\\b0x[0-9a-f]+\\b|\\b[0-9a-f]{16}\\b");

    /** A finding a Go engineer expects: a rule (or a rule family, "goroutines.") at a function (null: anywhere). */
    record Expect(String rule, String function) {
        boolean matches(Finding f) {
            boolean rule = this.rule.endsWith(".") ? f.rule().startsWith(this.rule) : f.rule().equals(this.rule);
            return rule && (function == null || f.location() != null && function.equals(f.location().function()));
        }

        @Override
        public String toString() {
            return function == null ? rule : rule + " @ " + function;
        }
    }

    /** A finding that must not be there, and why. */
    record Forbid(String why, Predicate<Finding> finding) {
    }

    /** One capture: how to get its files, what must be found and what must not. */
    record Capture(String name, InputsSupplier inputs, List<Expect> expected, List<Forbid> forbidden) {
    }

    interface InputsSupplier {
        List<Path> get() throws Exception;
    }

    static Forbid rule(String id, String why) {
        return new Forbid(id + " (" + why + ")", f -> f.rule().equals(id));
    }

    static Forbid family(String prefix, String why) {
        return new Forbid(prefix + "* (" + why + ")", f -> f.rule().startsWith(prefix));
    }

    static Forbid atLeast(Severity s, String why) {
        return new Forbid("any " + s.id() + " or above (" + why + ")", f -> f.severity().compareTo(s) >= 0);
    }

    /** False alarms no capture may have. */
    static final List<Forbid> ALWAYS = List.of(
            new Forbid("a finding on a frame nobody can act on (<unknown>, [vdso], a bare address)",
                    f -> UNSYMBOLIZED.matcher(f.title()).find()
                            || f.location() != null && UNSYMBOLIZED.matcher(f.location().function()).find()),
            new Forbid("a CPU verdict above info from fewer than 100 samples",
                    f -> f.evidence().get("cpuSamples") instanceof Long n && n < 100
                            && f.severity().compareTo(Severity.INFO) > 0 && !f.evidence().containsKey("allocShare")),
            new Forbid("lock contention charged to the runtime's own locks",
                    f -> f.rule().equals("locks.contention") && f.location() != null
                            && f.location().function().startsWith("runtime.")));

    static List<Capture> captures() {
        List<Capture> out = new ArrayList<>();
        for (String v : List.of("go1.19", "go1.27")) {
            out.add(new Capture("corpus " + v + "/cpuwork", () -> List.of(Corpus.file(v + "/cpuwork")),
                    List.of(new Expect("code.regex-compile", "main.validate"),
                            new Expect("locks.contention", "main.hotLock"),
                            new Expect("code.string-building", "main.checksum"),
                            new Expect("cpu.hotspot", "main.fib"),
                            new Expect("code.json-reflection", "main.parseOrder"),
                            new Expect("cpu.off-cpu", null)),
                    List.of(rule("memory.heap-growth", "the heap is stable"),
                            family("goroutines.", "a batch program with no leak"),
                            rule("cpu.gc-work", "the collector's own share is 3-5%: the rest is background sweep on idle Ps"),
                            rule("cpu.scheduler-overhead", "idle Ps polling the network are not overhead"))));
            List<Expect> leaks = new ArrayList<>();
            for (String fn : List.of("main.leakRange.func1", "main.leakSend.func1", "main.leakSelect.func1",
                    "main.leakNil.func1", "main.leakCtx.func1", "main.leakMutex.func1", "main.leakWG.func2")) {
                leaks.add(new Expect("goroutines.", fn));
            }
            leaks.add(new Expect("memory.heap-growth", "main.mem"));
            leaks.add(new Expect("locks.contention", "main.work"));
            out.add(new Capture("corpus " + v + "/leakysvc", () -> List.of(Corpus.file(v + "/leakysvc")), leaks,
                    List.of(family("cpu.", "its CPU profile holds 4-6 samples"),
                            family("code.", "its CPU profile holds 4-6 samples; no hot-path mistakes"),
                            new Forbid("a goroutine finding on the server's own main or listener",
                                    f -> f.rule().startsWith("goroutines.") && f.location() != null
                                            && f.location().function().startsWith("main.main")))));
        }
        for (String f : List.of("internal_proftest__large.cpu", "internal_report__sample.cpu",
                "internal_driver__go.nomappings.crash", "profile__gobench.heap", "profile__go.crc32.cpu",
                "profile__gobench.cpu", "profile__go.godoc.thread")) {
            out.add(new Capture("pprof testdata " + f, () -> List.of(Corpus.file("upstream/pprof/" + f)), List.of(),
                    List.of(atLeast(Severity.WARNING, "single profiles of unknown programs, several unsymbolized"))));
        }
        for (String go : List.of("1.19", "1.27")) {
            out.add(new Capture("healthysvc (Go " + go + ")", () -> List.of(run("healthysvc", go)), List.of(),
                    List.of(atLeast(Severity.WARNING, "a healthy service"),
                            rule("code.regex-compile", "its regexps are compiled once at package level"),
                            rule("code.time-after-loop", "one context.WithTimeout per request is idiomatic"),
                            family("goroutines.", "no goroutine grows"),
                            rule("memory.heap-growth", "nothing is kept per request"))));
            out.add(new Capture("offcpu (Go " + go + ")", () -> List.of(run("offcpu", go)),
                    List.of(new Expect("locks.contention", "main.(*ledger).post"), new Expect("cpu.off-cpu", null)),
                    List.of(new Forbid("a CPU or code verdict above info on a program that mostly waits",
                            f -> (f.rule().startsWith("cpu.") || f.rule().startsWith("code."))
                                    && f.severity().compareTo(Severity.INFO) > 0))));
        }
        // the goroutine leak services: each mistake found once, by its own rule, with nothing else
        List<String> stdlib = List.of("goroutines.http-body-not-closed", "goroutines.http-transport-per-request",
                "goroutines.sql-db-per-request");
        for (String go : List.of("1.19", "1.27")) {
            for (String leak : go.equals("1.27") ? List.of("body", "transport", "h2transport", "sqlopen", "none")
                    : List.of("body", "h2transport", "none")) {
                String expected = switch (leak) {
                    case "body" -> stdlib.get(0);
                    case "transport", "h2transport" -> stdlib.get(1);
                    case "sqlopen" -> stdlib.get(2);
                    default -> null;
                };
                List<Forbid> forbid = new ArrayList<>();
                stdlib.stream().filter(r -> !r.equals(expected))
                        .forEach(r -> forbid.add(rule(r, "not this run's mistake")));
                forbid.add(rule("goroutines.leak", "the standard library's goroutines are explained by their own rule"));
                if (expected == null) {
                    forbid.add(atLeast(Severity.WARNING, "a shared client that closes its bodies"));
                }
                out.add(new Capture("httpleak -leak " + leak + " (Go " + go + ")",
                        () -> List.of(run("httpleak", go, "-leak", leak)),
                        expected == null ? List.of() : List.of(new Expect(expected, null)), forbid));
            }
            out.add(new Capture("leakprims -rwmutex -cond -ticker -waitgroup -afterfunc (Go " + go + ")",
                    () -> List.of(run("leakprims", go, "-rwmutex", "-cond", "-ticker", "-waitgroup", "-afterfunc")),
                    List.of(new Expect("goroutines.leak", "main.(*cache).put"),
                            new Expect("goroutines.leak", "main.(*gate).wait"),
                            new Expect("goroutines.leak", "main.(*server).fanout"),
                            new Expect("goroutines.leak", "main.(*server).watch"),
                            new Expect("goroutines.timers-per-request", "main.(*server).handle")),
                    List.of(new Forbid("timers that fire (the 1 ms AfterFunc of -cond) reported as piling up",
                                    f -> f.rule().equals("goroutines.timers-per-request") && f.location() != null
                                            && !List.of("main.(*server).handle", "main.(*server).watch")
                                            .contains(f.location().function())),
                            new Forbid("a leak in the healthy worker pool",
                                    f -> f.rule().startsWith("goroutines.") && f.location() != null
                                            && f.location().function().contains("startPool")),
                            new Forbid("more than one finding per leak",
                                    f -> f.rule().equals("goroutines.leak") && f.location() != null
                                            && !List.of("main.(*cache).put", "main.(*gate).wait", "main.(*server).fanout",
                                                    "main.(*server).watch").contains(f.location().function())))));
        }
        return out;
    }

    /** One row of the table. */
    record Row(String capture, int expected, List<String> missed, List<String> falseAlarms, int findings,
               String skipped) {
    }

    @Test
    void everyCaptureHasWhatItShouldAndNothingItShouldNot() {
        List<Row> rows = new ArrayList<>();
        for (Capture c : captures()) {
            rows.add(evaluate(c));
        }
        String table = table(rows);
        System.out.println(table);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/precision-recall.md"), table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        for (Row r : rows) {
            r.missed().forEach(m -> problems.add(r.capture() + ": missed " + m));
            r.falseAlarms().forEach(m -> problems.add(r.capture() + ": should not be there: " + m));
            if (r.skipped() != null && Tools.inCi()) {
                problems.add(r.capture() + ": skipped in CI: " + r.skipped());
            }
        }
        assertThat(problems).isEmpty();
        assertThat(rows).filteredOn(r -> r.skipped() == null).isNotEmpty();
    }

    private static Row evaluate(Capture c) {
        List<Path> files;
        try {
            files = c.inputs().get();
        } catch (TestAbortedException e) {
            return new Row(c.name(), c.expected().size(), List.of(), List.of(), 0, e.getMessage());
        } catch (Exception e) {
            throw new AssertionError(c.name() + ": could not make the capture: " + e, e);
        }
        DiagnoseRequest request = new DiagnoseRequest(files.stream().<Source>map(Source.File::new).toList(),
                Severity.INFO, null, null, null, null, Map.of(), new DiagnoseRequest.Live(false, 1), false);
        List<Finding> findings = new Engine(CONTEXT).diagnose(request).report().items().stream()
                .map(DiagnosisRenderers.Item::finding).toList();
        List<String> missed = new ArrayList<>();
        for (Expect e : c.expected()) {
            if (findings.stream().noneMatch(e::matches)) {
                missed.add(e.toString());
            }
        }
        List<String> alarms = new ArrayList<>();
        List<Forbid> forbidden = new ArrayList<>(ALWAYS);
        forbidden.addAll(c.forbidden());
        for (Finding f : findings) {
            for (Forbid x : forbidden) {
                if (x.finding().test(f)) {
                    alarms.add(f.severity().id() + " " + f.rule() + " \"" + f.title() + "\": " + x.why());
                    break;
                }
            }
        }
        return new Row(c.name(), c.expected().size(), missed, alarms, findings.size(), null);
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| capture | expected | found | missed | should not be there | findings |\n");
        sb.append("|---|---:|---:|---|---|---:|\n");
        int expected = 0;
        int found = 0;
        int alarms = 0;
        int findings = 0;
        for (Row r : rows) {
            if (r.skipped() != null) {
                sb.append("| ").append(r.capture()).append(" | ").append(r.expected())
                        .append(" | skipped | | | |\n");
                continue;
            }
            int f = r.expected() - r.missed().size();
            expected += r.expected();
            found += f;
            alarms += r.falseAlarms().size();
            findings += r.findings();
            sb.append("| ").append(r.capture()).append(" | ").append(r.expected()).append(" | ").append(f)
                    .append(" | ").append(r.missed().isEmpty() ? "" : String.join("; ", r.missed()))
                    .append(" | ").append(r.falseAlarms().isEmpty() ? "0" : r.falseAlarms().size() + ": "
                            + String.join("; ", r.falseAlarms()))
                    .append(" | ").append(r.findings()).append(" |\n");
        }
        sb.append("| **all** | ").append(expected).append(" | ").append(found).append(" | ")
                .append(expected - found).append(" | ").append(alarms).append(" | ").append(findings).append(" |\n");
        sb.append(String.format(java.util.Locale.ROOT, "%nrecall %d/%d; false alarms %d of %d findings%n", found,
                expected, alarms, findings));
        return sb.toString();
    }

    // ---- the test services

    private static final Map<String, Path> OUTPUTS = new java.util.HashMap<>();

    /**
     * Builds testdata/gen/PROGRAM with Go VERSION and runs it once per JVM with GODEBUG=gctrace=1
     * into a directory of its own (stderr kept as gctrace.log): the directory is the capture.
     */
    static synchronized Path run(String program, String version, String... flags)
            throws IOException, InterruptedException {
        String key = program + "@" + version + String.join(" ", flags);
        Path out = OUTPUTS.get(key);
        if (out != null) {
            return out;
        }
        Path go = Tools.go(version);
        Path binary = GoFixtures.build(go, program);
        out = runs.resolve(program + "-" + GoFixtures.version(go) + String.join("", flags).replace('-', '_'));
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-out", out.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(out.resolve("gctrace.log").toFile());
        pb.environment().put("GODEBUG", "gctrace=1");
        Process p = pb.start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(program + " did not finish in 60 s");
        }
        assertThat(p.exitValue()).as("%s exit; stdout %s; stderr in %s", program, stdout, out).isZero();
        assertThat(stdout).startsWith(program + ": done");
        OUTPUTS.put(key, out);
        return out;
    }
}
