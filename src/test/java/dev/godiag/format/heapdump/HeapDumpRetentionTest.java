package dev.godiag.format.heapdump;

import dev.godiag.analysis.retention.Retention;
import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.analysis.retention.RetentionReport.RootRetention;
import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileReader;
import dev.godiag.format.elf.ElfSymbols;
import dev.godiag.model.Profile;
import dev.godiag.model.heap.HeapGraph;
import dev.godiag.report.RetentionRenderers;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * testdata/gen/retention, built with Go 1.19 and 1.27, builds one retained structure per kind of
 * root, says what it allocated for each and writes a heap dump: each structure's root is named
 * and retains what the program allocated. Every buffer is a large object (a span of its own,
 * exactly its size) and the structs' sizes are size classes, so the program's numbers are the
 * dump's with no rounding; only the map's buckets (unknown to the program) are bounded instead.
 */
class HeapDumpRetentionTest {

    record Run(Path binary, Path dump, Map<String, String> report) {
        long number(String key) {
            return Long.parseLong(report.get(key));
        }
    }

    static Run run(String version, Path dir, String... buildFlags) throws Exception {
        Path bin = GoFixtures.build(Tools.go(version), "retention", buildFlags);
        Path dump = dir.resolve("heap-" + version + ".dump");
        Process p = new ProcessBuilder(bin.toString(), "-out", dump.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Map<String, String> report = new HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":\"?([^,\"}]*)").matcher(out);
        while (m.find()) {
            report.put(m.group(1), m.group(2));
        }
        return new Run(bin, dump, report);
    }

    private static RootRetention root(RetentionReport r, String name) {
        return r.roots().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no root " + name + " in " + r.roots()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void eachStructureIsRetainedByItsRoot(String version, @TempDir Path tmp) throws Exception {
        Run run = run(version, tmp);
        HeapGraph g = HeapDumpReader.read(run.dump(), ElfSymbols.read(run.binary()));
        assertThat(g.info().goVersion()).startsWith("go" + version);
        RetentionReport r = Retention.compute(g);

        long sessions = run.number("sessions");
        RootRetention s = root(r, "main.sessions");
        assertThat(s.kind()).isEqualTo("global");
        assertThat(s.type()).isEqualTo(run.report().get("sessions_type"));
        long exact = run.number("session_payload") + sessions * run.number("session_struct");
        // on top: the map's header and buckets, a few KiB for 200 entries
        assertThat(s.bytes()).isBetween(exact, exact + (64 << 10));
        assertThat(s.objects()).isGreaterThan(2 * sessions);
        // what those bytes are: the buffers, then the structs holding them, typed from DWARF
        assertThat(s.parts().subList(0, 2)).containsExactly(
                new RetentionReport.Part("[...]uint8", true, run.number("session_payload"), sessions),
                new RetentionReport.Part("main.session", true, sessions * run.number("session_struct"), sessions));

        RootRetention pinned = root(r, "main.pinned");
        assertThat(pinned.kind()).isEqualTo("global");
        assertThat(pinned.type()).isEqualTo(run.report().get("pinned_type"));
        // each 16-byte sub-slice pins its whole 1 MiB buffer; plus the slice's one backing array
        assertThat(pinned.objects()).isEqualTo(run.number("pinned") + 1);
        assertThat(pinned.bytes()).isBetween(run.number("pinned_payload"),
                run.number("pinned_payload") + run.number("pinned") * 24 * 2);

        // each pinned sub-slice, buf[100:116], points 100 bytes into its 1 MiB buffer
        long oneMiB = run.number("pinned_payload") / run.number("pinned");
        int into = 0;
        for (int k = 0; k < g.edgeCount(); k++) {
            if (g.size()[g.edgeTarget()[k]] == oneMiB) {
                assertThat(g.interior().at(k)).isEqualTo(100);
                into++;
            }
        }
        assertThat(into).isEqualTo(run.number("pinned"));

        // a linked list: each node dominates the rest, so the head's global retains all of it
        RootRetention chain = root(r, "main.chain");
        assertThat(chain.type()).isEqualTo(run.report().get("chain_type"));
        assertThat(chain.objects()).isEqualTo(run.number("chain_nodes"));
        assertThat(chain.bytes()).isEqualTo(run.number("chain_nodes") * run.number("chain_node"));
        assertThat(chain.parts()).containsExactly(new RetentionReport.Part("main.node", true, chain.bytes(),
                chain.objects()));

        RootRetention stack = r.roots().stream().filter(x -> x.name().matches("goroutine \\d+ stack: "
                + Pattern.quote(run.report().get("stack_function")))).findFirst().orElseThrow();
        assertThat(stack.kind()).isEqualTo("goroutine stack");
        assertThat(stack.bytes()).isEqualTo(run.number("stack_payload"));
        assertThat(stack.objects()).isEqualTo(1);
        // a stack gives no type: the buffer is told by its allocation site (the program samples every allocation)
        assertThat(stack.parts()).containsExactly(new RetentionReport.Part(run.report().get("stack_function"), false,
                run.number("stack_payload"), 1));

        RootRetention fin = r.roots().stream().filter(x -> x.kind().equals("finalizer")).findFirst().orElseThrow();
        assertThat(fin.name()).isEqualTo("finalizer " + run.report().get("finalizer_function"));
        assertThat(fin.bytes()).isEqualTo(run.number("finalizer_payload") + run.number("finalizer_struct"));
        assertThat(fin.objects()).isEqualTo(2);
        // typed by the pointer type the dump records for the finalizer (SetFinalizer's *resource)
        assertThat(fin.parts()).containsExactly(
                new RetentionReport.Part("[...]uint8", true, run.number("finalizer_payload"), 1),
                new RetentionReport.Part("main.resource", true, run.number("finalizer_struct"), 1));

        // a finalized object a global holds too is the global's
        RootRetention kept = root(r, "main.kept");
        assertThat(kept.bytes()).isEqualTo(run.number("kept_payload") + run.number("finalizer_struct"));
        assertThat(kept.objects()).isEqualTo(2);
        assertThat(r.roots()).filteredOn(x -> x.kind().equals("finalizer")).hasSize(1);

        // these six are the largest roots, and all roots together retain no more than is reachable
        assertThat(r.roots().subList(0, 5)).containsExactlyInAnyOrder(s, pinned, stack, fin, kept);
        assertThat(r.roots().get(5)).isEqualTo(chain);
        assertThat(r.roots().stream().mapToLong(RootRetention::bytes).sum()).isLessThanOrEqualTo(r.reachableBytes());
        assertThat(r.reachableBytes()).isLessThanOrEqualTo(r.heapBytes());
        if (version.equals("1.19")) {
            // Go 1.19's dump lists exactly the objects MemStats counts
            assertThat(r.objects()).isEqualTo(g.info().heapObjects());
        }
    }

    /** The CLI's profile: each root's frame carries, as cum, what the root retains; top reads it. */
    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void profileAndFindingsFromTheCli(String version, @TempDir Path tmp) throws Exception {
        Run run = run(version, tmp);
        Path out = tmp.resolve("retained.pprof");
        Peers.Result res = Godiag.run("retention", run.dump().toString(), "--binary", run.binary().toString(),
                "-o", out.toString(), "--format", "json");
        assertThat(res.exitCode()).as(res.stderr()).isZero();
        RetentionReport r = Retention.compute(HeapDumpReader.read(run.dump(), ElfSymbols.read(run.binary())));
        RootRetention pinned = root(r, "main.pinned");
        assertThat(res.stdout()).contains("\"finding\" : \"main.pinned (global [][]uint8) retains 20.0 MiB in "
                + pinned.objects() + " objects\"").contains("\"type\" : \"[][]uint8\"");

        Peers.Result text = Godiag.run("retention", run.dump().toString(), "--binary", run.binary().toString(),
                "--top", "2");
        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout().lines().filter(l -> l.contains(" retains ")).toList()).containsExactly(
                "main.pinned (global [][]uint8) retains 20.0 MiB in " + pinned.objects() + " objects",
                RetentionRenderers.finding(root(r, "main.sessions")));
        assertThat(text.stdout()).contains("Reachable from roots: ");

        Profile p = ProfileReader.read(Files.readAllBytes(out), Gzip.DEFAULT_LIMIT);
        assertThat(p.sampleTypes().get(1).type()).isEqualTo("retained_space");
        long bytes = 0;
        long objects = 0;
        long sessionData = 0;
        for (int i = 0; i < p.samples().size(); i++) {
            int leaf = p.samples().locations[p.samples().locStart[i]];
            int root = p.samples().locations[p.samples().locStart[i + 1] - 1]; // stacks are leaf first
            if (function(p, root).equals("main.pinned")) {
                objects += p.samples().value(i, 0);
                bytes += p.samples().value(i, 1);
            }
            // session.data is at offset 8 of a session: its line is the field step, 8 + 1; the
            // buffer's allocation site (the program sets MemProfileRate = 1) is the frame's file
            if (function(p, root).equals("main.sessions") && function(p, leaf).equals(".data [...]uint8")
                    && file(p, leaf).equals("main.main")
                    && p.locations().lineNumber[p.locations().lineStart[leaf]] == 9) {
                sessionData += p.samples().value(i, 1);
            }
        }
        assertThat(bytes).isEqualTo(pinned.bytes());
        assertThat(objects).isEqualTo(pinned.objects());
        assertThat(sessionData).isEqualTo(run.number("session_payload"));

        Peers.Result top = Godiag.run("top", "--cum", "--unit", "B", out.toString());
        assertThat(top.exitCode()).isZero();
        assertThat(top.stdout()).contains("Type: retained_space").containsPattern(pinned.bytes() + "B .* main\\.pinned");
    }

    /**
     * The profile's paths name the types, as Go's own pprof shows them: under each global, the
     * objects the program built for it, typed from the binary's DWARF, with the bytes the program
     * says it allocated. The types are read from the binary and propagated along the dump's
     * pointers; the program's JSON (sizes from unsafe.Sizeof, counts it made) is the truth.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void pprofTracesShowTypedPaths(String version, @TempDir Path tmp) throws Exception {
        Run run = run(version, tmp);
        Path out = tmp.resolve("retained.pprof");
        Peers.Result res = Godiag.run("retention", run.dump().toString(), "--binary", run.binary().toString(),
                "-o", out.toString());
        assertThat(res.exitCode()).as(res.stderr()).isZero();
        Peers.Result traces = Peers.run(List.of(Peers.pprof127().toString(), "-traces", "-unit=B",
                "-sample_index=retained_space", out.toString()), null);
        assertThat(traces.exitCode()).as(traces.stderr()).isZero();
        List<Trace> all = traces(traces.stdout());
        assertThat(all).isNotEmpty();

        // main.sessions: the map's internals (Go 1.19: hash, buckets; 1.24+: map, directory,
        // table, groups), then each session, then its 40 KiB buffer
        List<Trace> sessions = all.stream().filter(t -> t.root().equals("main.sessions")).toList();
        long payload = 0;
        long structs = 0;
        for (Trace t : sessions) {
            if (t.leaf().equals(".data [...]uint8")) {
                assertThat(t.frames().get(1)).as(t.toString()).endsWith(" main.session");
                payload += t.bytes();
            }
            if (t.leaf().endsWith(" main.session")) {
                assertThat(t.leaf()).as(t.toString()).matches("(\\[])?\\.(values|slots)\\[](\\.elem)? main\\.session");
                structs += t.bytes();
            }
        }
        assertThat(payload).isEqualTo(run.number("session_payload"));
        assertThat(structs).isEqualTo(run.number("sessions") * run.number("session_struct"));
        String header = version.equals("1.19") ? "hash[int,*main.session]" : "map[int,*main.session]";
        assertThat(sessions).allSatisfy(t -> assertThat(t.frames().get(t.frames().size() - 2)).isEqualTo(header));

        // main.pinned: the slice's backing array of []uint8, then each 1 MiB buffer a sub-slice pins
        List<Trace> buffers = all.stream().filter(t -> t.root().equals("main.pinned")
                && t.frames().equals(List.of("[] [...]uint8", "[...][]uint8", "main.pinned"))).toList();
        assertThat(buffers).hasSize((int) run.number("pinned"));
        assertThat(buffers.stream().mapToLong(Trace::bytes).sum()).isEqualTo(run.number("pinned_payload"));

        // main.chain: a node, then node after node through .next, 8 deep, the rest flat in the last
        List<Trace> chain = all.stream().filter(t -> t.root().equals("main.chain")).toList();
        assertThat(chain.stream().mapToLong(Trace::bytes).sum())
                .isEqualTo(run.number("chain_nodes") * run.number("chain_node"));
        assertThat(chain).allSatisfy(t -> {
            List<String> below = t.frames().subList(0, t.frames().size() - 1);
            assertThat(below.get(below.size() - 1)).isEqualTo("main.node");
            assertThat(below.subList(0, below.size() - 1)).allMatch(".next main.node"::equals);
        });
        assertThat(chain).anySatisfy(t -> assertThat(t.frames()).hasSize(1 + Retention.MAX_PATH));

        // main.lastErr (an error) and main.held (an any): typed through the interface's itab and
        // type word, when the DWARF has the dynamic type (Go 1.19's has no main.boxed: only the
        // empty interface held one)
        assertThat(all).anySatisfy(t -> {
            assertThat(t.frames()).containsExactly(".detail [...]uint8", "main.failure", "main.lastErr");
            assertThat(t.bytes()).isEqualTo(run.number("err_payload"));
        });
        if (version.equals("1.19")) {
            assertThat(all).filteredOn(t -> t.root().equals("main.held"))
                    .allSatisfy(t -> assertThat(t.leaf()).isEqualTo("main.main"));
        } else {
            assertThat(all).anySatisfy(t -> {
                assertThat(t.frames()).containsExactly(".payload [...]uint8", "main.boxed", "main.held");
                assertThat(t.bytes()).isEqualTo(run.number("held_payload"));
            });
        }

        // main.kept: the resource, then its payload
        assertThat(all).anySatisfy(t -> {
            assertThat(t.frames()).containsExactly(".payload [...]uint8", "main.resource", "main.kept");
            assertThat(t.bytes()).isEqualTo(run.number("kept_payload"));
        });
    }

    /** One stack of pprof -traces: its value and its frames, leaf first. */
    record Trace(long bytes, List<String> frames) {
        String root() {
            return frames.get(frames.size() - 1);
        }

        String leaf() {
            return frames.get(0);
        }
    }

    private static List<Trace> traces(String text) {
        List<Trace> out = new ArrayList<>();
        Pattern first = Pattern.compile("^\\s*(\\d+)B\\s{3}(.*)$");
        Long bytes = null;
        List<String> frames = new ArrayList<>();
        for (String line : (text + "\n-----------+").lines().toList()) {
            if (line.startsWith("-----------+")) {
                if (bytes != null) {
                    out.add(new Trace(bytes, List.copyOf(frames)));
                }
                bytes = null;
                frames.clear();
                continue;
            }
            Matcher m = first.matcher(line);
            if (bytes == null && m.matches()) {
                bytes = Long.parseLong(m.group(1));
                frames.add(m.group(2).strip());
            } else if (bytes != null && !line.isBlank()) {
                frames.add(line.strip());
            }
        }
        return out;
    }

    /**
     * A position-independent build is loaded at an address of the loader's choosing: its globals
     * are named through the one load offset of its data and bss segments; the same program built
     * as a plain executable has segments of the same sizes, and is still told apart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void positionIndependentBinaries(String version, @TempDir Path tmp) throws Exception {
        Run pie = run(version, tmp, "-buildmode=pie");
        RetentionReport r = Retention.compute(HeapDumpReader.read(pie.dump(), ElfSymbols.read(pie.binary())));
        assertThat(root(r, "main.pinned").bytes()).isGreaterThanOrEqualTo(pie.number("pinned_payload"));
        assertThat(root(r, "main.chain").bytes()).isEqualTo(pie.number("chain_nodes") * pie.number("chain_node"));
        assertThat(root(r, "finalizer " + pie.report().get("finalizer_function")).objects()).isEqualTo(2);

        Path exe = GoFixtures.build(Tools.go(version), "retention");
        assertOneLine(Godiag.run("retention", pie.dump().toString(), "--binary", exe.toString()),
                "written by another binary");
    }

    private static String function(Profile p, int location) {
        return p.functions().name[p.locations().lineFunction[p.locations().lineStart[location]]];
    }

    private static String file(Profile p, int location) {
        return p.functions().filename[p.locations().lineFunction[p.locations().lineStart[location]]];
    }

    /** Truncated, garbage and another binary's dump: one line naming the problem, exit 2. */
    @ParameterizedTest
    @ValueSource(strings = {"1.27"})
    void hostileInputsFailInOneLine(String version, @TempDir Path tmp) throws Exception {
        Run run = run(version, tmp);
        String bin = run.binary().toString();
        byte[] dump = Files.readAllBytes(run.dump());

        Path truncated = tmp.resolve("truncated.dump");
        Files.write(truncated, java.util.Arrays.copyOf(dump, dump.length / 2));
        assertOneLine(Godiag.run("retention", truncated.toString(), "--binary", bin), "truncated");

        Path garbage = tmp.resolve("garbage.dump");
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        Files.write(garbage, junk);
        assertOneLine(Godiag.run("retention", garbage.toString(), "--binary", bin), "not a Go heap dump");

        Run other = run("1.19", tmp);
        assertOneLine(Godiag.run("retention", run.dump().toString(), "--binary", other.binary().toString()),
                "written by another binary");
        assertOneLine(Godiag.run("retention", run.dump().toString(), "--binary", run.dump().toString()),
                "not an ELF executable");
        Path stripped = tmp.resolve("stripped");
        Files.write(stripped, java.util.Arrays.copyOf(Files.readAllBytes(run.binary()), 64));
        assertOneLine(Godiag.run("retention", run.dump().toString(), "--binary", stripped.toString()),
                "lies outside");
    }

    private static void assertOneLine(Peers.Result r, String says) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip()).doesNotContain("\n").contains(says).doesNotContain("Exception");
    }
}
