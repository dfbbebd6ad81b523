package dev.godiag.badinput;

import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.godiag.badinput.BadInput.assertBadInput;
import static dev.godiag.badinput.BadInput.gzip;
import static dev.godiag.badinput.Pb.function;
import static dev.godiag.badinput.Pb.header;
import static dev.godiag.badinput.Pb.location;
import static dev.godiag.badinput.Pb.msg;
import static dev.godiag.badinput.Pb.sample;
import static dev.godiag.badinput.Pb.strings;
import static dev.godiag.badinput.Pb.valueType;
import static dev.godiag.badinput.Pb.STRINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input at the command line: every case must give exit code 2 and one line on stderr,
 * "godiag: FILE: what is wrong", for both {@code godiag top} and {@code godiag info}.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    /** One hostile input: a file name, its bytes and what the message must say. */
    record Case(String name, byte[] data, String... fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final long[] ONE = {1};

    /** The case list, with overloads so that a case reads as: name, bytes, what the message says. */
    private static final class Cases extends ArrayList<Case> {
        void add(String name, byte[] data, String... fragments) {
            add(new Case(name, data, fragments));
        }

        void add(String name, Pb data, String... fragments) {
            add(name, data.build(), fragments);
        }

        void add(String name, String text, String... fragments) {
            add(name, text.getBytes(StandardCharsets.UTF_8), fragments);
        }
    }

    /** A profile's header with the string table: what most id and string cases build on. */
    private static Pb withStrings(Pb p) {
        return strings(p, STRINGS);
    }

    static List<Case> cases() throws IOException {
        Cases c = new Cases();
        Pb oneType = msg().msg(1, valueType(1, 2)); // 6 bytes: the next field starts at byte 6
        // header() is 59 bytes: the next field starts at byte 59

        // ---- gzip ----
        byte[] gz = Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof"));
        int n = gz.length;
        for (int cut : new int[] {2, 5, 9, 10, 11, 20, n / 4, n / 2, n - 9, n - 8, n - 4, n - 1}) {
            c.add("cpu.cut" + cut + ".pprof", Arrays.copyOf(gz, cut),
                    "truncated gzip data: the file ends (at byte " + cut + ") before the gzip stream does");
        }
        c.add("gzip-magic-only.pprof", new byte[] {0x1f, (byte) 0x8b}, "truncated gzip");
        byte[] badDeflate = gz.clone();
        Arrays.fill(badDeflate, 40, 60, (byte) 0xff);
        c.add("bad-deflate.pprof", badDeflate, "corrupt gzip data: damaged deflate data");
        byte[] badCrc = gz.clone();
        badCrc[n - 6] ^= 0x55;
        c.add("bad-crc.pprof", badCrc,
                "corrupt gzip data: the checksum or length in the gzip trailer does not match the data");
        byte[] badMethod = gz.clone();
        badMethod[2] = 7;
        c.add("bad-method.pprof", badMethod, "corrupt gzip data: unsupported compression method");
        c.add("gzip-junk.pprof", gzip(randomBytes(4096, 1)), "not a profile: binary data");
        c.add("gzip-bad-proto.pprof", gzip(header().lying(2, 1000, (byte) 8).build()),
                "corrupt profile.proto: Profile.sample (field 2) at byte 59 has length 1000");
        c.add("gzip-text.pprof", gzip(ascii("hello, world\nnot a profile\n")), "not a profile: text");
        c.add("gzip-empty.pprof", gzip(new byte[0]), "empty profile (gzip stream holds no data)");
        c.add("gzip-twice.pprof", gzip(gz), "compressed twice");

        // ---- varints, tags and wire types ----
        c.add("varint11.pprof", msg().tag(12, Pb.VARINT).raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0x01), "varint longer than 10 bytes at byte 1");
        c.add("varint-truncated.pprof", oneType.copy().tag(12, Pb.VARINT).raw(0x80, 0x80),
                "truncated varint at byte 7");
        c.add("tag-truncated.pprof", oneType.copy().raw(0x80), "truncated varint at byte 6");
        c.add("sample-as-varint.pprof", header().uint(2, 5),
                "wrong wire type 0 (varint) for Profile.sample (field 2) at byte 59");
        c.add("strings-as-varint.pprof", oneType.copy().uint(6, 0),
                "wrong wire type 0 (varint) for Profile.string_table (field 6) at byte 6");
        c.add("period-as-bytes.pprof", oneType.copy().str(12, "x"),
                "wrong wire type 2 (length-delimited) for Profile.period (field 12) at byte 6");
        c.add("value-type-fixed64.pprof", msg().msg(1, msg().tag(1, Pb.FIXED64).raw(1, 2, 3, 4, 5, 6, 7, 8)),
                "wrong wire type 1 (fixed64) for ValueType.type (field 1) at byte 2");
        c.add("start-group.pprof", oneType.copy().tag(20, 3),
                "invalid wire type 3 (start group) for Profile field 20 at byte 6");
        c.add("wire-type-7.pprof", header().tag(20, 7),
                "invalid wire type 7 (undefined) for Profile field 20 at byte 59");
        c.add("fixed32-truncated.pprof", oneType.copy().tag(20, Pb.FIXED32).raw(1, 2),
                "truncated fixed32 Profile field 20 at byte 6");
        c.add("field-zero.pprof", oneType.copy().uint(0, 1), "invalid field number 0 in Profile at byte 6");
        c.add("field-zero-first.pprof", msg().uint(0, 1), "not a profile: binary data", "00 01");
        c.add("field-too-big.pprof", oneType.copy().uint(1L << 29, 1),
                "invalid field number 536870912 in Profile at byte 6");
        c.add("nested-field-zero.pprof", msg().msg(1, msg().uint(0, 1)),
                "invalid field number 0 in ValueType at byte 2");

        // ---- ids ----
        c.add("dangling-location.pprof", withStrings(header().msg(2, sample(new long[] {99}, 1, 2))),
                "sample 0 (at byte 59) refers to location 99, which does not exist");
        c.add("dangling-function.pprof", withStrings(header().msg(4, location(3, 99, 1))),
                "location 3 (at byte 59) refers to function 99, which does not exist");
        c.add("huge-location-id.pprof", withStrings(header().msg(2, sample(new long[] {-1}, 1, 2))),
                "sample 0 (at byte 59) refers to location 18446744073709551615, which does not exist");
        c.add("function-id-0.pprof", withStrings(header().msg(5, function(0, 5, 6))),
                "function without an id (or with the reserved id 0) at byte 59");
        c.add("location-id-0.pprof", withStrings(header().msg(4, location(0, 1, 1))),
                "location without an id (or with the reserved id 0) at byte 59");
        c.add("mapping-id-0.pprof", withStrings(header().msg(3, msg().uint(2, 0x1000))),
                "mapping without an id (or with the reserved id 0) at byte 59");
        c.add("duplicate-location.pprof", withStrings(header().msg(4, location(1, 2, 7))),
                "two locations with id 1 (at bytes 23 and 59)");
        c.add("duplicate-function.pprof", withStrings(header().msg(5, function(2, 5, 6))),
                "two functions with id 2 (at bytes 51 and 59)");

        // ---- strings ----
        c.add("string0-not-empty.pprof", strings(header(), "x", "samples"),
                "string_table[0] must be the empty string at byte 59");
        c.add("string-out-of-range.pprof", withStrings(header().msg(5, function(3, 99, 6))),
                "function name refers to string 99 but the string table has 8 entries");
        c.add("string-negative.pprof", withStrings(msg().msg(1, valueType(-1, 2))),
                "sample_type refers to string 18446744073709551615");
        c.add("no-string-table.pprof", header().msg(2, sample(ONE, 1, 2)),
                "refers to string 1 but the string table has 0 entries (Go writes it last: truncated?)");

        // ---- lengths ----
        c.add("len-2p31.pprof", msg().str(6, "").lying(6, 1L << 31, (byte) 'a'),
                "Profile.string_table (field 6) at byte 2 has length 2147483648, but only 1 byte is left in the data"
                        + " (truncated?)");
        c.add("len-2p62.pprof", msg().str(6, "").lying(6, 1L << 62, (byte) 'a'),
                "at byte 2 has length 4611686018427387904");
        c.add("len-negative.pprof", msg().str(6, "").lying(6, -1L, (byte) 'a'), "has length 18446744073709551615");
        c.add("len-past-end.pprof", msg().str(6, "").lying(6, 100, (byte) 'a'),
                "has length 100, but only 1 byte is left");
        c.add("sample-len-2p31.pprof", header().lying(2, 1L << 31, (byte) 8),
                "Profile.sample (field 2) at byte 59 has length 2147483648");
        c.add("packed-len-2p62.pprof", header().msg(2, msg().lying(1, 1L << 62, (byte) 1)),
                "Sample.location_id (field 1) at byte 61 has length 4611686018427387904");
        c.add("inner-len-2p31.pprof", header().msg(4, msg().uint(1, 9).lying(4, 1L << 31, (byte) 8))
                .msg(2, sample(ONE, 1, 2)), "Location.line (field 4) at byte 63 has length 2147483648, but only 1 byte"
                + " is left in its enclosing message");
        c.add("inner-len-overrun.pprof", header().msg(2, msg().lying(2, 5, (byte) 1)),
                "Sample.value (field 2) at byte 61 has length 5");

        // ---- sample shape ----
        c.add("value-count.pprof", withStrings(header().msg(2, sample(ONE, 1))),
                "sample 0 (at byte 59) has 1 value but there are 2 sample types");
        c.add("samples-without-types.pprof", withStrings(msg().msg(2, sample(ONE, 1))),
                "1 sample but no sample types");

        // ---- not a profile at all ----
        c.add("empty.pprof", new byte[0], "empty file");
        for (int seed = 1; seed <= 4; seed++) {
            c.add("random" + seed + ".bin", randomBytes(1000 * seed, seed));
        }
        c.add("zeros.bin", new byte[4096], "not a profile: binary data", "00 00 00 00");
        c.add("text.txt", "hello, world\nthis is no profile\n", "not a profile: text", "\"hello, world\"");
        c.add("digits.txt", "12345 apples\n67 pears\n", "not a profile: text");
        c.add("json.txt", "{\"memstats\": {\"Alloc\": 1}}\n", "not a profile: text");
        c.add("go-source.go", "package main\n\nfunc main() {}\n", "not a profile: text");
        c.add("html.html", "<!DOCTYPE html>\n<html><body>Sign in</body></html>\n", "not a profile: text",
                "<!DOCTYPE html>");
        c.add("escape.txt", "hello\u001b[31m red \u001b[0m\n", "not a profile: text", "hello\\x1b[31m red");
        c.add("control-in-first-line.txt", "hello\tworld\u0085 \u2028 x\n", "hello\\tworld\\x85 \\u2028 x");
        c.add("utf16le.txt", utf16(true, "goroutine profile: total 1\n1 @ 0x1\n"), "not a profile: UTF-16 text");
        c.add("utf16be.txt", utf16(false, "heap profile: 1: 2 [3: 4] @ heap/1024\n"), "not a profile: UTF-16 text");
        c.add("utf16-no-bom.txt", "hello, world\n".getBytes(StandardCharsets.UTF_16LE), "not a profile: UTF-16 text");
        c.add("trace.out", "go 1.19 trace\0\0\0A\u0001", "an execution trace: use 'godiag trace'",
                "'godiag trace --pprof sync -o FILE' for a profile of it");
        c.add("zip.zip", "PK\u0003\u0004\u0014\0\0\0", "zip archive");
        c.add("zstd.zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0x58}, "zstd");
        c.add("long-type-name.txt", "A".repeat(20000) + " profile: total 1\nnot a count line\n", "AAAA...",
                "profile line 2: expected");
        c.add("broken-heap.txt", "heap profile: 1: 2 [3: 4] @ heap/1024\n1: x\n", "heap profile line 2");
        return c;
    }

    @ParameterizedTest(name = "top {0}")
    @MethodSource("cases")
    void top(Case c) throws IOException {
        Path f = write(c);
        assertBadInput(Godiag.run("top", f.toString()), f.toString(), c.fragments());
    }

    @ParameterizedTest(name = "info {0}")
    @MethodSource("cases")
    void info(Case c) throws IOException {
        Path f = write(c);
        assertBadInput(Godiag.run("info", f.toString()), f.toString(), c.fragments());
    }

    @Test
    void validProfileIsRead() throws IOException {
        // the builders make valid profiles; the cases above break them on purpose
        Path f = dir.resolve("valid.pprof");
        Files.write(f, Pb.validProfile().build());
        Peers.Result r = Godiag.run("top", f.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("main.work"), r.stdout());
        Files.write(f, gzip(Pb.validProfile().build()));
        r = Godiag.run("info", f.toString());
        assertEquals(0, r.exitCode(), r.stderr());
    }

    @Test
    void directory() throws IOException {
        Path d = Files.createDirectories(dir.resolve("a-directory.pprof"));
        assertBadInput(Godiag.run("top", d.toString()), d.toString(), "directory");
        assertBadInput(Godiag.run("info", d.toString()), d.toString(), "directory");
    }

    @Test
    void nonexistentFile() {
        String f = dir.resolve("no-such.pprof").toString();
        assertBadInput(Godiag.run("top", f), f, "no such file");
        assertBadInput(Godiag.run("info", f), f, "no such file");
    }

    @Test
    void unreadableFile() throws IOException {
        Path f = dir.resolve("unreadable.pprof");
        Files.write(f, Pb.validProfile().build());
        assumeReadOnlyPermissionsWork(f);
        try {
            assertBadInput(Godiag.run("top", f.toString()), f.toString(), "permission denied");
        } finally {
            f.toFile().setReadable(true);
        }
    }

    private static void assumeReadOnlyPermissionsWork(Path f) {
        org.junit.jupiter.api.Assumptions.assumeTrue(f.toFile().setReadable(false) && !Files.isReadable(f),
                "cannot make a file unreadable here (root?)");
    }

    @Test
    void fileNameWithControlCharactersStaysOnOneLine() throws IOException {
        Path f = dir.resolve("two\nlines\u001b[2J.pprof");
        Files.write(f, new byte[] {1, 2, 3});
        Peers.Result r = Godiag.run("top", f.toString());
        assertBadInput(r, "two", "lines");
        assertTrue(!r.stderr().contains("\u001b"), r.stderr());
    }

    @Test
    void secondOfTwoFilesIsNamed() throws IOException {
        Path good = dir.resolve("good.pprof");
        Files.write(good, Pb.validProfile().build());
        Path bad = dir.resolve("bad.pprof");
        Files.write(bad, Arrays.copyOf(Pb.validProfile().build(), 30));
        assertBadInput(Godiag.run("top", good.toString(), bad.toString()), bad.toString(), "corrupt profile.proto");
        assertBadInput(Godiag.run("info", good.toString(), bad.toString()), bad.toString(), "corrupt profile.proto");
        assertBadInput(Godiag.run("top", good.toString(), "--base", bad.toString()), bad.toString());
    }

    @Test
    void stdinIsNamed() {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 8, 0}));
            assertBadInput(Godiag.run("top", "-"), "<stdin>", "truncated gzip");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void stdinThatFailsIsNamed() {
        assertBadInput(withStdinThrowing(new java.io.UncheckedIOException(new IOException("device gone"))),
                "<stdin>", "cannot read: device gone");
        // any failure below the loader, even an unexpected one, is one line naming the input
        assertBadInput(withStdinThrowing(new IllegalStateException("boom")), "<stdin>",
                "cannot read this input: a reader failed on it (IllegalState)", "--debug");
    }

    private static Peers.Result withStdinThrowing(RuntimeException e) {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.InputStream() {
                @Override
                public int read() {
                    throw e;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return read();
                }
            });
            return Godiag.run("info", "-");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void utf8ByteOrderMarkIsIgnored() throws IOException {
        Path f = dir.resolve("bom.txt");
        byte[] text = Files.readAllBytes(Corpus.file("go1.27/cpuwork/goroutine.debug1.txt"));
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Files.write(f, withBom);
        Peers.Result r = Godiag.run("info", f.toString());
        assertEquals(0, r.exitCode(), r.stderr());
    }

    private static Path write(Case c) throws IOException {
        Path f = dir.resolve(c.name());
        Files.write(f, c.data());
        return f;
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf16(boolean little, String s) {
        byte[] body = s.getBytes(little ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) (little ? 0xff : 0xfe);
        out[1] = (byte) (little ? 0xfe : 0xff);
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }
}
