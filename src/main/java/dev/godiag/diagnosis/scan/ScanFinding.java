package dev.godiag.diagnosis.scan;

/**
 * A pattern found at a place in the source.
 *
 * @param check     the check that found it
 * @param file      the file's path as the scan names it ('/'-separated, relative to the root given)
 * @param line      1-based line of what the finding points at (the call, the statement)
 * @param column    1-based byte column, as Go counts
 * @param spanStart first line of the construct whose cost the finding is about (the loop, the
 *                  statement); what a profile's weight is measured over
 * @param spanEnd   last line of that construct
 * @param function  the enclosing function as Go names it without its package: {@code handle},
 *                  {@code (*Server).handle}, {@code Map[K,V].Get}; empty at package level
 * @param message   what was found here, in one sentence
 */
public record ScanFinding(CheckInfo check, String file, int line, int column, int spanStart, int spanEnd,
                          String function, String message) {
}
