package dev.godiag.cli;

import dev.godiag.format.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.Profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What gc and memory read: a heap profile (profile.proto, or Go's debug=1 heap text) or a runtime
 * log or snapshot (gctrace log, /debug/vars JSON, Prometheus text), told apart by content.
 */
final class RuntimeInputs {
    private RuntimeInputs() {
    }

    /** Either a profile or a runtime input, never both. */
    record Input(String name, Profile profile, dev.godiag.model.RuntimeInput runtime) {
    }

    static Input load(String source, InputSource.FetchOptions fetch, long limit) {
        String name = ProfileLoader.displayName(source);
        if (InputSource.isUrl(source)) {
            // pprof endpoints serve profiles; /debug/vars and /metrics the runtime's numbers
            return source.contains("/debug/pprof/") ? new Input(name, ProfileLoader.load(source, fetch, limit), null)
                    : new Input(name, null, RuntimeSources.load(source, fetch, limit));
        }
        byte[] head = source.equals("-") ? null : head(source);
        if (head != null && (Gzip.isGzip(head) || binary(head) || startsWith(head, "heap profile:"))) {
            try {
                return new Input(name, ProfileLoader.load(source, fetch, limit), null);
            } catch (BadInputException e) {
                if (!Gzip.isGzip(head)) {
                    throw e;
                }
                // a gzipped log: read below
            }
        }
        return new Input(name, null, RuntimeSources.load(source, fetch, limit));
    }

    private static byte[] head(String source) {
        try (InputStream in = Files.newInputStream(Path.of(source))) {
            return in.readNBytes(64);
        } catch (IOException | RuntimeException e) {
            return null; // the reader below names the problem
        }
    }

    private static boolean binary(byte[] head) {
        for (byte b : head) {
            if (b == 0 || (b & 0xff) < 0x09) {
                return true;
            }
        }
        // profile.proto starts with field 1 (sample_type), a message whose first field is 1 (type)
        return head.length > 2 && head[0] == 0x0a && head[2] == 0x08;
    }

    private static boolean startsWith(byte[] head, String prefix) {
        return new String(head, StandardCharsets.ISO_8859_1).startsWith(prefix);
    }
}
