package dev.godiag.bench;

import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * Writes a large synthetic CPU profile for the benchmark (bench/run.sh): an HTTP service under
 * load, deterministic from a seed. At scale 1 it has 480k samples over 240k distinct stacks
 * (depth uniform 8..56 locations; every stack once, the rest drawn Zipf-like) and 20k functions
 * with Go-like names in 50k locations, string labels {@code endpoint} (50 values) and
 * {@code request_id} (200k values) on request samples (95%), a numeric label {@code bytes} on about
 * a quarter of them, locations with 2-3 inlined lines, self and mutual recursion, and skew: callees,
 * endpoints and stacks are drawn from Zipf-like distributions, so a few paths are hot. Written with
 * gzip's fastest level as the Go runtime does, it lands at about 29 MB (the counts are tuned for
 * that: 25-35 MB).
 *
 * <p>Usage: {@code StressProfileGenerator OUTPUT [SEED] [SCALE]} (seed default 1, scale default 1).
 */
public final class StressProfileGenerator {
    public static final long PERIOD = 10_000_000L;
    public static final int MIN_DEPTH = 8;
    public static final int MAX_DEPTH = 56;
    public static final int ENDPOINTS = 50;
    /** Share of samples from a background worker pool: no request labels. */
    static final double BACKGROUND_SHARE = 0.05;

    /** The sizes of a generated profile at a scale. */
    public record Config(double scale, int samples, int stacks, int functions, int requestIds) {
        public static Config of(double scale) {
            if (!(scale > 0)) {
                throw new IllegalArgumentException("scale must be > 0: " + scale);
            }
            int samples = Math.max(200, (int) Math.round(480_000 * scale));
            int stacks = Math.max(100, (int) Math.round(240_000 * scale));
            int functions = Math.max(FIXED.length + ENDPOINTS + 200, (int) Math.round(20_000 * scale));
            int requestIds = Math.max(50, (int) Math.round(200_000 * scale));
            return new Config(scale, samples, stacks, functions, requestIds);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: StressProfileGenerator OUTPUT [SEED] [SCALE]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        double scale = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        long t0 = System.nanoTime();
        Profile p = generate(seed, Config.of(scale));
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            // the Go runtime writes its profiles with gzip.BestSpeed
            ProtoProfileWriter.write(p, os, Deflater.BEST_SPEED);
        }
        System.err.printf(Locale.ROOT,
                "wrote %s: %.1f MB gzipped, %d samples, %d distinct stacks, %d functions, %d locations"
                        + " (seed %d, scale %s, %.1f s)%n",
                out, Files.size(out) / 1e6, p.samples().size(), distinctStacks(p), p.functions().size(),
                p.locations().size(), seed, scale, (System.nanoTime() - t0) / 1e9);
    }

    /** The number of distinct location sequences among the samples of {@code p}. */
    public static int distinctStacks(Profile p) {
        Set<List<Integer>> seen = new HashSet<>();
        var s = p.samples();
        for (int i = 0; i < s.size(); i++) {
            List<Integer> stack = new ArrayList<>(s.depth(i));
            for (int j = s.locStart[i]; j < s.locStart[i + 1]; j++) {
                stack.add(s.locations[j]);
            }
            seen.add(stack);
        }
        return seen.size();
    }

    // ---- the fixed (runtime and standard library) functions: name, file ----

    private static final String[][] FIXED = {
        // runtime
        {"runtime.goexit", "runtime/asm_amd64.s"},
        {"runtime.mallocgc", "runtime/malloc.go"},
        {"runtime.newobject", "runtime/malloc.go"},
        {"runtime.makeslice", "runtime/slice.go"},
        {"runtime.growslice", "runtime/slice.go"},
        {"runtime.memmove", "runtime/memmove_amd64.s"},
        {"runtime.memclrNoHeapPointers", "runtime/memclr_amd64.s"},
        {"runtime.mapaccess1_faststr", "runtime/map_faststr.go"},
        {"runtime.mapaccess2_faststr", "runtime/map_faststr.go"},
        {"runtime.mapassign_faststr", "runtime/map_faststr.go"},
        {"runtime.mapaccess2", "runtime/map.go"},
        {"runtime.aeshashbody", "runtime/asm_amd64.s"},
        {"runtime.memequal", "runtime/memequal_amd64.s"},
        {"runtime.concatstrings", "runtime/string.go"},
        {"runtime.concatstring3", "runtime/string.go"},
        {"runtime.slicebytetostring", "runtime/string.go"},
        {"runtime.stringtoslicebyte", "runtime/string.go"},
        {"runtime.convTstring", "runtime/iface.go"},
        {"runtime.convT64", "runtime/iface.go"},
        {"runtime.assertE2I2", "runtime/iface.go"},
        {"runtime.typedmemmove", "runtime/mbarrier.go"},
        {"runtime.bulkBarrierPreWrite", "runtime/mbitmap.go"},
        {"runtime.gcWriteBarrier2", "runtime/asm_amd64.s"},
        {"runtime.wbBufFlush", "runtime/mwbbuf.go"},
        {"runtime.wbBufFlush1", "runtime/mwbbuf.go"},
        {"runtime.findObject", "runtime/mbitmap.go"},
        {"runtime.greyobject", "runtime/mgcmark.go"},
        {"runtime.scanobject", "runtime/mgcmark.go"},
        {"runtime.gcDrainN", "runtime/mgcmark.go"},
        {"runtime.gcAssistAlloc", "runtime/mgcmark.go"},
        {"runtime.gcAssistAlloc.func1", "runtime/mgcmark.go"},
        {"runtime.gcAssistAlloc1", "runtime/mgcmark.go"},
        {"runtime.deductAssistCredit", "runtime/malloc.go"},
        {"runtime.systemstack", "runtime/asm_amd64.s"},
        {"runtime.nextFreeFast", "runtime/malloc.go"},
        {"runtime.(*mcache).nextFree", "runtime/malloc.go"},
        {"runtime.(*mcache).refill", "runtime/mcache.go"},
        {"runtime.(*mcentral).cacheSpan", "runtime/mcentral.go"},
        {"runtime.(*mcentral).grow", "runtime/mcentral.go"},
        {"runtime.(*mheap).alloc", "runtime/mheap.go"},
        {"runtime.(*mheap).allocSpan", "runtime/mheap.go"},
        {"runtime.heapSetType", "runtime/mbitmap.go"},
        {"runtime.morestack", "runtime/asm_amd64.s"},
        {"runtime.newstack", "runtime/stack.go"},
        {"runtime.copystack", "runtime/stack.go"},
        {"runtime.lock2", "runtime/lock_futex.go"},
        {"runtime.unlock2", "runtime/lock_futex.go"},
        {"runtime.futex", "runtime/sys_linux_amd64.s"},
        {"runtime.futexwakeup", "runtime/os_linux.go"},
        {"runtime.procyield", "runtime/asm_amd64.s"},
        {"runtime.semacquire1", "runtime/sema.go"},
        {"runtime.semrelease1", "runtime/sema.go"},
        {"runtime.gopark", "runtime/proc.go"},
        {"runtime.goready", "runtime/proc.go"},
        {"runtime.ready", "runtime/proc.go"},
        {"runtime.runqput", "runtime/proc.go"},
        {"runtime.wakep", "runtime/proc.go"},
        {"runtime.chansend1", "runtime/chan.go"},
        {"runtime.chansend", "runtime/chan.go"},
        {"runtime.chanrecv1", "runtime/chan.go"},
        {"runtime.chanrecv", "runtime/chan.go"},
        {"runtime.selectgo", "runtime/select.go"},
        {"runtime.nanotime1", "runtime/sys_linux_amd64.s"},
        {"runtime.walltime", "runtime/sys_linux_amd64.s"},
        {"runtime.entersyscall", "runtime/proc.go"},
        {"runtime.exitsyscall", "runtime/proc.go"},
        {"runtime.makemap_small", "runtime/map.go"},
        {"runtime.makemap", "runtime/map.go"},
        {"runtime.mapiternext", "runtime/map.go"},
        {"runtime.mapiterinit", "runtime/map.go"},
        {"runtime.intstring", "runtime/string.go"},
        {"runtime.rawstring", "runtime/string.go"},
        {"runtime.cmpstring", "runtime/asm_amd64.s"},
        {"runtime.deferreturn", "runtime/panic.go"},
        {"runtime.newproc", "runtime/proc.go"},
        {"runtime.newproc1", "runtime/proc.go"},
        // net/http
        {"net/http.(*conn).serve", "net/http/server.go"},
        {"net/http.serverHandler.ServeHTTP", "net/http/server.go"},
        {"net/http.(*ServeMux).ServeHTTP", "net/http/server.go"},
        {"net/http.HandlerFunc.ServeHTTP", "net/http/server.go"},
        {"net/http.(*conn).readRequest", "net/http/server.go"},
        {"net/http.readRequest", "net/http/request.go"},
        {"net/http.(*response).Write", "net/http/server.go"},
        {"net/http.(*response).write", "net/http/server.go"},
        {"net/http.(*response).finishRequest", "net/http/server.go"},
        {"net/http.(*chunkWriter).Write", "net/http/server.go"},
        {"net/http.(*chunkWriter).writeHeader", "net/http/server.go"},
        {"net/http.Header.Get", "net/http/header.go"},
        {"net/http.Header.writeSubset", "net/http/header.go"},
        {"net/http.(*Request).ParseForm", "net/http/request.go"},
        {"net/http.(*Request).Context", "net/http/request.go"},
        {"net/http.(*Client).Do", "net/http/client.go"},
        {"net/http.(*Client).do", "net/http/client.go"},
        {"net/http.(*Transport).RoundTrip", "net/http/roundtrip.go"},
        {"net/http.(*Transport).roundTrip", "net/http/transport.go"},
        {"net/http.(*persistConn).roundTrip", "net/http/transport.go"},
        {"net/textproto.(*Reader).ReadMIMEHeader", "net/textproto/reader.go"},
        {"net/textproto.(*Reader).readContinuedLineSlice", "net/textproto/reader.go"},
        {"net/textproto.CanonicalMIMEHeaderKey", "net/textproto/reader.go"},
        {"net/url.ParseQuery", "net/url/url.go"},
        {"net/url.parseQuery", "net/url/url.go"},
        {"net/url.QueryUnescape", "net/url/url.go"},
        {"net/url.unescape", "net/url/url.go"},
        // net, internal/poll, syscall
        {"net.(*conn).Write", "net/net.go"},
        {"net.(*conn).Read", "net/net.go"},
        {"net.(*netFD).Write", "net/fd_posix.go"},
        {"net.(*netFD).Read", "net/fd_posix.go"},
        {"internal/poll.(*FD).Write", "internal/poll/fd_unix.go"},
        {"internal/poll.(*FD).Read", "internal/poll/fd_unix.go"},
        {"internal/poll.ignoringEINTRIO", "internal/poll/fd_unix.go"},
        {"internal/poll.(*pollDesc).waitRead", "internal/poll/fd_poll_runtime.go"},
        {"internal/poll.(*pollDesc).wait", "internal/poll/fd_poll_runtime.go"},
        {"internal/poll.runtime_pollWait", "runtime/netpoll.go"},
        {"syscall.Write", "syscall/syscall_unix.go"},
        {"syscall.Read", "syscall/syscall_unix.go"},
        {"syscall.write", "syscall/zsyscall_linux_amd64.go"},
        {"syscall.read", "syscall/zsyscall_linux_amd64.go"},
        {"syscall.Syscall", "syscall/syscall_linux.go"},
        {"syscall.RawSyscall6", "syscall/syscall_linux.go"},
        {"internal/runtime/syscall.Syscall6", "internal/runtime/syscall/asm_linux_amd64.s"},
        // bufio, bytes, strings, strconv, unicode
        {"bufio.(*Reader).ReadSlice", "bufio/bufio.go"},
        {"bufio.(*Reader).ReadLine", "bufio/bufio.go"},
        {"bufio.(*Reader).fill", "bufio/bufio.go"},
        {"bufio.(*Writer).Write", "bufio/bufio.go"},
        {"bufio.(*Writer).Flush", "bufio/bufio.go"},
        {"bufio.(*Writer).WriteString", "bufio/bufio.go"},
        {"bytes.(*Buffer).Write", "bytes/buffer.go"},
        {"bytes.(*Buffer).WriteString", "bytes/buffer.go"},
        {"bytes.(*Buffer).WriteByte", "bytes/buffer.go"},
        {"bytes.(*Buffer).grow", "bytes/buffer.go"},
        {"bytes.growSlice", "bytes/buffer.go"},
        {"bytes.IndexByte", "bytes/bytes.go"},
        {"bytes.Equal", "bytes/bytes.go"},
        {"internal/bytealg.IndexByte", "internal/bytealg/indexbyte_amd64.s"},
        {"internal/bytealg.IndexByteString", "internal/bytealg/indexbyte_amd64.s"},
        {"internal/bytealg.IndexString", "internal/bytealg/index_amd64.s"},
        {"internal/bytealg.Count", "internal/bytealg/count_amd64.s"},
        {"strings.(*Builder).WriteString", "strings/builder.go"},
        {"strings.(*Builder).WriteByte", "strings/builder.go"},
        {"strings.(*Builder).grow", "strings/builder.go"},
        {"strings.Index", "strings/strings.go"},
        {"strings.IndexByte", "strings/strings.go"},
        {"strings.Split", "strings/strings.go"},
        {"strings.genSplit", "strings/strings.go"},
        {"strings.Fields", "strings/strings.go"},
        {"strings.ToLower", "strings/strings.go"},
        {"strings.TrimSpace", "strings/strings.go"},
        {"strings.Join", "strings/strings.go"},
        {"strings.Replace", "strings/strings.go"},
        {"strings.(*Replacer).Replace", "strings/replace.go"},
        {"strings.HasPrefix", "strings/strings.go"},
        {"strconv.Itoa", "strconv/itoa.go"},
        {"strconv.FormatInt", "strconv/itoa.go"},
        {"strconv.formatBits", "strconv/itoa.go"},
        {"strconv.ParseInt", "strconv/atoi.go"},
        {"strconv.ParseUint", "strconv/atoi.go"},
        {"strconv.ParseFloat", "strconv/atof.go"},
        {"strconv.atof64", "strconv/atof.go"},
        {"strconv.AppendQuote", "strconv/quote.go"},
        {"strconv.appendQuotedWith", "strconv/quote.go"},
        {"unicode/utf8.DecodeRuneInString", "unicode/utf8/utf8.go"},
        {"unicode/utf8.RuneCountInString", "unicode/utf8/utf8.go"},
        {"unicode/utf8.ValidString", "unicode/utf8/utf8.go"},
        {"unicode.IsSpace", "unicode/graphic.go"},
        // fmt, reflect, sort
        {"fmt.Sprintf", "fmt/print.go"},
        {"fmt.Fprintf", "fmt/print.go"},
        {"fmt.Errorf", "fmt/errors.go"},
        {"fmt.newPrinter", "fmt/print.go"},
        {"fmt.(*pp).doPrintf", "fmt/print.go"},
        {"fmt.(*pp).printArg", "fmt/print.go"},
        {"fmt.(*pp).printValue", "fmt/print.go"},
        {"fmt.(*pp).fmtString", "fmt/print.go"},
        {"fmt.(*pp).fmtInteger", "fmt/print.go"},
        {"fmt.(*fmt).fmtInteger", "fmt/format.go"},
        {"fmt.(*fmt).fmtS", "fmt/format.go"},
        {"fmt.(*fmt).padString", "fmt/format.go"},
        {"reflect.Value.Field", "reflect/value.go"},
        {"reflect.Value.Index", "reflect/value.go"},
        {"reflect.Value.Interface", "reflect/value.go"},
        {"reflect.valueInterface", "reflect/value.go"},
        {"reflect.packEface", "reflect/value.go"},
        {"reflect.Value.String", "reflect/value.go"},
        {"reflect.Value.MapIndex", "reflect/value.go"},
        {"reflect.Value.SetString", "reflect/value.go"},
        {"reflect.New", "reflect/value.go"},
        {"reflect.unsafe_New", "runtime/malloc.go"},
        {"reflect.typedmemmove", "runtime/mbarrier.go"},
        {"reflect.(*rtype).Elem", "reflect/type.go"},
        {"reflect.(*structType).Field", "reflect/type.go"},
        {"sort.Sort", "sort/sort.go"},
        {"sort.Slice", "sort/slice.go"},
        {"sort.pdqsort", "sort/zsortinterface.go"},
        {"sort.pdqsort_func", "sort/zsortfunc.go"},
        {"sort.insertionSort", "sort/zsortinterface.go"},
        {"sort.insertionSort_func", "sort/zsortfunc.go"},
        {"slices.SortFunc", "slices/sort.go"},
        {"slices.pdqsortCmpFunc", "slices/zsortanyfunc.go"},
        {"slices.insertionSortCmpFunc", "slices/zsortanyfunc.go"},
        // sync, context, time
        {"sync.(*Mutex).Lock", "sync/mutex.go"},
        {"sync.(*Mutex).Unlock", "sync/mutex.go"},
        {"internal/sync.(*Mutex).Lock", "internal/sync/mutex.go"},
        {"internal/sync.(*Mutex).lockSlow", "internal/sync/mutex.go"},
        {"internal/sync.(*Mutex).unlockSlow", "internal/sync/mutex.go"},
        {"internal/sync.runtime_SemacquireMutex", "runtime/sema.go"},
        {"sync.(*RWMutex).RLock", "sync/rwmutex.go"},
        {"sync.(*RWMutex).RUnlock", "sync/rwmutex.go"},
        {"sync.(*RWMutex).Lock", "sync/rwmutex.go"},
        {"sync.(*Pool).Get", "sync/pool.go"},
        {"sync.(*Pool).Put", "sync/pool.go"},
        {"sync.(*Pool).getSlow", "sync/pool.go"},
        {"sync.(*Map).Load", "sync/map.go"},
        {"sync.(*Map).LoadOrStore", "sync/map.go"},
        {"sync.(*Once).Do", "sync/once.go"},
        {"sync.(*WaitGroup).Wait", "sync/waitgroup.go"},
        {"sync/atomic.(*Int64).Add", "sync/atomic/type.go"},
        {"sync/atomic.(*Pointer[go.shape.struct {}]).Load", "sync/atomic/type.go"},
        {"context.(*cancelCtx).Done", "context/context.go"},
        {"context.(*valueCtx).Value", "context/context.go"},
        {"context.value", "context/context.go"},
        {"context.WithTimeout", "context/context.go"},
        {"context.WithDeadlineCause", "context/context.go"},
        {"context.(*cancelCtx).propagateCancel", "context/context.go"},
        {"time.Now", "time/time.go"},
        {"time.Since", "time/time.go"},
        {"time.Time.Format", "time/format.go"},
        {"time.Time.AppendFormat", "time/format.go"},
        {"time.Time.appendFormat", "time/format.go"},
        {"time.appendInt", "time/format.go"},
        {"time.AfterFunc", "time/sleep.go"},
        {"time.(*Timer).Stop", "time/sleep.go"},
        // encoding
        {"encoding/json.Marshal", "encoding/json/encode.go"},
        {"encoding/json.(*encodeState).marshal", "encoding/json/encode.go"},
        {"encoding/json.(*encodeState).reflectValue", "encoding/json/encode.go"},
        {"encoding/json.structEncoder.encode", "encoding/json/encode.go"},
        {"encoding/json.ptrEncoder.encode", "encoding/json/encode.go"},
        {"encoding/json.arrayEncoder.encode", "encoding/json/encode.go"},
        {"encoding/json.sliceEncoder.encode", "encoding/json/encode.go"},
        {"encoding/json.mapEncoder.encode", "encoding/json/encode.go"},
        {"encoding/json.stringEncoder", "encoding/json/encode.go"},
        {"encoding/json.intEncoder", "encoding/json/encode.go"},
        {"encoding/json.appendString[go.shape.string]", "encoding/json/encode.go"},
        {"encoding/json.(*Encoder).Encode", "encoding/json/stream.go"},
        {"encoding/json.(*Decoder).Decode", "encoding/json/stream.go"},
        {"encoding/json.(*Decoder).readValue", "encoding/json/stream.go"},
        {"encoding/json.Unmarshal", "encoding/json/decode.go"},
        {"encoding/json.(*decodeState).unmarshal", "encoding/json/decode.go"},
        {"encoding/json.(*decodeState).value", "encoding/json/decode.go"},
        {"encoding/json.(*decodeState).object", "encoding/json/decode.go"},
        {"encoding/json.(*decodeState).array", "encoding/json/decode.go"},
        {"encoding/json.(*decodeState).literalStore", "encoding/json/decode.go"},
        {"encoding/json.(*decodeState).rescanLiteral", "encoding/json/decode.go"},
        {"encoding/json.checkValid", "encoding/json/scanner.go"},
        {"encoding/json.stateInString", "encoding/json/scanner.go"},
        {"encoding/json.cachedTypeFields", "encoding/json/encode.go"},
        {"encoding/json.unquoteBytes", "encoding/json/decode.go"},
        {"encoding/base64.(*Encoding).Encode", "encoding/base64/base64.go"},
        {"encoding/base64.(*Encoding).EncodeToString", "encoding/base64/base64.go"},
        {"encoding/binary.AppendUvarint", "encoding/binary/varint.go"},
        // compress, crypto, io, regexp
        {"compress/gzip.(*Writer).Write", "compress/gzip/gzip.go"},
        {"compress/flate.(*compressor).write", "compress/flate/deflate.go"},
        {"compress/flate.(*compressor).deflate", "compress/flate/deflate.go"},
        {"compress/flate.(*compressor).findMatch", "compress/flate/deflate.go"},
        {"compress/flate.(*huffmanBitWriter).writeBlock", "compress/flate/huffman_bit_writer.go"},
        {"compress/flate.(*huffmanBitWriter).writeTokens", "compress/flate/huffman_bit_writer.go"},
        {"hash/crc32.update", "hash/crc32/crc32_amd64.go"},
        {"hash/crc32.ieeeCLMUL", "hash/crc32/crc32_amd64.s"},
        {"crypto/tls.(*Conn).Write", "crypto/tls/conn.go"},
        {"crypto/tls.(*Conn).Read", "crypto/tls/conn.go"},
        {"crypto/tls.(*Conn).writeRecordLocked", "crypto/tls/conn.go"},
        {"crypto/tls.(*Conn).readRecordOrCCS", "crypto/tls/conn.go"},
        {"crypto/tls.(*halfConn).encrypt", "crypto/tls/conn.go"},
        {"crypto/tls.(*halfConn).decrypt", "crypto/tls/conn.go"},
        {"crypto/internal/fips140/aes/gcm.(*GCM).Seal", "crypto/internal/fips140/aes/gcm/gcm.go"},
        {"crypto/internal/fips140/aes/gcm.(*GCM).Open", "crypto/internal/fips140/aes/gcm/gcm.go"},
        {"crypto/internal/fips140/aes/gcm.gcmAesEnc", "crypto/internal/fips140/aes/gcm/gcm_amd64.s"},
        {"crypto/internal/fips140/aes/gcm.gcmAesDec", "crypto/internal/fips140/aes/gcm/gcm_amd64.s"},
        {"crypto/sha256.Sum256", "crypto/sha256/sha256.go"},
        {"crypto/internal/fips140/sha256.(*Digest).Write", "crypto/internal/fips140/sha256/sha256.go"},
        {"crypto/internal/fips140/sha256.block", "crypto/internal/fips140/sha256/sha256block_amd64.s"},
        {"io.Copy", "io/io.go"},
        {"io.copyBuffer", "io/io.go"},
        {"io.ReadAll", "io/io.go"},
        {"io.ReadFull", "io/io.go"},
        {"io.ReadAtLeast", "io/io.go"},
        {"io.(*LimitedReader).Read", "io/io.go"},
        {"regexp.(*Regexp).MatchString", "regexp/regexp.go"},
        {"regexp.(*Regexp).doMatch", "regexp/exec.go"},
        {"regexp.(*Regexp).doExecute", "regexp/exec.go"},
        {"regexp.(*Regexp).backtrack", "regexp/backtrack.go"},
        {"regexp.(*bitState).push", "regexp/backtrack.go"},
        {"regexp.(*Regexp).tryBacktrack", "regexp/backtrack.go"},
        {"regexp.(*Regexp).FindStringSubmatch", "regexp/regexp.go"},
        // database/sql, log/slog
        {"database/sql.(*DB).QueryContext", "database/sql/sql.go"},
        {"database/sql.(*DB).query", "database/sql/sql.go"},
        {"database/sql.(*DB).queryDC", "database/sql/sql.go"},
        {"database/sql.(*DB).conn", "database/sql/sql.go"},
        {"database/sql.(*DB).ExecContext", "database/sql/sql.go"},
        {"database/sql.(*Rows).Next", "database/sql/sql.go"},
        {"database/sql.(*Rows).nextLocked", "database/sql/sql.go"},
        {"database/sql.(*Rows).Scan", "database/sql/sql.go"},
        {"database/sql.convertAssignRows", "database/sql/convert.go"},
        {"database/sql.withLock", "database/sql/sql.go"},
        {"log/slog.(*Logger).Info", "log/slog/logger.go"},
        {"log/slog.(*Logger).log", "log/slog/logger.go"},
        {"log/slog.(*JSONHandler).Handle", "log/slog/json_handler.go"},
        {"log/slog.(*commonHandler).handle", "log/slog/handler.go"},
        {"log/slog.(*handleState).appendAttr", "log/slog/handler.go"},
        {"log/slog.(*handleState).appendString", "log/slog/handler.go"},
        {"log/slog.appendJSONMarshal", "log/slog/json_handler.go"},
        // third-party
        {"github.com/jackc/pgx/v5/pgconn.(*PgConn).ReceiveMessage", "github.com/jackc/pgx/v5@v5.7.1/pgconn/pgconn.go"},
        {"github.com/jackc/pgx/v5/pgconn.(*PgConn).receiveMessage", "github.com/jackc/pgx/v5@v5.7.1/pgconn/pgconn.go"},
        {"github.com/jackc/pgx/v5/pgproto3.(*Frontend).Receive", "github.com/jackc/pgx/v5@v5.7.1/pgproto3/frontend.go"},
        {"github.com/jackc/pgx/v5/stdlib.(*Conn).QueryContext", "github.com/jackc/pgx/v5@v5.7.1/stdlib/sql.go"},
        {"github.com/jackc/pgx/v5/stdlib.(*Rows).Next", "github.com/jackc/pgx/v5@v5.7.1/stdlib/sql.go"},
        {"google.golang.org/protobuf/proto.MarshalOptions.marshal", "google.golang.org/protobuf@v1.36.5/proto/encode.go"},
        {"google.golang.org/protobuf/internal/impl.(*MessageInfo).marshal", "google.golang.org/protobuf@v1.36.5/internal/impl/encode.go"},
        {"google.golang.org/protobuf/internal/impl.(*MessageInfo).marshalAppendPointer", "google.golang.org/protobuf@v1.36.5/internal/impl/encode.go"},
        {"google.golang.org/protobuf/internal/impl.appendStringSlice", "google.golang.org/protobuf@v1.36.5/internal/impl/codec_gen.go"},
        {"github.com/redis/go-redis/v9.(*baseClient).process", "github.com/redis/go-redis/v9@v9.7.0/redis.go"},
        {"github.com/redis/go-redis/v9.(*baseClient)._process", "github.com/redis/go-redis/v9@v9.7.0/redis.go"},
        {"github.com/redis/go-redis/v9/internal/pool.(*Conn).WithReader", "github.com/redis/go-redis/v9@v9.7.0/internal/pool/conn.go"},
        {"github.com/redis/go-redis/v9/internal/proto.(*Reader).ReadReply", "github.com/redis/go-redis/v9@v9.7.0/internal/proto/reader.go"},
        {"go.opentelemetry.io/otel/sdk/trace.(*recordingSpan).End", "go.opentelemetry.io/otel/sdk@v1.34.0/trace/span.go"},
        {"go.opentelemetry.io/otel/sdk/trace.(*tracer).Start", "go.opentelemetry.io/otel/sdk@v1.34.0/trace/tracer.go"},
        {"go.opentelemetry.io/otel/attribute.NewSet", "go.opentelemetry.io/otel@v1.34.0/attribute/set.go"},
        // the service's own plumbing
        {"example.com/svc/internal/middleware.Recover.func1", "example.com/svc/internal/middleware/recover.go"},
        {"example.com/svc/internal/middleware.Logging.func1", "example.com/svc/internal/middleware/logging.go"},
        {"example.com/svc/internal/middleware.Auth.func1", "example.com/svc/internal/middleware/auth.go"},
        {"example.com/svc/internal/middleware.Tracing.func1", "example.com/svc/internal/middleware/tracing.go"},
        {"example.com/svc/internal/middleware.Metrics.func1", "example.com/svc/internal/middleware/metrics.go"},
        {"example.com/svc/internal/worker.(*Pool).run", "example.com/svc/internal/worker/pool.go"},
        {"example.com/svc/internal/worker.(*Pool).process", "example.com/svc/internal/worker/pool.go"},
        {"example.com/svc/internal/worker.(*Pool).Start.func1", "example.com/svc/internal/worker/pool.go"},
    };

    /** Leaf call chains (root to leaf) that stacks end in: where the CPU time goes. Hot ones first. */
    private static final String[][] LEAF_CHAINS = {
        {"runtime.newobject", "runtime.mallocgc"},
        {"runtime.mapaccess2_faststr", "runtime.aeshashbody"},
        {"encoding/json.Marshal", "encoding/json.(*encodeState).marshal",
            "encoding/json.(*encodeState).reflectValue", "encoding/json.ptrEncoder.encode",
            "encoding/json.structEncoder.encode", "encoding/json.stringEncoder",
            "encoding/json.appendString[go.shape.string]"},
        {"runtime.growslice", "runtime.mallocgc", "runtime.memclrNoHeapPointers"},
        {"sync.(*Mutex).Lock", "internal/sync.(*Mutex).Lock", "internal/sync.(*Mutex).lockSlow",
            "runtime.procyield"},
        {"net/http.(*response).Write", "net/http.(*response).write", "bufio.(*Writer).Write",
            "net/http.(*chunkWriter).Write", "bufio.(*Writer).Flush", "net.(*conn).Write",
            "net.(*netFD).Write", "internal/poll.(*FD).Write", "internal/poll.ignoringEINTRIO", "syscall.Write",
            "syscall.write", "syscall.Syscall", "syscall.RawSyscall6", "internal/runtime/syscall.Syscall6"},
        {"encoding/json.Unmarshal", "encoding/json.(*decodeState).unmarshal", "encoding/json.(*decodeState).value",
            "encoding/json.(*decodeState).object", "encoding/json.(*decodeState).literalStore",
            "reflect.Value.SetString"},
        {"encoding/json.Unmarshal", "encoding/json.checkValid", "encoding/json.stateInString"},
        {"runtime.mallocgc", "runtime.(*mcache).nextFree", "runtime.(*mcache).refill",
            "runtime.(*mcentral).cacheSpan", "runtime.(*mcentral).grow", "runtime.(*mheap).alloc",
            "runtime.systemstack", "runtime.(*mheap).allocSpan"},
        {"runtime.makeslice", "runtime.mallocgc", "runtime.deductAssistCredit", "runtime.gcAssistAlloc",
            "runtime.systemstack", "runtime.gcAssistAlloc.func1", "runtime.gcAssistAlloc1", "runtime.gcDrainN",
            "runtime.scanobject", "runtime.findObject"},
        {"fmt.Sprintf", "fmt.(*pp).doPrintf", "fmt.(*pp).printArg", "fmt.(*pp).fmtInteger",
            "fmt.(*fmt).fmtInteger"},
        {"fmt.Sprintf", "fmt.(*pp).doPrintf", "fmt.(*pp).printArg", "fmt.(*pp).fmtString", "fmt.(*fmt).fmtS",
            "fmt.(*fmt).padString", "runtime.memmove"},
        {"runtime.concatstrings", "runtime.rawstring", "runtime.mallocgc"},
        {"runtime.concatstring3", "runtime.concatstrings", "runtime.memmove"},
        {"strconv.Itoa", "strconv.FormatInt", "strconv.formatBits"},
        {"database/sql.(*DB).QueryContext", "database/sql.(*DB).query", "database/sql.(*DB).queryDC",
            "database/sql.withLock", "github.com/jackc/pgx/v5/stdlib.(*Conn).QueryContext",
            "github.com/jackc/pgx/v5/pgconn.(*PgConn).ReceiveMessage",
            "github.com/jackc/pgx/v5/pgconn.(*PgConn).receiveMessage",
            "github.com/jackc/pgx/v5/pgproto3.(*Frontend).Receive", "runtime.makeslice", "runtime.mallocgc"},
        {"database/sql.(*Rows).Next", "database/sql.withLock", "database/sql.(*Rows).nextLocked",
            "github.com/jackc/pgx/v5/stdlib.(*Rows).Next", "runtime.convTstring", "runtime.mallocgc"},
        {"database/sql.(*Rows).Scan", "database/sql.convertAssignRows", "reflect.Value.SetString"},
        {"database/sql.(*DB).conn", "sync.(*Mutex).Lock", "internal/sync.(*Mutex).Lock",
            "internal/sync.(*Mutex).lockSlow", "internal/sync.runtime_SemacquireMutex", "runtime.semacquire1",
            "runtime.gopark"},
        {"regexp.(*Regexp).MatchString", "regexp.(*Regexp).doMatch", "regexp.(*Regexp).doExecute",
            "regexp.(*Regexp).backtrack", "regexp.(*Regexp).tryBacktrack", "regexp.(*bitState).push"},
        {"regexp.(*Regexp).FindStringSubmatch", "regexp.(*Regexp).doExecute", "regexp.(*Regexp).backtrack",
            "regexp.(*Regexp).tryBacktrack"},
        {"compress/gzip.(*Writer).Write", "compress/flate.(*compressor).write",
            "compress/flate.(*compressor).deflate", "compress/flate.(*compressor).findMatch"},
        {"compress/gzip.(*Writer).Write", "compress/flate.(*compressor).write",
            "compress/flate.(*compressor).deflate", "compress/flate.(*huffmanBitWriter).writeBlock",
            "compress/flate.(*huffmanBitWriter).writeTokens"},
        {"compress/gzip.(*Writer).Write", "hash/crc32.update", "hash/crc32.ieeeCLMUL"},
        {"crypto/tls.(*Conn).Write", "crypto/tls.(*Conn).writeRecordLocked", "crypto/tls.(*halfConn).encrypt",
            "crypto/internal/fips140/aes/gcm.(*GCM).Seal", "crypto/internal/fips140/aes/gcm.gcmAesEnc"},
        {"crypto/tls.(*Conn).Read", "crypto/tls.(*Conn).readRecordOrCCS", "crypto/tls.(*halfConn).decrypt",
            "crypto/internal/fips140/aes/gcm.(*GCM).Open", "crypto/internal/fips140/aes/gcm.gcmAesDec"},
        {"crypto/sha256.Sum256", "crypto/internal/fips140/sha256.(*Digest).Write",
            "crypto/internal/fips140/sha256.block"},
        {"log/slog.(*Logger).Info", "log/slog.(*Logger).log", "log/slog.(*JSONHandler).Handle",
            "log/slog.(*commonHandler).handle", "log/slog.(*handleState).appendAttr",
            "log/slog.(*handleState).appendString", "strconv.AppendQuote", "strconv.appendQuotedWith"},
        {"log/slog.(*Logger).Info", "log/slog.(*Logger).log", "time.Now", "runtime.walltime"},
        {"time.Time.Format", "time.Time.AppendFormat", "time.Time.appendFormat", "time.appendInt"},
        {"time.Now", "runtime.nanotime1"},
        {"context.WithTimeout", "context.WithDeadlineCause", "context.(*cancelCtx).propagateCancel",
            "runtime.newobject", "runtime.mallocgc"},
        {"context.(*valueCtx).Value", "context.value"},
        {"runtime.mapassign_faststr", "runtime.aeshashbody"},
        {"runtime.mapiterinit", "runtime.mapiternext"},
        {"runtime.makemap", "runtime.mallocgc", "runtime.memclrNoHeapPointers"},
        {"runtime.morestack", "runtime.newstack", "runtime.copystack", "runtime.memmove"},
        {"runtime.chansend1", "runtime.chansend", "runtime.goready", "runtime.systemstack", "runtime.ready",
            "runtime.wakep", "runtime.futexwakeup", "runtime.futex"},
        {"runtime.selectgo", "runtime.lock2", "runtime.procyield"},
        {"strings.Split", "strings.genSplit", "strings.Index", "internal/bytealg.IndexString"},
        {"strings.Fields", "unicode.IsSpace"},
        {"strings.ToLower", "strings.(*Builder).grow", "runtime.growslice", "runtime.mallocgc"},
        {"strings.(*Replacer).Replace", "strings.(*Builder).WriteString", "runtime.memmove"},
        {"net/url.ParseQuery", "net/url.parseQuery", "net/url.QueryUnescape", "net/url.unescape",
            "strings.(*Builder).WriteByte"},
        {"sort.Slice", "sort.pdqsort_func", "sort.insertionSort_func"},
        {"slices.SortFunc", "slices.pdqsortCmpFunc", "slices.insertionSortCmpFunc", "runtime.cmpstring"},
        {"sync.(*Pool).Get", "sync.(*Pool).getSlow"},
        {"sync.(*Map).Load", "runtime.aeshashbody"},
        {"reflect.Value.MapIndex", "runtime.mapaccess2", "runtime.memequal"},
        {"encoding/base64.(*Encoding).EncodeToString", "encoding/base64.(*Encoding).Encode"},
        {"google.golang.org/protobuf/proto.MarshalOptions.marshal",
            "google.golang.org/protobuf/internal/impl.(*MessageInfo).marshal",
            "google.golang.org/protobuf/internal/impl.(*MessageInfo).marshalAppendPointer",
            "google.golang.org/protobuf/internal/impl.appendStringSlice"},
        {"github.com/redis/go-redis/v9.(*baseClient).process", "github.com/redis/go-redis/v9.(*baseClient)._process",
            "github.com/redis/go-redis/v9/internal/pool.(*Conn).WithReader",
            "github.com/redis/go-redis/v9/internal/proto.(*Reader).ReadReply", "bufio.(*Reader).ReadSlice",
            "bufio.(*Reader).fill", "net.(*conn).Read", "net.(*netFD).Read", "internal/poll.(*FD).Read",
            "internal/poll.ignoringEINTRIO", "syscall.Read", "syscall.read", "syscall.Syscall",
            "syscall.RawSyscall6", "internal/runtime/syscall.Syscall6"},
        {"go.opentelemetry.io/otel/sdk/trace.(*recordingSpan).End", "time.Now", "runtime.nanotime1"},
        {"go.opentelemetry.io/otel/sdk/trace.(*tracer).Start", "go.opentelemetry.io/otel/attribute.NewSet",
            "sort.Sort", "sort.pdqsort", "sort.insertionSort"},
        {"io.ReadAll", "runtime.growslice", "runtime.mallocgc"},
        {"io.Copy", "io.copyBuffer", "io.(*LimitedReader).Read", "bufio.(*Reader).fill", "net.(*conn).Read",
            "net.(*netFD).Read", "internal/poll.(*FD).Read", "internal/poll.ignoringEINTRIO", "syscall.Read",
            "syscall.read", "syscall.Syscall", "syscall.RawSyscall6", "internal/runtime/syscall.Syscall6"},
        {"runtime.newproc", "runtime.systemstack", "runtime.newproc1", "runtime.runqput"},
        {"runtime.deferreturn"},
        {"runtime.typedmemmove", "runtime.bulkBarrierPreWrite", "runtime.wbBufFlush", "runtime.systemstack",
            "runtime.wbBufFlush1", "runtime.greyobject"},
    };

    private static final String[] RESOURCES = {
        "orders", "users", "carts", "payments", "inventory", "search", "sessions", "products", "reviews",
        "shipping", "invoices", "coupons", "recommendations", "notifications", "accounts", "addresses",
        "wishlists", "returns", "refunds", "tickets", "catalog", "prices", "stores", "loyalty", "reports",
    };
    private static final String[] VERBS = {"List", "Get"};
    private static final String[] TYPE_WORDS = {
        "Service", "Repo", "Cache", "Client", "Codec", "Store", "Handler", "Index", "Queue", "Builder",
        "Validator", "Mapper", "Router", "Pool", "Tracker", "Ledger", "Resolver", "Planner",
    };
    private static final String[] METHOD_WORDS = {
        "Get", "Put", "Load", "Save", "Find", "Build", "Encode", "Decode", "Validate", "Resolve", "Apply",
        "Merge", "Compute", "Render", "Fetch", "Update", "Lookup", "Scan", "Filter", "Sort", "Flush", "Emit",
    };

    // ---- generator state ----

    private final long seed;
    private final SplittableRandom rnd;
    private final Config cfg;
    private final ProfileBuilder b = new ProfileBuilder("pprof");

    private final List<String> fnNames = new ArrayList<>();
    private final List<String> fnFiles = new ArrayList<>();
    private final LongList fnStart = new LongList();
    private final Map<String, Integer> fnByName = new HashMap<>();
    /** First application function (handlers, then the generated packages). */
    private int appFrom;
    /** First generated application function (after the handlers). */
    private int pkgFrom;
    private int[] handlers;
    private int[] middleware;
    private int[][] leafChains;
    /** Per function: its locations (call sites), as location indexes. */
    private int[][] fnLocs;
    /** Per function: the functions it calls, most frequent first. */
    private int[][] callees;
    private boolean[] selfRecursive;
    private boolean[] mutuallyRecursive;

    private StressProfileGenerator(long seed, Config cfg) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.cfg = cfg;
    }

    /** Generates the profile for {@code seed} at the sizes of {@code cfg}. */
    public static Profile generate(long seed, Config cfg) {
        return new StressProfileGenerator(seed, cfg).build();
    }

    private Profile build() {
        b.sampleType("samples", "count").sampleType("cpu", "nanoseconds")
                .period(new ValueType("cpu", "nanoseconds"), PERIOD)
                // 2026-01-01 10:00:00 UTC, plus a second per seed
                .time(1_767_261_600_000_000_000L + Math.floorMod(seed, 86_400L) * 1_000_000_000L)
                .duration(600_000_000_000L); // 10 minutes of a busy 16-core service
        makeFunctions();
        int locations = makeLocations();
        long limit = (0x400000L + 0x20L * (locations + 2) + 0xfff) & ~0xfffL;
        String buildId = String.format(Locale.ROOT, "%016x%016x%08x", mix(seed, 1), mix(seed, 2),
                mix(seed, 3) & 0xffffffffL);
        b.addMapping(new Mapping(1, 0x400000L, limit, 0, "/srv/svc/bin/svc-server", buildId, true, true, true,
                true));
        makeCallGraph();
        makeSamples();
        return b.build();
    }

    // ---- functions ----

    private int addFunction(String name, String file, long startLine) {
        int i = b.addFunction(fnNames.size() + 1, name, name, file, startLine);
        fnNames.add(name);
        fnFiles.add(file);
        fnStart.add(startLine);
        if (fnByName.put(name, i) != null) {
            throw new IllegalStateException("duplicate function " + name);
        }
        return i;
    }

    private int fn(String name) {
        Integer i = fnByName.get(name);
        if (i == null) {
            throw new IllegalStateException("unknown function " + name);
        }
        return i;
    }

    private int nextLine(Map<String, Integer> next, String file) {
        int line = next.getOrDefault(file, 12 + rnd.nextInt(30));
        next.put(file, line + 8 + rnd.nextInt(90));
        return line;
    }

    private void makeFunctions() {
        Map<String, Integer> nextLine = new HashMap<>();
        for (String[] f : FIXED) {
            addFunction(f[0], f[1], nextLine(nextLine, f[1]));
        }
        middleware = new int[] {fn("example.com/svc/internal/middleware.Recover.func1"),
            fn("example.com/svc/internal/middleware.Logging.func1"),
            fn("example.com/svc/internal/middleware.Auth.func1"),
            fn("example.com/svc/internal/middleware.Tracing.func1"),
            fn("example.com/svc/internal/middleware.Metrics.func1")};
        appFrom = fnNames.size();
        handlers = new int[ENDPOINTS];
        for (int e = 0; e < ENDPOINTS; e++) {
            String res = RESOURCES[e % RESOURCES.length];
            String name = "example.com/svc/api.(*Server).handle" + Character.toUpperCase(res.charAt(0))
                    + res.substring(1) + VERBS[e / RESOURCES.length % VERBS.length];
            String file = "example.com/svc/api/" + res + ".go";
            handlers[e] = addFunction(name, file, nextLine(nextLine, file));
        }
        pkgFrom = fnNames.size();
        // packages of 100 functions: methods of types (3-14 each), some closures, some helpers
        int pkg = 0;
        int inPkg = 0;
        int type = 0;
        int methodsLeft = 0;
        int method = 0;
        int helper = 0;
        String typeName = "";
        String lastMethod = null;
        while (fnNames.size() < cfg.functions()) {
            if (inPkg == 100) {
                pkg++;
                inPkg = 0;
                type = 0;
                methodsLeft = 0;
                helper = 0;
                lastMethod = null;
            }
            String pkgPath = String.format(Locale.ROOT, "example.com/svc/pkg%02d", pkg);
            String name;
            String file;
            double r = rnd.nextDouble();
            if (r < 0.08 && lastMethod != null) {
                name = lastMethod + ".func" + (1 + rnd.nextInt(3));
                if (fnByName.containsKey(name)) {
                    continue;
                }
                file = fnFiles.get(fnByName.get(lastMethod));
            } else if (r < 0.20) {
                name = String.format(Locale.ROOT, "%s.%s%s%02d", pkgPath,
                        METHOD_WORDS[rnd.nextInt(METHOD_WORDS.length)].toLowerCase(Locale.ROOT),
                        TYPE_WORDS[rnd.nextInt(TYPE_WORDS.length)], helper++);
                file = pkgPath + "/util.go";
            } else {
                if (methodsLeft == 0) {
                    type++;
                    method = 0;
                    methodsLeft = 3 + rnd.nextInt(12);
                    typeName = String.format(Locale.ROOT, "%s%02d", TYPE_WORDS[rnd.nextInt(TYPE_WORDS.length)], type);
                }
                methodsLeft--;
                boolean pointer = rnd.nextInt(5) != 0;
                name = String.format(Locale.ROOT, pointer ? "%s.(*%s).%s%02d" : "%s.%s.%s%02d", pkgPath, typeName,
                        METHOD_WORDS[rnd.nextInt(METHOD_WORDS.length)], method++);
                file = pkgPath + "/" + typeName.toLowerCase(Locale.ROOT) + ".go";
                lastMethod = name;
            }
            addFunction(name, file, nextLine(nextLine, file));
            inPkg++;
        }
        leafChains = new int[LEAF_CHAINS.length][];
        for (int i = 0; i < LEAF_CHAINS.length; i++) {
            leafChains[i] = Arrays.stream(LEAF_CHAINS[i]).mapToInt(this::fn).toArray();
        }
    }

    // ---- locations: 1-4 call sites per function; about 1 in 8 application ones with inlined frames ----

    private int makeLocations() {
        int n = fnNames.size();
        // small functions the compiler would inline: a few standard ones and 5% of the application's
        IntList inlinable = new IntList();
        for (String s : new String[] {"strings.IndexByte", "strings.HasPrefix", "strings.TrimSpace",
            "unicode/utf8.DecodeRuneInString", "sync/atomic.(*Int64).Add", "time.Since", "bytes.Equal",
            "context.(*cancelCtx).Done", "net/http.Header.Get", "net/http.(*Request).Context",
            "sync/atomic.(*Pointer[go.shape.struct {}]).Load", "encoding/binary.AppendUvarint"}) {
            inlinable.add(fn(s));
        }
        for (int f = pkgFrom; f < n; f++) {
            if (rnd.nextInt(20) == 0) {
                inlinable.add(f);
            }
        }
        fnLocs = new int[n][];
        int loc = 0;
        for (int f = 0; f < n; f++) {
            int k = 1 + rnd.nextInt(4);
            fnLocs[f] = new int[k];
            long start = fnStart.get(f);
            for (int j = 0; j < k; j++) {
                if (f >= appFrom && rnd.nextInt(8) == 0) {
                    int depth = rnd.nextInt(3) == 0 ? 2 : 1;
                    int prev = f;
                    IntList inl = new IntList();
                    for (int d = 0; d < depth; d++) {
                        int g = inlinable.get(rnd.nextInt(inlinable.size()));
                        if (g == prev || g == f || inl.size() > 0 && inl.get(0) == g) {
                            continue;
                        }
                        inl.add(g);
                        prev = g;
                    }
                    // innermost (the deepest inlined callee) first
                    for (int d = inl.size() - 1; d >= 0; d--) {
                        int g = inl.get(d);
                        b.addLine(g, fnStart.get(g) + 1 + rnd.nextInt(12), 0);
                    }
                }
                b.addLine(f, start + 1 + rnd.nextInt(60), 0);
                // code of one function is contiguous; call sites go up with the line
                long address = 0x400000L + 0x20L * loc + 1 + rnd.nextInt(0x1f);
                fnLocs[f][j] = b.endLocation(loc + 1, 0, address, false);
                loc++;
            }
        }
        return loc;
    }

    // ---- call graph ----

    private void makeCallGraph() {
        int n = fnNames.size();
        int appCount = n - pkgFrom;
        // popularity of application functions as callees: Zipf over a random order
        int[] byPopularity = new int[appCount];
        for (int i = 0; i < appCount; i++) {
            byPopularity[i] = pkgFrom + i;
        }
        shuffle(byPopularity);
        Zipf popular = new Zipf(appCount, 0.6);
        callees = new int[n][];
        selfRecursive = new boolean[n];
        mutuallyRecursive = new boolean[n];
        for (int f = appFrom; f < n; f++) {
            boolean handler = f < pkgFrom;
            int k = handler ? 6 + rnd.nextInt(12) : 2 + rnd.nextInt(9);
            int[] cs = new int[k];
            int got = 0;
            for (int tries = 0; got < k && tries < k * 20; tries++) {
                int g = byPopularity[popular.sample(rnd)];
                if (g == f || contains(cs, got, g)) {
                    continue;
                }
                cs[got++] = g;
            }
            callees[f] = Arrays.copyOf(cs, got);
            if (!handler) {
                selfRecursive[f] = rnd.nextInt(40) == 0;
                mutuallyRecursive[f] = rnd.nextInt(60) == 0;
            }
        }
    }

    // ---- stacks and samples ----

    private void makeSamples() {
        int want = cfg.stacks();
        IntList poolLocs = new IntList(want * 32);
        IntList poolStart = new IntList(want + 1);
        IntList poolEndpoint = new IntList(want);
        poolStart.add(0);
        Set<Long> seen = new HashSet<>(want * 2);
        Zipf endpointZipf = new Zipf(ENDPOINTS, 1.0);
        Zipf chainZipf = new Zipf(leafChains.length, 0.8);
        IntList path = new IntList(MAX_DEPTH + 8);
        int[] locs = new int[MAX_DEPTH + 8];
        long attempts = 0;
        while (poolEndpoint.size() < want) {
            if (++attempts > (long) want * 50) {
                throw new IllegalStateException("cannot find " + want + " distinct stacks");
            }
            int endpoint = rnd.nextDouble() < BACKGROUND_SHARE ? -1 : endpointZipf.sample(rnd);
            makePath(path, endpoint, chainZipf);
            int d = path.size();
            long h = 0x6a09e667f3bcc909L;
            for (int i = 0; i < d; i++) {
                int f = path.get(i);
                int[] fl = fnLocs[f];
                int loc = i + 1 < d ? fl[(int) Long.remainderUnsigned(mix(f, path.get(i + 1)), fl.length)]
                        : fl[rnd.nextInt(fl.length)];
                locs[i] = loc;
                h = (h ^ loc) * 0x9e3779b97f4a7c15L;
            }
            h = mix(h, d);
            if (!seen.add(h)) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                poolLocs.add(locs[i]);
            }
            poolStart.add(poolLocs.size());
            poolEndpoint.add(endpoint);
        }

        // every stack once, the rest drawn with skew (a few hot stacks), in shuffled order
        int samples = cfg.samples();
        int[] order = new int[samples];
        for (int i = 0; i < samples; i++) {
            order[i] = i < want ? i : -1;
        }
        Zipf hot = new Zipf(want, 0.9);
        for (int i = want; i < samples; i++) {
            order[i] = hot.sample(rnd);
        }
        shuffle(order);

        String[] endpointNames = new String[ENDPOINTS];
        for (int e = 0; e < ENDPOINTS; e++) {
            String res = RESOURCES[e % RESOURCES.length];
            endpointNames[e] = e / RESOURCES.length % VERBS.length == 0 ? "/api/v1/" + res : "/api/v1/" + res + "/{id}";
        }
        int perEndpoint = Math.max(1, cfg.requestIds() / ENDPOINTS);
        String[] requestIds = new String[perEndpoint * ENDPOINTS];
        for (int st : order) {
            for (int j = poolStart.get(st + 1) - 1; j >= poolStart.get(st); j--) {
                b.addSampleLocation(poolLocs.get(j));
            }
            int e = poolEndpoint.get(st);
            if (e >= 0) {
                b.addLabel("endpoint", endpointNames[e]);
                // a request belongs to one endpoint
                int req = e + ENDPOINTS * rnd.nextInt(perEndpoint);
                if (requestIds[req] == null) {
                    requestIds[req] = String.format(Locale.ROOT, "%016x", mix(seed ^ 0x5eed, req));
                }
                b.addLabel("request_id", requestIds[req]);
                if (rnd.nextInt(4) == 0) {
                    b.addNumLabel("bytes", (1L << (6 + rnd.nextInt(15))) + rnd.nextInt(64), "bytes");
                }
            }
            long count = rnd.nextInt(7) != 0 ? 1 : 2 + rnd.nextInt(4);
            b.endSample(count, count * PERIOD);
        }
    }

    /** Fills {@code path} with the functions of one stack, root first. */
    private void makePath(IntList path, int endpoint, Zipf chainZipf) {
        path.clear();
        int depth = MIN_DEPTH + rnd.nextInt(MAX_DEPTH - MIN_DEPTH + 1);
        path.add(fn("runtime.goexit"));
        int cur;
        if (endpoint >= 0) {
            path.add(fn("net/http.(*conn).serve"));
            path.add(fn("net/http.serverHandler.ServeHTTP"));
            int mw = Math.min(rnd.nextInt(3), (depth - 6) / 2);
            int first = rnd.nextInt(middleware.length);
            for (int i = 0; i < mw; i++) {
                path.add(middleware[(first + i) % middleware.length]);
                path.add(fn("net/http.HandlerFunc.ServeHTTP"));
            }
            path.add(fn("net/http.(*ServeMux).ServeHTTP"));
            cur = handlers[endpoint];
        } else {
            path.add(fn("example.com/svc/internal/worker.(*Pool).Start.func1"));
            path.add(fn("example.com/svc/internal/worker.(*Pool).run"));
            path.add(fn("example.com/svc/internal/worker.(*Pool).process"));
            cur = pkgFrom + rnd.nextInt(fnNames.size() - pkgFrom);
        }
        path.add(cur);
        int rest = depth - path.size();
        int[] chain = rnd.nextInt(10) < 7 ? leafChains[chainZipf.sample(rnd)] : new int[0];
        int chainLen = Math.min(chain.length, Math.max(0, rest - 1));
        int walk = rest - chainLen;
        while (walk > 0) {
            if (selfRecursive[cur] && rnd.nextInt(2) == 0) {
                for (int r = 1 + rnd.nextInt(4); r > 0 && walk > 0; r--, walk--) {
                    path.add(cur);
                }
                continue;
            }
            int[] cs = callees[cur];
            if (mutuallyRecursive[cur] && cs.length > 0 && walk >= 2 && rnd.nextInt(2) == 0) {
                int partner = cs[0];
                for (int r = 1 + rnd.nextInt(3); r > 0 && walk >= 2; r--, walk -= 2) {
                    path.add(partner);
                    path.add(cur);
                }
                continue;
            }
            int next = -1;
            for (int t = 0; t < 4 && cs.length > 0; t++) {
                int g = cs[t == 0 ? skewedIndex(cs.length) : rnd.nextInt(cs.length)];
                if (!onPath(path, g)) {
                    next = g;
                    break;
                }
            }
            while (next < 0) {
                int g = pkgFrom + rnd.nextInt(fnNames.size() - pkgFrom);
                if (!onPath(path, g)) {
                    next = g;
                }
            }
            path.add(next);
            cur = next;
            walk--;
        }
        for (int i = chain.length - chainLen; i < chain.length; i++) {
            path.add(chain[i]);
        }
    }

    /** An index into a callee list, low indexes somewhat likelier. */
    private int skewedIndex(int n) {
        if (rnd.nextInt(3) != 0) {
            return rnd.nextInt(n);
        }
        int i = 0;
        while (i < n - 1 && rnd.nextInt(2) == 0) {
            i++;
        }
        return i;
    }

    private static boolean onPath(IntList path, int f) {
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i) == f) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** splitmix64's finalizer over two inputs: a stable, well-mixed hash. */
    static long mix(long a, long b) {
        long z = a * 0x9e3779b97f4a7c15L + b + 0x632be59bd9b4e019L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s. */
    static final class Zipf {
        private final double[] cdf;

        Zipf(int n, double s) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1 / Math.pow(i + 1, s);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int sample(SplittableRandom r) {
            int i = Arrays.binarySearch(cdf, r.nextDouble());
            i = i >= 0 ? i : -i - 1;
            return Math.min(i, cdf.length - 1);
        }
    }
}
