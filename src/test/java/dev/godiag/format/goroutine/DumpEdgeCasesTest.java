package dev.godiag.format.goroutine;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written dumps: the forms the runtime prints and the damage they meet. */
class DumpEdgeCasesTest {
    private static GoroutineDump read(String text) {
        return GoroutineDumpReader.read(text, "test");
    }

    private static final String PANIC_LOG = """
            2026/01/02 10:00:00 starting server on :8080
            2026/01/02 10:00:01 request (id 7)
            panic: runtime error: invalid memory address or nil pointer dereference
            [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4553b6]

            goroutine 7 [running]:
            main.(*Server).handle(0x0, {0x5a7c40?, 0xc0000a2000?}, {...})
            \t/app/main.go:42 +0x16
            main.Process[...](0xc000012345, {0x7f, 0x3})
            \t/app/generic.go:10 +0x2a
            panic({0x45d1a0?, 0x4a7d40?})
            \t/usr/lib/go/src/runtime/panic.go:770 +0x132
            created by main.(*Server).Serve in goroutine 1
            \t/app/main.go:30 +0x88

            goroutine 1 [IO wait, 5 minutes, locked to thread]:
            main.main()
            \t/app/main.go:20 +0x1d
            exit status 2
            FAIL\texample.com/app\t0.012s
            """;

    @Test
    void panicLogWithTextAroundTheDump() {
        GoroutineDump d = read(PANIC_LOG);
        assertEquals(List.of(), d.warnings());
        assertEquals(2, d.goroutines().size());
        Goroutine g = d.goroutines().get(0);
        assertEquals(7, g.id());
        assertEquals("running", g.state());
        assertEquals(6, g.sourceLine());
        assertEquals(List.of("main.(*Server).handle", "main.Process[...]", "panic"),
                g.frames().stream().map(StackFrame::function).toList());
        assertEquals("0x0, {0x5a7c40?, 0xc0000a2000?}, {...}", g.frames().get(0).args());
        assertEquals("0xc000012345, {0x7f, 0x3}", g.frames().get(1).args());
        assertEquals(new StackFrame("main.(*Server).handle", "0x0, {0x5a7c40?, 0xc0000a2000?}, {...}", "/app/main.go",
                42), g.frames().get(0));
        assertEquals(new StackFrame("main.(*Server).Serve", null, "/app/main.go", 30), g.createdBy());
        assertEquals(1, g.creatorId());
        Goroutine main = d.goroutines().get(1);
        assertEquals("IO wait", main.state());
        assertEquals(5, main.waitMinutes());
        assertTrue(main.lockedToThread());
        assertNull(main.createdBy());
        assertEquals(-1, main.creatorId());
    }

    @Test
    void crlfAndSpacesInsteadOfTabs() {
        String text = PANIC_LOG.replace("\t", "        ").replace("\n", "\r\n");
        GoroutineDump d = read(text);
        assertEquals(List.of(), d.warnings());
        assertEquals(2, d.goroutines().size());
        assertEquals("/app/main.go", d.goroutines().get(0).frames().get(0).file());
        assertEquals("IO wait", d.goroutines().get(1).state());
        assertEquals(20, d.goroutines().get(1).frames().get(0).line());
    }

    @Test
    void elidedFramesBothForms() {
        String text = """
                goroutine 5 [running]:
                main.rec(0x1)
                \t/a.go:3 +0x1
                ...10 frames elided...
                main.rec(0x2)
                \t/a.go:3 +0x1
                created by main.main
                \t/a.go:9 +0x2

                goroutine 6 [runnable]:
                main.rec(...)
                \t/a.go:3
                ...additional frames elided...
                """;
        GoroutineDump d = read(text);
        assertEquals(List.of(), d.warnings());
        assertEquals(10, d.goroutines().get(0).elidedFrames());
        assertEquals(2, d.goroutines().get(0).frames().size());
        assertEquals(-1, d.goroutines().get(0).creatorId());
        assertEquals("main.main", d.goroutines().get(0).createdBy().function());
        assertEquals(-1, d.goroutines().get(1).elidedFrames());
        assertEquals(new StackFrame("main.rec", "...", "/a.go", 3), d.goroutines().get(1).frames().get(0));
    }

    @Test
    void labelsInBothForms() {
        String text = """
                goroutine 9 [select]:
                main.f()
                \t/a.go:1 +0x1

                goroutine 10 [chan receive, 3 minutes] {handler: checkout, "user id": "a\\"b"}:
                main.g()
                \t/a.go:2 +0x1

                goroutine 11 [sleep] labels:{"span":"x,y", "k":"v"}:
                main.h()
                \t/a.go:3 +0x1
                """;
        GoroutineDump d = read(text);
        assertEquals(List.of(), d.warnings());
        assertEquals(Map.of(), d.goroutines().get(0).labels());
        assertEquals(Map.of("handler", "checkout", "user id", "a\"b"), d.goroutines().get(1).labels());
        assertEquals(3, d.goroutines().get(1).waitMinutes());
        assertEquals(List.of("span", "k"), List.copyOf(d.goroutines().get(2).labels().keySet()));
        assertEquals("x,y", d.goroutines().get(2).labels().get("span"));
    }

    @Test
    void sigquitWithGpFieldsAndStackUnavailable() {
        String text = """
                SIGQUIT: quit
                PC=0x46d3a1 m=0 sigcode=0

                goroutine 0 gp=0x5a1b20 m=0 mp=0x5a2300 [idle]:
                runtime.futex(0x5a2440, 0x80, 0x0, 0x0, 0x0, 0x0)
                \t/usr/lib/go/src/runtime/sys_linux_amd64.s:557 +0x21 fp=0x7ffd sp=0x7ffc pc=0x46d3a1

                goroutine 1 gp=0xc000002380 m=nil [chan receive (nil chan) (leaked), 12 minutes]:
                main.main()
                \t/a.go:5 +0x1

                goroutine 17 gp=0xc000102000 m=3 mp=0xc000080808 [running]:
                \tgoroutine running on other thread; stack unavailable
                created by main.start in goroutine 1
                \t/a.go:7 +0x3

                goroutine 21 [sleep (durable), synctest bubble 4]:
                time.Sleep(0x3b9aca00)
                \t/usr/lib/go/src/runtime/time.go:300 +0x1

                goroutine 22 [chan receive (durable), synctest bubble 4]:
                main.t()
                \t/a.go:8 +0x1

                rax    0x0
                rbx    0x1
                """;
        GoroutineDump d = read(text);
        assertEquals(List.of(), d.warnings());
        assertEquals(List.of(0L, 1L, 17L, 21L, 22L), d.goroutines().stream().map(Goroutine::id).toList());
        Goroutine g0 = d.goroutines().get(0);
        assertEquals("idle", g0.state());
        assertEquals(557, g0.frames().get(0).line());
        Goroutine g1 = d.goroutines().get(1);
        assertEquals("chan receive (nil chan)", g1.state());
        assertTrue(g1.leaked());
        assertEquals(12, g1.waitMinutes());
        Goroutine g17 = d.goroutines().get(2);
        assertTrue(g17.stackUnavailable());
        assertEquals(List.of(), g17.frames());
        assertEquals(1, g17.creatorId());
        Goroutine g21 = d.goroutines().get(3);
        assertEquals("sleep", g21.state());
        assertEquals(List.of("durable", "synctest bubble 4"), g21.markers());
        Goroutine g22 = d.goroutines().get(4);
        assertEquals("chan receive (durable)", g22.state());
        assertEquals(List.of("durable", "synctest bubble 4"), g22.markers());
        assertFalse(g22.leaked());
    }

    @Test
    void truncatedMidFrame() {
        String text = """
                goroutine 1 [running]:
                main.main()
                \t/a.go:5 +0x1

                goroutine 2 [select]:
                main.loop(0xc0000
                """;
        GoroutineDump d = read(text);
        assertEquals(2, d.goroutines().size());
        assertEquals(List.of(), d.goroutines().get(1).frames());
        assertEquals(1, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).startsWith("line 6: "), d.warnings().toString());

        GoroutineDump cutInLocation = read("goroutine 3 [select]:\nmain.loop(0x1)\n\t/a.go:");
        assertEquals(1, cutInLocation.goroutines().size());
        assertEquals(new StackFrame("main.loop", "0x1", "", 0), cutInLocation.goroutines().get(0).frames().get(0));
        assertTrue(cutInLocation.warnings().get(0).startsWith("line 3: "), cutInLocation.warnings().toString());

        GoroutineDump cutInHeader = read("goroutine 1 [running]:\nmain.main()\n\t/a.go:5\n\ngoroutine 4 [chan rec");
        assertEquals(1, cutInHeader.goroutines().size());
        assertTrue(cutInHeader.warnings().get(0).startsWith("line 5: "), cutInHeader.warnings().toString());
    }

    @Test
    void garbageLineInsideABlock() {
        String text = """
                goroutine 8 [chan send]:
                main.a()
                \t/a.go:1 +0x1
                #### garbage here ####
                main.b()
                \t/a.go:2 +0x1
                created by main.c in goroutine 1
                \t/a.go:3 +0x1
                """;
        GoroutineDump d = read(text);
        assertEquals(1, d.goroutines().size());
        Goroutine g = d.goroutines().get(0);
        assertEquals(List.of("main.a", "main.b"), g.frames().stream().map(StackFrame::function).toList());
        assertEquals("main.c", g.createdBy().function());
        assertEquals(1, d.warnings().size());
        assertTrue(d.warnings().get(0).startsWith("line 4: "), d.warnings().toString());
    }

    @Test
    void wrongIndentation() {
        String text = """
                goroutine 8 [chan send]:
                \tmain.a()
                /a.go:1 +0x1
                main.b()
                \t/a.go:2 +0x1
                """;
        GoroutineDump d = read(text);
        Goroutine g = d.goroutines().get(0);
        assertEquals(List.of(new StackFrame("main.a", "", "/a.go", 1), new StackFrame("main.b", "", "/a.go", 2)),
                g.frames());
        assertEquals(1, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).startsWith("line 2: "), d.warnings().toString());
    }

    @Test
    void warningsAreCappedWithACount() {
        StringBuilder b = new StringBuilder("goroutine 1 [running]:\n");
        for (int i = 0; i < 30; i++) {
            b.append("main.f()\n\tnot a location\n");
        }
        GoroutineDump d = read(b.toString());
        assertEquals(30, d.goroutines().get(0).frames().size());
        assertEquals(21, d.warnings().size());
        assertEquals("and 10 more", d.warnings().get(20));
    }

    @Test
    void identicalStacksAreShared() {
        String one = "goroutine %d [select (no cases)]:\nmain.leak.func1()\n\t/a.go:55 +0xf\ncreated by main.leak in goroutine 9\n\t/a.go:55 +0x28\n\n";
        GoroutineDump d = read(one.formatted(1) + one.formatted(2));
        assertTrue(d.goroutines().get(0).frames() == d.goroutines().get(1).frames());
        assertTrue(d.goroutines().get(0).createdBy() == d.goroutines().get(1).createdBy());
    }

    @Test
    void noGoroutineIsAnError() {
        BadInputException e = assertThrows(BadInputException.class, () -> read("hello\nworld\n"));
        assertTrue(e.getMessage().startsWith("no goroutine found"), e.getMessage());
        assertThrows(BadInputException.class, () -> read(""));
    }

    @Test
    void debug1TextWithLabels() {
        String text = """
                goroutine profile: total 7
                5 @ 0x48c6ca 0x6e2a8f 0x4935a1
                # labels: {"handler":"checkout", "tenant":"a b"}
                #\t0x6e2a8e\tmain.leakSelect.func1+0xe\texample.com/x/main.go:55

                2 @ 0x48c6ca 0x4935a1
                #\t0x6e2a8e\tmain.other+0xe\texample.com/x/main.go:60
                """;
        GoroutineDump d = GoroutineCountReader.read(new java.io.ByteArrayInputStream(text.getBytes()), "t");
        assertEquals(7, d.total());
        assertEquals(Map.of("handler", "checkout", "tenant", "a b"), d.goroutines().get(0).labels());
        assertEquals(new StackFrame("main.leakSelect.func1", null, "example.com/x/main.go", 55),
                d.goroutines().get(0).frames().get(0));
        assertEquals(List.of(), d.warnings());
    }

    @Test
    void urlsOfTheGoroutineEndpointAskForTheFullDump() {
        assertEquals("http://h:6060/debug/pprof/goroutine?debug=2",
                GoroutineSources.dumpUrl("http://h:6060/debug/pprof/goroutine"));
        assertEquals("http://h:6060/debug/pprof/goroutineleak?debug=2",
                GoroutineSources.dumpUrl("http://h:6060/debug/pprof/goroutineleak"));
        assertEquals("http://h:6060/debug/pprof/goroutine?debug=1",
                GoroutineSources.dumpUrl("http://h:6060/debug/pprof/goroutine?debug=1"));
        assertEquals("http://h/other", GoroutineSources.dumpUrl("http://h/other"));
    }

    @Test
    void sourceErrorsNameTheSource() {
        BadInputException e = assertThrows(BadInputException.class, () -> GoroutineSources.load("/nonexistent/x.txt",
                dev.godiag.format.InputSource.FetchOptions.DEFAULT, 1L << 30));
        assertEquals("/nonexistent/x.txt: no such file", e.getMessage());
    }
}
