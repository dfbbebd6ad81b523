package dev.godiag.analysis.retention;

import dev.godiag.model.Profile;
import dev.godiag.model.heap.GoTypes;
import dev.godiag.model.heap.HeapGraph;
import dev.godiag.model.heap.HeapGraph.Root;
import dev.godiag.model.heap.HeapGraph.RootKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typing rules on a hand-made graph whose truth is known by construction: what the types say is
 * propagated, and every case the rules refuse (too small, into the middle of a value, a pointer
 * where the type has none, unsafe.Pointer) stays untyped rather than guessed.
 */
class ObjectTypesTest {
    // 0 int, 1 *int, 2 main.S {a int; p *int}, 3 *main.S, 4 []main.S, 5 unsafe.Pointer
    private static final GoTypes TYPES = new GoTypes(
            new String[]{"int", "*int", "main.S", "*main.S", "[]main.S", "unsafe.Pointer"},
            new long[]{8, 8, 16, 8, 24, 8},
            new byte[]{GoTypes.BASE, GoTypes.POINTER, GoTypes.STRUCT, GoTypes.POINTER, GoTypes.STRUCT, GoTypes.POINTER},
            new byte[]{2, 22, 25, 22, GoTypes.GO_KIND_SLICE, 26},
            new int[]{-1, 0, -1, 2, -1, -1},
            new long[]{-1, -1, -1, -1, -1, -1},
            new long[6],
            new int[]{0, 0, 0, 2, 2, 5, 5},
            new String[]{"a", "p", "array", "len", "cap"},
            new long[]{0, 8, 0, 8, 16},
            new int[]{0, 1, 3, 0, 0});

    /*
     * objects: 0 A(16) 1 B(8) 2 C(48) 3 D(8) 4 E(8) 5 F(8) 6 G(32) 7 I(8) 8 J(8) 9 K(16) 10 L(8)
     * main.one *main.S -> A; A.p -> B
     * main.many []main.S -> C (3 S); C[i].p -> D, E, F
     * main.ptrS *main.S -> 8 bytes into G: not a whole S in
     * main.small *main.S -> I, 8 bytes: smaller than an S
     * main.iface unsafe.Pointer -> J
     * main.bad *main.S -> K, whose pointer at 0 is where S has the int a; K -> L
     * main.tiny *int -> M(16): the tiny allocator's block, one int in it, not an array
     */
    private static HeapGraph graph() {
        long[] size = {16, 8, 48, 8, 8, 8, 32, 8, 8, 16, 8, 16};
        long[] address = new long[size.length];
        for (int i = 0; i < size.length; i++) {
            address[i] = 0xc000000000L + i * 64L;
        }
        int[] site = new int[size.length];
        Arrays.fill(site, -1);
        List<Root> roots = new ArrayList<>();
        String[] names = {"main.one", "main.many", "main.ptrS", "main.small", "main.iface", "main.bad", "main.tiny"};
        int[] typeOf = {3, 4, 3, 3, 5, 3, 1};
        for (int r = 0; r < names.length; r++) {
            roots.add(new Root(names[r], RootKind.GLOBAL, TYPES.name(typeOf[r]), typeOf[r]));
        }
        return new HeapGraph(address, size,
                new int[]{0, 1, 1, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5}, new int[]{1, 3, 4, 5, 10},
                new int[]{8, 8, 24, 40, 0}, site, List.of(), roots, new int[]{0, 1, 2, 3, 4, 5, 6, 7},
                new int[]{0, 2, 6, 7, 8, 9, 11}, new int[]{0, 0, 0, 0, 0, 0, 0}, HeapGraph.Interior.NONE,
                new HeapGraph.Interior(new int[]{2}, new int[]{8}), HeapGraph.EdgeTypes.NONE,
                HeapGraph.EdgeTypes.NONE, TYPES,
                new HeapGraph.Info("go1.19.8", "amd64", -1, -1, 0));
    }

    @Test
    void typesWhatTheTypesSayAndNothingElse() {
        HeapGraph g = graph();
        ObjectTypes t = ObjectTypes.compute(g);
        assertThat(t.display(0)).isEqualTo("main.S");
        assertThat(t.display(1)).isEqualTo("int");
        assertThat(t.display(2)).isEqualTo("[...]main.S"); // a slice's backing array of 3
        assertThat(t.display(3)).isEqualTo("int");
        assertThat(t.display(5)).isEqualTo("int");
        assertThat(t.pathFrom(g, 0, 8)).isEqualTo(".p");
        assertThat(t.pathFrom(g, 2, 40)).isEqualTo("[].p");
        assertThat(t.display(6)).as("8 bytes into a 16-byte S").isNull();
        assertThat(t.display(7)).as("smaller than S").isNull();
        assertThat(t.display(8)).as("behind unsafe.Pointer").isNull();
        assertThat(t.display(9)).as("a pointer where S has an int").isNull();
        assertThat(t.display(10)).as("below an untyped object").isNull();
        assertThat(t.display(11)).as("a tiny block").isEqualTo("int");
    }

    @Test
    void profileFramesAreStepAndType() {
        Profile p = Retention.compute(graph()).profile();
        List<String> names = Arrays.asList(p.functions().name);
        assertThat(names).contains("main.S", ".p int", "[...]main.S", "[].p int", Retention.UNKNOWN_SITE)
                .contains("int").doesNotContain("[...]int"); // main.tiny's block
    }

    @Test
    void noTypesNoTyping() {
        HeapGraph g = graph();
        HeapGraph bare = new HeapGraph(g.address(), g.size(), g.edgeStart(), g.edgeTarget(), g.edgeOffset(), g.site(),
                g.sites(), g.roots(), g.rootEdgeStart(), g.rootEdgeTarget(), g.rootEdgeOffset(), g.interior(),
                g.rootInterior(), g.dynamic(), g.rootDynamic(), GoTypes.EMPTY, g.info());
        ObjectTypes t = ObjectTypes.compute(bare);
        for (int o = 0; o < g.objectCount(); o++) {
            assertThat(t.display(o)).isNull();
        }
    }
}
