package dev.godiag.format.elf;

import dev.godiag.model.heap.GoTypes;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The symbol table as Go's own {@code go tool nm -size} lists it, and damaged binaries in one line. */
class ElfSymbolsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void dataSymbolsAndFunctionsAsGoToolNmListsThem(String version) throws Exception {
        Path go = Tools.go(version);
        Path bin = GoFixtures.build(go, "retention");
        Peers.Result nm = Peers.run(List.of(go.toString(), "tool", "nm", "-size", bin.toString()), null);
        assertThat(nm.exitCode()).isZero();
        ElfSymbols s = ElfSymbols.read(bin);
        Map<Long, Set<String>> namesAt = new HashMap<>(); // aliases share an address
        List<String[]> sized = new ArrayList<>();
        for (String line : nm.stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+", 4);
            if (f.length < 4) {
                continue;
            }
            long addr = Long.parseLong(f[0], 16);
            namesAt.computeIfAbsent(addr, k -> new java.util.HashSet<>()).add(f[3]);
            if (Long.parseLong(f[1]) > 0) {
                sized.add(f);
            }
        }
        int data = 0;
        int functions = 0;
        for (String[] f : sized) {
            long addr = Long.parseLong(f[0], 16);
            long size = Long.parseLong(f[1]);
            switch (f[2]) {
                case "D", "d", "B", "b" -> {
                    assertThat(namesAt.get(addr)).as(f[3]).contains(s.objectAt(addr));
                    assertThat(namesAt.get(addr)).as(f[3] + " last byte").contains(s.objectAt(addr + size - 1));
                    data++;
                }
                case "T", "t" -> {
                    assertThat(namesAt.get(addr)).as(f[3]).contains(s.functionAt(addr));
                    functions++;
                }
                default -> {
                }
            }
        }
        assertThat(data).isGreaterThan(100);
        assertThat(functions).isGreaterThan(1000);
        assertThat(s.objectAt(Long.parseLong(find(nm.stdout(), "main.sessions"), 16))).isEqualTo("main.sessions");
        assertThat(s.typeOf("main.sessions")).isEqualTo("map[int]*main.session");
        assertThat(s.typeOf("os.Stdout")).isEqualTo("*os.File");
        for (String marker : List.of("runtime.data", "runtime.edata", "runtime.bss", "runtime.ebss")) {
            assertThat(s.marker(marker)).isEqualTo(Long.parseLong(find(nm.stdout(), marker), 16));
        }
    }

    /**
     * The type table's structs against the compiler's own layout (the fixture prints unsafe.Sizeof
     * and unsafe.Offsetof of its structs with -layout), and the kinds Go writes for a map's, a
     * slice's and a pointer's types.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void typeTableHasTheCompilersLayout(String version) throws Exception {
        Path bin = GoFixtures.build(Tools.go(version), "retention");
        Peers.Result layout = Peers.run(List.of(bin.toString(), "-layout"), null);
        assertThat(layout.exitCode()).isZero();
        Map<String, Long> truth = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([\\w.]+)\":(\\d+)").matcher(layout.stdout());
        while (m.find()) {
            truth.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertThat(truth).hasSize(9);
        GoTypes t = ElfSymbols.read(bin).types();
        assertThat(t.count()).isGreaterThan(1000);
        int checked = 0;
        for (Map.Entry<String, Long> e : truth.entrySet()) {
            String k = e.getKey();
            int dot = k.lastIndexOf('.');
            if (dot == k.indexOf('.')) { // "main.session": the struct's size
                assertThat(t.size(t.byName(k))).as(k).isEqualTo(e.getValue());
            } else {
                int type = t.byName(k.substring(0, dot));
                int r = t.resolve(type);
                int member = t.member(type, k.substring(dot + 1));
                assertThat(member).as(k).isGreaterThanOrEqualTo(0);
                assertThat(t.memberOffset(r, member)).as(k).isEqualTo(e.getValue());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(9);
        assertThat(t.memberNames(t.byName("main.session"))).containsExactly("id", "data");

        // session.data is a []uint8: a slice struct whose data word leads to uint8 elements
        int session = t.byName("main.session");
        GoTypes.Step data = t.stepAt(session, 8);
        assertThat(data.path()).isEqualTo(".data");
        assertThat(t.name(t.target(data.pointer()))).isEqualTo("uint8");
        assertThat(t.stepAt(session, 0).pointer()).isEqualTo(-1); // id is an int
        assertThat(t.stepAt(session, 16).pointer()).isEqualTo(-1); // the slice's len
        // node.next is a *main.node; [4]int holds no pointer
        GoTypes.Step next = t.stepAt(t.byName("main.node"), 0);
        assertThat(next.path()).isEqualTo(".next");
        assertThat(t.name(t.target(next.pointer()))).isEqualTo("main.node");
        assertThat(t.stepAt(t.byName("main.node"), 24).path()).isEqualTo(".pad[]");
        assertThat(t.stepAt(t.byName("main.node"), 24).pointer()).isEqualTo(-1);
        // the globals' types by number, as by name
        ElfSymbols s = ElfSymbols.read(bin);
        assertThat(t.name(s.typeIdOf("main.sessions"))).isEqualTo("map[int]*main.session");
        assertThat(t.kind(t.resolve(s.typeIdOf("main.sessions")))).isEqualTo(GoTypes.POINTER);
        assertThat(t.goKind(s.typeIdOf("main.pinned"))).isEqualTo(GoTypes.GO_KIND_SLICE);
        assertThat(s.typeIdOf("main.nosuchglobal")).isEqualTo(-1);
    }

    private static String find(String nm, String name) {
        return nm.lines().filter(l -> l.endsWith(" " + name)).findFirst().orElseThrow().trim().split("\\s+")[0];
    }

    /** Header, section table and other bytes overwritten at random: read, or one line. */
    @Test
    void damagedBinariesFailInOneLine(@TempDir Path tmp) throws Exception {
        byte[] good = Files.readAllBytes(GoFixtures.build(Tools.go127(), "retention"));
        Random rnd = new Random(17);
        Path f = tmp.resolve("bin");
        long shoff = java.nio.ByteBuffer.wrap(good).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0x28);
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                int at = rnd.nextBoolean() ? rnd.nextInt(64) : (int) (shoff + rnd.nextInt(64 * 40));
                b[at] = (byte) rnd.nextInt(256);
            }
            Files.write(f, b);
            try {
                ElfSymbols.read(f);
            } catch (BadInputException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
                refused++;
            }
        }
        assertThat(refused).isPositive();
        // bytes anywhere, the compressed DWARF among them: symbols and types read, or one line
        for (int i = 0; i < 60; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            Files.write(f, b);
            try {
                ElfSymbols.read(f).typeOf("main.sessions");
            } catch (BadInputException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
        Files.write(f, new byte[10]);
        assertThatThrownBy(() -> ElfSymbols.read(f)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("ELF header");
    }
}
