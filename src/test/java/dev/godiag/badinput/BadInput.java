package dev.godiag.badinput;

import dev.godiag.testutil.Peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract for bad input, and small helpers shared by the bad-input tests. */
final class BadInput {
    private BadInput() {
    }

    /**
     * Exit code 2; stderr is exactly one line (a trailing newline aside) that starts with
     * "godiag: ", names the input and, when given, contains each fragment; no stack trace, no
     * exception class names; nothing on stdout.
     */
    static String assertBadInput(Peers.Result r, String name, String... fragments) {
        if (Boolean.getBoolean("godiag.badinput.print")) {
            System.out.println("[bad input] " + r.stderr().strip());
        }
        String context = "stderr was:\n" + r.stderr() + "\nstdout was:\n" + abbreviate(r.stdout());
        assertEquals(2, r.exitCode(), "exit code; " + context);
        String line = r.stderr();
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - 1);
        }
        assertFalse(line.isEmpty(), "empty stderr");
        assertFalse(line.contains("\n") || line.contains("\r"), "more than one line on stderr; " + context);
        assertTrue(line.startsWith("godiag: "), "does not start with 'godiag: '; " + context);
        assertTrue(line.contains(name), "does not name " + name + "; " + context);
        assertFalse(line.contains("Exception"), "names an exception; " + context);
        assertTrue(line.length() < 600 + name.length(), "a line of " + line.length() + " characters; " + context);
        assertFalse(line.contains("at dev.") || line.contains("at java."), "stack trace; " + context);
        for (String f : fragments) {
            assertTrue(line.contains(f), "does not contain \"" + f + "\"; " + context);
        }
        assertEquals("", r.stdout(), "stdout should be empty; " + context);
        return line;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** A gzip stream of n zero bytes, written in chunks so the bomb never exists uncompressed. */
    static byte[] gzipOfZeros(long n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (GZIPOutputStream z = new GZIPOutputStream(b, 1 << 16)) {
            for (long left = n; left > 0; left -= chunk.length) {
                z.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
