package dev.godiag.format.pprof.legacy;

/** A location of the draft: one per (adjusted) address, as pprof's legacy parsers make them. */
final class DraftLocation {
    final long address;
    DraftMapping mapping;
    long id;
    /** The frame a Java profile's symbol table names for this address, or null. */
    Frame frame;

    DraftLocation(long address) {
        this.address = address;
    }

    /** A function and line of a Java profile's symbol table. */
    record Frame(JavaProfileParser.JavaFunction function, long line) {
    }
}
