package dev.godiag.format;

/**
 * How much one input may cost to read: the cap on the bytes a gzip stream may inflate to and on
 * the raw bytes of one input (file, standard input, HTTP body). Chosen by the surface (a flag, an
 * environment variable, a server's configuration) and passed down; readers never look elsewhere.
 */
public record ReadLimits(long maxInflate, long maxInput) {
    /** 1 GiB of inflated data; inputs up to Java's array limit. */
    public static final ReadLimits DEFAULT = new ReadLimits(Gzip.DEFAULT_LIMIT, Integer.MAX_VALUE - 16);

    public ReadLimits {
        if (maxInflate <= 0 || maxInput <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public ReadLimits withMaxInflate(long bytes) {
        return new ReadLimits(bytes, maxInput);
    }
}
