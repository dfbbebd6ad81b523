package dev.godiag.testutil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A Go fixture is built once per (program, Go version, flags) and shared. */
class GoFixturesTest {
    @Test
    void theSameProgramVersionAndFlagsGiveTheSameBinaryWithoutABuild() {
        Path go = Tools.anyGo();
        Path first = GoFixtures.build(go, "gcsched");
        int builds = GoFixtures.builds();
        assertThat(GoFixtures.build(go, "gcsched")).isEqualTo(first);
        assertThat(GoFixtures.builds()).as("go builds after asking again").isEqualTo(builds);
        assertThat(first).isExecutable();
        assertThat(first.getParent().getParent()).isEqualTo(GoFixtures.DIR.toAbsolutePath());
        assertThat(first.getParent().getFileName().toString()).startsWith("gcsched-" + GoFixtures.version(go) + "-");

        // other flags are another binary, built once too
        Path stripped = GoFixtures.build(go, "gcsched", "-ldflags=-s -w");
        assertThat(stripped).isNotEqualTo(first).isExecutable();
        int afterStripped = GoFixtures.builds();
        assertThat(GoFixtures.build(go, "gcsched", "-ldflags=-s -w")).isEqualTo(stripped);
        assertThat(GoFixtures.builds()).isEqualTo(afterStripped);
    }

    /**
     * A flag's file operand (-pgo=FILE, -overlay=FILE) counts by the file's bytes: the same file
     * under another (temporary) name is a cache hit, other bytes are another binary.
     */
    @Test
    void aFlagsFileCountsByItsContentNotItsPath(@TempDir Path dir) throws Exception {
        Path go = Tools.anyGo();
        Path a = Files.writeString(dir.resolve("a.json"), "{\"Replace\": {}}\n"); // an overlay replacing nothing
        Path b = Files.writeString(dir.resolve("b.json"), "{\"Replace\": {}}\n");
        Path c = Files.writeString(dir.resolve("c.json"), "{\"Replace\": {}} \n");
        Path viaA = GoFixtures.build(go, "gcsched", "-overlay=" + a.toAbsolutePath());
        int builds = GoFixtures.builds();
        assertThat(GoFixtures.build(go, "gcsched", "-overlay=" + b.toAbsolutePath())).isEqualTo(viaA);
        assertThat(GoFixtures.builds()).isEqualTo(builds);
        assertThat(GoFixtures.build(go, "gcsched", "-overlay=" + c.toAbsolutePath())).isNotEqualTo(viaA);
    }
}
