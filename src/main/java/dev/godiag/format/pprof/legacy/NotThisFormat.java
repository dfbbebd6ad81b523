package dev.godiag.format.pprof.legacy;

/** Thrown before a format is recognized, when the data turns out not to be in it. */
final class NotThisFormat extends RuntimeException {
    NotThisFormat() {
        super(null, null, false, false);
    }
}
