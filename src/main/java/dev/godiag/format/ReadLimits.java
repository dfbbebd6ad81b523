package dev.godiag.format;

/**
 * How much one input may cost to read: the cap on the bytes a gzip stream may inflate to and on
 * the raw bytes of one input (file, standard input, HTTP body). Chosen by the surface (a flag, an
 * environment variable, a server's configuration) and passed down; readers never look elsewhere.
 * A stream whose size is not known before it is read (standard input, an HTTP body) is held to
 * both: it is as unbounded as a gzip stream, so the inflate limit (--max-inflate) applies to it too.
 */
public record ReadLimits(long maxInflate, long maxInput) {
    /** The largest array Java allocates: no single input can be larger. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** 1 GiB of inflated data; inputs up to Java's array limit. */
    public static final ReadLimits DEFAULT = new ReadLimits(Gzip.DEFAULT_LIMIT, MAX_ARRAY);

    public ReadLimits {
        if (maxInflate <= 0 || maxInput <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The default limits with another inflate limit (--max-inflate). */
    public static ReadLimits ofMaxInflate(long bytes) {
        return DEFAULT.withMaxInflate(bytes);
    }

    public ReadLimits withMaxInflate(long bytes) {
        return new ReadLimits(bytes, maxInput);
    }

    public ReadLimits withMaxInput(long bytes) {
        return new ReadLimits(maxInflate, bytes);
    }

    /** The most bytes read from a stream of unknown size (standard input, an HTTP body). */
    public long maxStreamed() {
        return Math.min(maxInflate, maxInput);
    }
}
