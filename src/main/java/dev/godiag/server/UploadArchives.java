package dev.godiag.server;

import java.util.List;

/** The files of an upload part. Interim: every part is one file as it is (archives come next). */
public final class UploadArchives {
    private UploadArchives() {
    }

    /** One file of an upload, after unpacking: its path inside the upload and bytes. */
    public record UploadFile(String name, byte[] data) {
    }

    /** Limits: total bytes after unpacking, entries, bytes of one entry. */
    public record Limits(long maxTotalBytes, int maxEntries, long maxEntryBytes) {
        public static Limits defaults() {
            return new Limits(1L << 30, 10_000, 512L << 20);
        }
    }

    public static List<UploadFile> unpack(String name, byte[] data, Limits limits) {
        return List.of(new UploadFile(name, data));
    }
}
