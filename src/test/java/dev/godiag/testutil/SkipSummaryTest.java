package dev.godiag.testutil;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The end-of-run list of skipped tests, on a run of two sample classes through a real launcher. */
class SkipSummaryTest {
    /** Skipped as a whole: its two tests never run. (Nested: surefire never runs it by itself.) */
    static class ToolMissingForTheClass {
        @BeforeAll
        static void up() {
            Assumptions.abort("tool X not installed");
        }

        @Test
        void a() {
        }

        @Test
        void b() {
        }
    }

    static class ToolMissingForSomeTests {
        @Test
        void c() {
            Assumptions.abort("tool Y not installed");
        }

        @Test
        void d() {
            Assumptions.abort("tool Y not installed");
        }

        @Test
        void e() {
        }

        @Disabled("not today")
        @Test
        void f() {
        }
    }

    @Test
    void groupsTheSkippedTestsByReasonAndCountsAClassSkippedWhole(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SkipSummary summary = new SkipSummary(dir, new PrintStream(printed, true, StandardCharsets.UTF_8));
        // only this listener: the one registered for the whole run stays out of it
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ToolMissingForTheClass.class), selectClass(ToolMissingForSomeTests.class))
                .build(), summary);

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "skipped 2 tests: tool X not installed",
                "skipped 2 tests: tool Y not installed",
                "skipped 1 test: not today");
        try (var files = Files.list(dir)) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(Files.readAllLines(written.get(0))).containsExactlyInAnyOrder(
                    "2\ttool X not installed", "2\ttool Y not installed", "1\tnot today");
        }
    }
}
