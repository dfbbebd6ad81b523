package dev.godiag.format.pprof.legacy;

/** A location of the draft: one per (adjusted) address, as pprof's legacy parsers make them. */
final class DraftLocation {
    final long address;
    DraftMapping mapping;
    long id;

    DraftLocation(long address) {
        this.address = address;
    }
}
