package dev.godiag.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Archives for the tests: zips from the JDK's writer, tars with hand-written headers or from GNU tar. */
final class ArchiveBuilder {
    private ArchiveBuilder() {
    }

    /** A zip of the given entries, in order; a name ending in '/' is a directory. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zip(String name, byte[] data) {
        return zip(Map.of(name, data));
    }

    /** A zip holding {@code entries} entries of {@code size} zero bytes each, deflated as they stream. */
    static byte[] zipOfZeros(int entries, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_SPEED);
            for (int i = 0; i < entries; i++) {
                zip.putNextEntry(new ZipEntry("zeros" + i + ".bin"));
                for (long left = size; left > 0; left -= chunk.length) {
                    zip.write(chunk, 0, (int) Math.min(left, chunk.length));
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Rewrites the central directory record of {@code name}: the "made by" host and the external
     * attributes (as Info-ZIP stores a Unix mode: in the high 16 bits), and optionally the declared
     * uncompressed size (a lying header).
     */
    static byte[] patchCentral(byte[] zip, String name, Integer unixMode, Long declaredSize) {
        byte[] out = zip.clone();
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= out.length; at++) {
            if (u32(out, at) != 0x02014b50L) {
                continue;
            }
            int nameLength = u16(out, at + 28);
            if (Arrays.equals(out, at + 46, at + 46 + nameLength, wanted, 0, wanted.length)) {
                if (unixMode != null) {
                    out[at + 5] = 3; // made by: Unix
                    put32(out, at + 38, (long) unixMode << 16);
                }
                if (declaredSize != null) {
                    put32(out, at + 24, declaredSize);
                }
                return out;
            }
        }
        throw new AssertionError("no central directory record for " + name);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }

    private static void put32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** One tar entry written by hand: a ustar header (name up to 100 bytes) and its data. */
    record TarEntry(String name, char type, byte[] data, String linkTarget) {
        static TarEntry file(String name, byte[] data) {
            return new TarEntry(name, '0', data, "");
        }

        static TarEntry symlink(String name, String target) {
            return new TarEntry(name, '2', new byte[0], target);
        }
    }

    static byte[] tar(List<TarEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TarEntry e : entries) {
            out.writeBytes(tarHeader(e.name(), e.type(), e.data().length, e.linkTarget()));
            out.writeBytes(e.data());
            out.writeBytes(new byte[(512 - e.data().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] tarHeader(String name, char type, long size, String linkTarget) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0001750");
        put(h, 116, "0001750");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "14723456701");
        h[156] = (byte) type;
        put(h, 157, linkTarget);
        put(h, 257, "ustar");
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, b.length);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A tar.gz of one regular file {@code name} holding {@code size} zero bytes, after the given
     * leading entries; streamed, so neither the tar nor the zeros are ever held whole.
     */
    static byte[] tarGzOfZeros(List<TarEntry> before, String name, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            byte[] lead = tar(before);
            gz.write(lead, 0, lead.length - 1024); // without the end-of-archive blocks
            gz.write(tarHeader(name, '0', size, ""));
            for (long left = size; left > 0; left -= chunk.length) {
                gz.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
            gz.write(new byte[(int) ((512 - size % 512) % 512) + 1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Runs GNU tar in {@code dir} with the arguments; returns the archive it wrote to {@code archive}. */
    static byte[] gnuTar(Path dir, Path archive, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) { // hang guard
            p.destroyForcibly();
            throw new AssertionError("tar did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + output);
        }
        return Files.readAllBytes(archive);
    }

    static Map<String, byte[]> ordered() {
        return new LinkedHashMap<>();
    }
}
