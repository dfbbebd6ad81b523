package dev.godiag.cli;

import dev.godiag.util.BadInputException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/** Where a command's file output goes: standard output for "-" (or none), else a file written whole or not at all. */
final class Output {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Output() {
    }

    /** Writes the output to one stream. */
    interface Body {
        void write(OutputStream os) throws IOException;
    }

    /** Writes to the file named (null or "-": standard output). */
    static void write(Terminal term, String output, Body body) {
        if (output == null || output.equals("-")) {
            // streamed: a report of hundreds of MB is never held whole
            OutputStream os = new BufferedOutputStream(term.out(), 1 << 16);
            try {
                body.write(os);
                os.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            toFile(Path.of(output), body);
        }
    }

    /** Writes beside the target and renames, so a failure never leaves half a file behind. */
    private static void toFile(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            // not Files.createTempFile: its 0600 would stick to the result; this gets the umask's mode
            Path name = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + ".tmp");
            OutputStream raw = Files.newOutputStream(name, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            tmp = name; // ours from here on: deleted if anything fails
            try (OutputStream os = new BufferedOutputStream(raw, 1 << 16)) {
                body.write(os);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BadInputException(target + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the file was never written
                }
            }
        }
    }
}
