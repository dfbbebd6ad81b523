package dev.godiag.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a large synthetic goroutine dump for the benchmark (bench/run.sh): the {@code ?debug=2}
 * text of Go 1.27 for the corpus's leakysvc service (../shared/corpus/go1.27/leakysvc, see the corpus
 * README) after it has leaked for a long time, deterministic from a seed.
 *
 * <p>The mix, for a dump of {@code N} goroutines ({@code N >= 2}):
 * <ul>
 * <li>first the goroutine writing the dump ({@code [running]} in {@code runtime/pprof}, served by
 *     {@code net/http.(*conn).serve}; the highest id), then {@code main.main} (goroutine 1, in
 *     {@code net/http.(*Server).Serve}, IO wait);</li>
 * <li>the other {@code N - 2} in blocks of {@link #BLOCK} = 100, each block holding exactly the
 *     {@link Kind#perBlock} counts of every {@link Kind} in a seeded shuffled order: 13 of each of the
 *     seven leak shapes (91), 4 idle keep-alive connections ({@code net/http.(*conn).serve} in IO
 *     wait), 2 {@code net/http.(*connReader).backgroundRead} and 3 request handlers (a longer
 *     net/http stack through {@code runtime/pprof.Do}, blocked in a select, with
 *     {@code {endpoint: ..., request_id: ...}} labels). A last partial block of {@code r < 100}
 *     goroutines holds the first {@code r} entries of the block in {@link Kind} order (13 leakRange,
 *     13 leakSend, ...), shuffled. So the count of a kind is computable from {@code N} alone:
 *     {@link #expectedCount}.</li>
 * </ul>
 * Headers as Go 1.27 prints them: the six leaks the runtime can detect are {@code (leaked)} in
 * about 97% of cases (no wait time then, as in the corpus), the others and the mutex leak wait
 * 0-59 minutes ({@code , N minutes} from 1 up). Ids grow with gaps; every goroutine names its creator
 * ({@code created by F in goroutine N}, a varying id a little below its own); pointer arguments
 * ({@code 0x3591...} heap addresses, as Go 1.27 prints them in the corpus) vary per goroutine, so the
 * similarity setting changes the grouping of the WaitGroup leak and the net/http stacks.
 * About 300 bytes a goroutine: 1,000,000 goroutines make ~300 MB.
 *
 * <p>Usage: {@code GoroutineDumpGenerator OUTPUT [COUNT] [SEED]} (count default 1,000,000, seed
 * default 1).
 */
public final class GoroutineDumpGenerator {
    public static final int DEFAULT_COUNT = 1_000_000;
    public static final int BLOCK = 100;
    /** Goroutines outside the blocks: the dump writer and main. */
    public static final int FIXED = 2;

    /** What a goroutine in a block is doing; {@code perBlock} of each in every block of 100. */
    public enum Kind {
        LEAK_RANGE(13, "main.leakRange.func1", 30),
        LEAK_SEND(13, "main.leakSend.func1", 43),
        LEAK_SELECT(13, "main.leakSelect.func1", 55),
        LEAK_NIL(13, "main.leakNil.func1", 63),
        LEAK_CTX(13, "main.leakCtx.func1", 73),
        LEAK_MUTEX(13, "main.leakMutex.func1", 83),
        LEAK_WG(13, "main.leakWG.func2", 94),
        CONN_IDLE(4, "net/http.(*conn).serve", 0),
        BACKGROUND_READ(2, "net/http.(*connReader).backgroundRead", 0),
        HANDLER(3, "main.queryDB", 0);

        public final int perBlock;
        /** The leak's goroutine function (the handler's leaf function for HANDLER). */
        public final String function;
        /** For leaks: the line of main.go where it blocks. */
        public final int line;

        Kind(int perBlock, String function, int line) {
            this.perBlock = perBlock;
            this.function = function;
            this.line = line;
        }

        public boolean leak() {
            return line > 0;
        }
    }

    /** Leak goroutines the runtime's detector marks (leaked), per 1000 (not the mutex leak). */
    static final int LEAKED_PER_MILLE = 970;
    static final String[] ENDPOINTS = {"/api/orders", "/api/cart", "/api/checkout", "/api/search"};
    private static final String[] HANDLERS = {"main.handleOrders", "main.handleCart", "main.handleCheckout",
            "main.handleSearch"};
    private static final int[] HANDLER_LINES = {152, 171, 190, 209};

    private static final Kind[] BLOCK_ORDER;

    static {
        List<Kind> order = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (int i = 0; i < k.perBlock; i++) {
                order.add(k);
            }
        }
        if (order.size() != BLOCK) {
            throw new AssertionError("kinds add up to " + order.size());
        }
        BLOCK_ORDER = order.toArray(Kind[]::new);
    }

    private GoroutineDumpGenerator() {
    }

    /** How many goroutines of {@code kind} a dump of {@code count} goroutines holds. */
    public static long expectedCount(Kind kind, long count) {
        long others = count - FIXED;
        long full = others / BLOCK;
        int rest = (int) (others % BLOCK);
        long n = full * kind.perBlock;
        for (int i = 0; i < rest; i++) {
            if (BLOCK_ORDER[i] == kind) {
                n++;
            }
        }
        return n;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: GoroutineDumpGenerator OUTPUT [COUNT] [SEED]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_COUNT;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long t0 = System.nanoTime();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            write(os, count, seed);
        }
        System.err.printf(Locale.ROOT, "wrote %s: %.1f MB, %d goroutines (seed %d, %.1f s)%n",
                out, Files.size(out) / 1e6, count, seed, (System.nanoTime() - t0) / 1e9);
    }

    /** Writes a dump of {@code count} goroutines to {@code os}. */
    public static void write(OutputStream os, int count, long seed) throws IOException {
        if (count < FIXED) {
            throw new IllegalArgumentException("count must be at least " + FIXED + ": " + count);
        }
        new Writer(os, new SplittableRandom(seed)).run(count);
    }

    /** The dump of {@code count} goroutines as a string (for tests: small counts only). */
    public static String generate(int count, long seed) {
        var bytes = new java.io.ByteArrayOutputStream();
        try {
            write(bytes, count, seed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final class Writer {
        private final OutputStream os;
        private final SplittableRandom rnd;
        private final StringBuilder sb = new StringBuilder(1 << 16);
        private long nextId = 2;

        Writer(OutputStream os, SplittableRandom rnd) {
            this.os = os;
            this.rnd = rnd;
        }

        void run(int count) throws IOException {
            int others = count - FIXED;
            // ids: goroutine 1 is main, the others from 2 up with gaps of 1-6 (short-lived goroutines came
            // and went in between), drawn from their own stream; the dump writer has the highest id and is
            // printed first, so walk the stream once to find it, then again while writing
            long idSeed = rnd.nextLong();
            idStream = new SplittableRandom(idSeed);
            for (int i = 0; i < others; i++) {
                takeId();
            }
            long writerId = nextId;
            nextId = 2;
            idStream = new SplittableRandom(idSeed);
            dumpWriter(writerId);
            blank();
            mainGoroutine();
            Kind[] block = new Kind[BLOCK];
            for (int done = 0; done < others; done += BLOCK) {
                int n = Math.min(BLOCK, others - done);
                System.arraycopy(BLOCK_ORDER, 0, block, 0, n);
                for (int i = n - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    Kind t = block[i];
                    block[i] = block[j];
                    block[j] = t;
                }
                for (int i = 0; i < n; i++) {
                    blank();
                    goroutine(block[i]);
                }
                flush(false);
            }
            blank();
            flush(true);
        }

        private void blank() {
            sb.append('\n');
        }

        private void flush(boolean last) throws IOException {
            if (sb.length() >= 1 << 15 || last) {
                os.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
                sb.setLength(0);
            }
        }

        private void goroutine(Kind k) {
            long id = takeId();
            long creator = Math.max(1, id - 1 - rnd.nextInt(24));
            switch (k) {
                case LEAK_RANGE -> leak(id, "chan receive", true, k, "main.leakRange", 29, "+0x76", "+0x31", creator);
                case LEAK_SEND -> leak(id, "chan send", true, k, "main.leakSend", 41, "+0x85", "+0x36", creator);
                case LEAK_SELECT -> leak(id, "select (no cases)", true, k, "main.leakSelect", 55, "+0x28", "+0xf",
                        creator);
                case LEAK_NIL -> leak(id, "chan receive (nil chan)", true, k, "main.leakNil", 61, "+0x28", "+0x17",
                        creator);
                case LEAK_CTX -> leak(id, "chan receive", true, k, "main.leakCtx", 72, "+0x88", "+0x25", creator);
                case LEAK_MUTEX -> leak(id, "sync.Mutex.Lock", false, k, "main.leakMutex", 82, "+0x28", "+0x45",
                        creator);
                case LEAK_WG -> leak(id, "sync.WaitGroup.Wait", true, k, "main.leakWG", 94, "+0xd6", "+0x17", creator);
                case CONN_IDLE -> connIdle(id);
                case BACKGROUND_READ -> backgroundRead(id, Math.max(2, id - 1));
                case HANDLER -> handler(id);
            }
        }

        private long takeId() {
            long id = nextId;
            nextId += 1 + idStream.nextInt(6);
            return id;
        }

        private SplittableRandom idStream;

        private void header(long id, String state, int minutes) {
            sb.append("goroutine ").append(id).append(" [").append(state);
            if (minutes > 0) {
                sb.append(", ").append(minutes).append(" minutes");
            }
            sb.append("]:\n");
        }

        private void leak(long id, String state, boolean detectable, Kind k, String creatorFn, int creatorLine,
                          String creatorPc, String pc, long creator) {
            boolean leaked = detectable && rnd.nextInt(1000) < LEAKED_PER_MILLE;
            if (leaked) {
                header(id, state + " (leaked)", 0);
            } else {
                header(id, state, rnd.nextInt(60));
            }
            switch (k) {
                case LEAK_MUTEX -> {
                    sb.append("internal/sync.runtime_SemacquireMutex(0x497be5?, 0xd0?, 0xb220e0?)\n")
                            .append("\truntime/sema.go:95 +0x25\n")
                            .append("internal/sync.(*Mutex).lockSlow(0xb221e8)\n")
                            .append("\tinternal/sync/mutex.go:149 +0x15a\n")
                            .append("internal/sync.(*Mutex).Lock(...)\n")
                            .append("\tinternal/sync/mutex.go:70\n")
                            .append("sync.(*Mutex).Lock(...)\n")
                            .append("\tsync/mutex.go:46\n");
                }
                case LEAK_WG -> {
                    sb.append("sync.runtime_SemacquireWaitGroup(0x0?, 0x").append(Integer.toHexString(rnd.nextInt(256)))
                            .append("?)\n")
                            .append("\truntime/sema.go:114 +0x2e\n")
                            .append("sync.(*WaitGroup).Wait(");
                    ptr();
                    sb.append(")\n\tsync/waitgroup.go:206 +0x85\n");
                }
                default -> {
                }
            }
            sb.append(k.function).append("()\n\texample.com/shop/leakysvc/main.go:").append(k.line).append(' ')
                    .append(pc).append('\n');
            sb.append("created by ").append(creatorFn).append(" in goroutine ").append(creator)
                    .append("\n\texample.com/shop/leakysvc/main.go:").append(creatorLine).append(' ').append(creatorPc)
                    .append('\n');
        }

        /** A heap pointer as Go 1.27 prints it in the corpus: 0x3591 8xxx xxxx, 16-byte aligned. */
        private void ptr() {
            sb.append("0x35918").append(hex7(rnd.nextInt(1 << 24) << 4));
        }

        private void ptrQ() {
            ptr();
            sb.append('?');
        }

        private static String hex7(int v) {
            String h = Integer.toHexString(v);
            return "0000000".substring(h.length()) + h;
        }

        private void pollWait(String readFn, String readArgsTail, String readLine) {
            sb.append("internal/poll.runtime_pollWait(0x7ff770e6").append(hex4(rnd.nextInt(1 << 12) << 4))
                    .append(", 0x72)\n\truntime/netpoll.go:351 +0x85\n");
            sb.append("internal/poll.(*pollDesc).wait(");
            ptrQ();
            sb.append(", ");
            ptrQ();
            sb.append(", 0x0)\n\tinternal/poll/fd_poll_runtime.go:84 +0x27\n");
            sb.append("internal/poll.(*pollDesc).waitRead(...)\n\tinternal/poll/fd_poll_runtime.go:89\n");
            sb.append("internal/poll.(*FD).").append(readFn).append('(');
            ptr();
            sb.append(readArgsTail).append(")\n\t").append(readLine).append('\n');
        }

        private static String hex4(int v) {
            String h = Integer.toHexString(v);
            return "0000".substring(h.length()) + h;
        }

        private void netRead(String len) {
            pollWait("Read", readBuf(len), "internal/poll/fd_unix.go:170 +0x2a8");
            sb.append("net.(*netFD).Read(");
            ptr();
            sb.append(", {");
            ptrQ();
            sb.append(", 0xa22398?, ");
            ptrQ();
            sb.append("})\n\tnet/fd_posix.go:68 +0x25\n");
            sb.append("net.(*conn).Read(");
            ptr();
            sb.append(", {");
            ptrQ();
            sb.append(", 0x0?, 0x0?})\n\tnet/net.go:196 +0x45\n");
        }

        private String readBuf(String len) {
            StringBuilder save = new StringBuilder();
            save.append(", {0x35918").append(hex7(rnd.nextInt(1 << 24) << 4)).append(", ").append(len).append(", ")
                    .append(len).append('}');
            return save.toString();
        }

        private void createdByServe() {
            sb.append("created by net/http.(*Server).Serve in goroutine 1\n\tnet/http/server.go:3604 +0x4fd\n");
        }

        private void dumpWriter(long id) {
            header(id, "running", 0);
            String w = "0x3591828ba690";
            sb.append("runtime/pprof.writeGoroutineStacks({0xaaa6a8, ").append(w).append("})\n")
                    .append("\truntime/pprof/pprof.go:816 +0x69\n")
                    .append("runtime/pprof.writeGoroutine({0xaaa6a8?, ").append(w).append("?}, 0x359181afb340?)\n")
                    .append("\truntime/pprof/pprof.go:779 +0x25\n")
                    .append("runtime/pprof.(*Profile).WriteTo(0xaf2d40?, {0xaaa6a8?, ").append(w).append("?}, 0xc?)\n")
                    .append("\truntime/pprof/pprof.go:405 +0x149\n")
                    .append("net/http/pprof.handler.ServeHTTP({0x3591823a2d31, 0x9}, {0xaaca18, ").append(w)
                    .append("}, 0x3591828be000)\n")
                    .append("\tnet/http/pprof/pprof.go:272 +0x554\n")
                    .append("net/http/pprof.Index({0xaaca18, ").append(w).append("}, 0x3591828be000?)\n")
                    .append("\tnet/http/pprof/pprof.go:391 +0xdc\n");
            serveChain(w, "0x3591828be000");
            sb.append("net/http.(*conn).serve(0x359181b55e60, {0xaace10, 0x359181a66420})\n")
                    .append("\tnet/http/server.go:2157 +0x6dc\n");
            createdByServe();
        }

        private void serveChain(String w, String req) {
            sb.append("net/http.HandlerFunc.ServeHTTP(0xb01020?, {0xaaca18?, ").append(w).append("?}, 0x69743a?)\n")
                    .append("\tnet/http/server.go:2358 +0x29\n")
                    .append("net/http.(*ServeMux).ServeHTTP(0x489499?, {0xaaca18, ").append(w).append("}, ").append(req)
                    .append(")\n")
                    .append("\tnet/http/server.go:2923 +0x1cf\n")
                    .append("net/http.serverHandler.ServeHTTP({0x359181ab9200?}, {0xaaca18?, ").append(w)
                    .append("?}, 0x1?)\n")
                    .append("\tnet/http/server.go:3436 +0x8e\n");
        }

        private void mainGoroutine() {
            header(1, "IO wait", 0);
            sb.append("""
                    internal/poll.runtime_pollWait(0x7ff770e67c00, 0x72)
                    \truntime/netpoll.go:351 +0x85
                    internal/poll.(*pollDesc).wait(0x359181aee000?, 0x100?, 0x0)
                    \tinternal/poll/fd_poll_runtime.go:84 +0x27
                    internal/poll.(*pollDesc).waitRead(...)
                    \tinternal/poll/fd_poll_runtime.go:89
                    internal/poll.(*FD).Accept(0x359181aee000)
                    \tinternal/poll/fd_unix.go:618 +0x27d
                    net.(*netFD).accept(0x359181aee000)
                    \tnet/fd_unix.go:149 +0x29
                    net.(*TCPListener).accept(0x359181ab8080)
                    \tnet/tcpsock_posix.go:159 +0x1b
                    net.(*TCPListener).Accept(0x359181ab8080)
                    \tnet/tcpsock.go:387 +0x30
                    net/http.(*Server).Serve(0x359181aec000, {0xaacb38, 0x359181ab8080})
                    \tnet/http/server.go:3574 +0x379
                    net/http.(*Server).ListenAndServe(0x359181aec000)
                    \tnet/http/server.go:3485 +0x71
                    net/http.ListenAndServe(...)
                    \tnet/http/server.go:3836
                    main.main()
                    \texample.com/shop/leakysvc/main.go:136 +0x28c
                    """);
        }

        /** A keep-alive connection waiting for its next request. */
        private void connIdle(long id) {
            header(id, "IO wait", rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(10) : 0);
            netRead("0x1000");
            sb.append("net/http.(*connReader).Read(");
            ptr();
            sb.append(readBuf("0x1000")).append(")\n\tnet/http/server.go:807 +0x159\n");
            sb.append("bufio.(*Reader).fill(");
            ptr();
            sb.append(")\n\tbufio/bufio.go:113 +0x103\n");
            sb.append("bufio.(*Reader).Peek(");
            ptr();
            sb.append(", 0x4)\n\tbufio/bufio.go:152 +0x53\n");
            sb.append("net/http.(*conn).serve(");
            ptr();
            sb.append(", {0xaace10, ");
            ptr();
            sb.append("})\n\tnet/http/server.go:2105 +0x6e5\n");
            createdByServe();
        }

        private void backgroundRead(long id, long creator) {
            header(id, "IO wait", 0);
            netRead("0x1");
            sb.append("net/http.(*connReader).backgroundRead(");
            ptr();
            sb.append(")\n\tnet/http/server.go:746 +0x32\n");
            sb.append("created by net/http.(*connReader).startBackgroundRead in goroutine ").append(creator)
                    .append("\n\tnet/http/server.go:742 +0xba\n");
        }

        /** A request in flight: a handler (labelled through pprof.Do) waiting for its database query. */
        private void handler(long id) {
            int e = rnd.nextInt(ENDPOINTS.length);
            sb.append("goroutine ").append(id).append(" [select");
            int minutes = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(3) : 0;
            if (minutes > 0) {
                sb.append(", ").append(minutes).append(" minutes");
            }
            sb.append("] {endpoint: ").append(ENDPOINTS[e]).append(", request_id: ")
                    .append(hex7(rnd.nextInt(1 << 28))).append("}:\n");
            String w = "0x35918" + hex7(rnd.nextInt(1 << 24) << 4);
            String req = "0x35918" + hex7(rnd.nextInt(1 << 24) << 4);
            String ctx = "0x35918" + hex7(rnd.nextInt(1 << 24) << 4);
            sb.append("database/sql.(*DB).conn(");
            ptr();
            sb.append(", {0xaace10, ").append(ctx).append("}, 0x1)\n\tdatabase/sql/sql.go:1337 +0x3b4\n");
            sb.append("database/sql.(*DB).query(");
            ptr();
            sb.append(", {0xaace10, ").append(ctx).append("}, {0x9b1c2e, 0x2f}, {");
            ptr();
            sb.append(", 0x1, 0x1}, 0x1?)\n\tdatabase/sql/sql.go:1730 +0x57\n");
            sb.append("main.queryDB({0xaace10, ").append(ctx).append("}, {0x9b1c2e, 0x2f}, {");
            ptr();
            sb.append(", 0x1, 0x1})\n\texample.com/shop/leakysvc/db.go:41 +0xc5\n");
            sb.append(HANDLERS[e]).append(".func1({0xaace10?, ").append(ctx).append("?})\n")
                    .append("\texample.com/shop/leakysvc/handlers.go:").append(HANDLER_LINES[e] + 6).append(" +0x7d\n");
            sb.append("runtime/pprof.Do({0xaace10, ");
            ptr();
            sb.append("}, {{");
            ptr();
            sb.append(", 0x4, 0x4}}, ");
            ptr();
            sb.append(")\n\truntime/pprof/runtime.go:51 +0x9b\n");
            sb.append(HANDLERS[e]).append("({0xaaca18, ").append(w).append("}, ").append(req).append(")\n")
                    .append("\texample.com/shop/leakysvc/handlers.go:").append(HANDLER_LINES[e]).append(" +0x1d3\n");
            serveChain(w, req);
            sb.append("net/http.(*conn).serve(");
            ptr();
            sb.append(", {0xaace10, ");
            ptr();
            sb.append("})\n\tnet/http/server.go:2157 +0x6dc\n");
            createdByServe();
        }
    }
}
