package dev.godiag.format.pprof.legacy;

/** A mapping of the draft; pprof's mapping passes move its bounds after it is read. */
final class DraftMapping {
    long start;
    long limit;
    long offset;
    String file = "";
    String buildId = "";
    long id;
}
