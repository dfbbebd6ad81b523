package dev.godiag.testutil;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a test run skipped, grouped by reason ("skipped 40 tests: Go 1.27 not installed
 * (/usr/lib/go-1.27/bin/go)"), so that a local run without some tool says so instead of passing
 * quietly. Registered as a JUnit Platform listener (META-INF/services); at the end of the run it
 * prints the summary and writes it to {@link #DIR} (one file per test JVM: a count and a reason per
 * line), which bin/test prints again after Maven's output. A class skipped as a whole (an
 * assumption in its {@code @BeforeAll}) counts its tests that never ran.
 */
public final class SkipSummary implements TestExecutionListener {
    /** Where each test JVM leaves its summary; bin/test empties it before a run. */
    public static final Path DIR = Path.of("target/test-skips");

    private final Path dir;
    private final PrintStream out;
    private volatile TestPlan plan;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    /** reason -> tests skipped for it, in the order first seen. */
    private final Map<String, Integer> skipped = new LinkedHashMap<>();

    /** As JUnit registers it: {@link #DIR}, standard output. */
    public SkipSummary() {
        this(DIR, System.out);
    }

    SkipSummary(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        started.add(id.getUniqueId());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        add(reason, notRun(id));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse(null);
            add(reason == null ? "aborted" : reason.replaceFirst("^Assumption failed: ", ""),
                    id.isTest() ? 1 : notRun(id));
        }
    }

    /** The tests under a node that never started (at least 1: a template whose arguments never came). */
    private int notRun(TestIdentifier id) {
        if (id.isTest() || plan == null) {
            return 1;
        }
        int n = 0;
        for (TestIdentifier d : plan.getDescendants(id)) {
            if (plan.getChildren(d).isEmpty() && !started.contains(d.getUniqueId())) {
                n++;
            }
        }
        return Math.max(n, 1);
    }

    private synchronized void add(String reason, int tests) {
        String line = reason == null || reason.isBlank() ? "no reason given" : reason.strip().lines().findFirst()
                .orElse("");
        skipped.merge(line, tests, Integer::sum);
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        skipped.forEach((reason, n) -> lines.add(n + "\t" + reason));
        out.println(format(skipped));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(ProcessHandle.current().pid() + ".txt"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "skipped N tests: REASON" per reason, most tests first. */
    static String format(Map<String, Integer> byReason) {
        StringBuilder b = new StringBuilder();
        byReason.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> b.append(b.isEmpty() ? "" : "\n").append("skipped ").append(e.getValue())
                        .append(e.getValue() == 1 ? " test: " : " tests: ").append(e.getKey()));
        return b.toString();
    }
}
