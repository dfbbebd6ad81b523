package dev.godiag.format;

import dev.godiag.util.BadInputException;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one input comes from, independent of the surface that names it: a file, standard input,
 * an http(s) URL (a live /debug/pprof endpoint), or bytes already in memory (an upload, a scrape).
 * The CLI makes sources from its operands; a server from requests. Readers take sources, not paths.
 */
public sealed interface Source {
    /** The name used in reports and error messages. */
    String name();

    /** Reads the whole input, at most {@code limits.maxInput()} bytes. Errors are one line without the name. */
    byte[] readAll(ReadLimits limits);

    /** A file on disk. */
    record File(Path path) implements Source {
        public File {
            Objects.requireNonNull(path);
        }

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public byte[] readAll(ReadLimits limits) {
            return InputSource.readFile(path, limits);
        }
    }

    /** Standard input (read once). */
    record Stdin(InputStream in) implements Source {
        @Override
        public String name() {
            return "<stdin>";
        }

        @Override
        public byte[] readAll(ReadLimits limits) {
            return InputSource.readStandardInput(in, limits);
        }
    }

    /** An http(s) URL, fetched as pprof fetches (seconds parameter, timeout). */
    record Url(String url, InputSource.FetchOptions fetch) implements Source {
        public Url {
            Objects.requireNonNull(url);
            Objects.requireNonNull(fetch);
        }

        @Override
        public String name() {
            return url;
        }

        @Override
        public byte[] readAll(ReadLimits limits) {
            return InputSource.readAll(url, fetch, limits);
        }
    }

    /** Bytes in memory under a name (an upload, a scraped body, a test). */
    record Bytes(String name, byte[] data) implements Source {
        public Bytes {
            Objects.requireNonNull(name);
            Objects.requireNonNull(data);
        }

        @Override
        public byte[] readAll(ReadLimits limits) {
            if (data.length > limits.maxInput()) {
                throw new BadInputException("input of " + data.length + " bytes is larger than the limit ("
                        + Gzip.describeSize(limits.maxInput()) + ")");
            }
            return data;
        }
    }

    /**
     * The source a command-line operand names: "-" standard input, http(s):// a URL, anything else
     * a file.
     */
    static Source of(String operand, InputSource.FetchOptions fetch, InputStream stdin) {
        if (operand.equals("-")) {
            return new Stdin(stdin);
        }
        if (InputSource.isUrl(operand)) {
            return new Url(operand, fetch);
        }
        try {
            return new File(Path.of(operand));
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException(operand + ": invalid file name (" + e.getReason() + ")");
        }
    }
}
