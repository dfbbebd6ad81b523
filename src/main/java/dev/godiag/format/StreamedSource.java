package dev.godiag.format;

import dev.godiag.util.BadInputException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What the readers of large text inputs (goroutine dumps, runtime logs) share: a file opened for
 * streaming with its first bytes to sniff, and every failure turned into one line naming the input.
 */
public final class StreamedSource {
    private StreamedSource() {
    }

    /** Reads a file from its start, knowing its first bytes. */
    public interface Reader<T> {
        T read(InputStream in, byte[] head) throws IOException;
    }

    /**
     * Opens a file and hands the reader a buffered stream at its start and up to {@code sniff} first
     * bytes. The usual problems (no such file, a directory, empty, unreadable) are one-line errors.
     */
    public static <T> T readFile(Path p, int sniff, Reader<T> reader) {
        if (Files.isDirectory(p)) {
            throw new BadInputException("is a directory, not a file");
        }
        try (InputStream raw = Files.newInputStream(p);
             BufferedInputStream in = new BufferedInputStream(raw, Math.max(1 << 16, sniff))) {
            in.mark(sniff);
            byte[] head = in.readNBytes(sniff);
            in.reset();
            if (head.length == 0) {
                throw new BadInputException("empty file");
            }
            return reader.read(in, head);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException("no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException("permission denied");
        } catch (IOException e) {
            throw new BadInputException("cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    /**
     * Runs a load so that whatever goes wrong is a BadInputException whose one line starts with the
     * input's name (once), as ProfileLoader's errors do: bad input, too little memory, an I/O
     * failure, or a reader's bug (reported as such, details with --debug).
     */
    public static <T> T named(String name, Supplier<T> load) {
        try {
            return load.get();
        } catch (BadInputException e) {
            if (e.getMessage().startsWith(name + ": ")) {
                throw e;
            }
            throw new BadInputException(name + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(name + ": too large for the memory available"
                    + " (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
        } catch (UncheckedIOException e) {
            throw new BadInputException(name + ": cannot read: " + e.getCause().getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new BadInputException(name + ": cannot read this input: a reader failed on it ("
                    + e.getClass().getSimpleName().replace("Exception", "") + "); please report it, --debug shows"
                    + " details", e);
        }
    }
}
