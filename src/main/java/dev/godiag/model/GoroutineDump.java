package dev.godiag.model;

import java.util.List;

/**
 * The goroutines of one snapshot, whatever the source (a debug=2 dump, a panic or SIGQUIT log,
 * debug=1 text, a goroutine or goroutineleak profile).
 *
 * @param source   the input's name
 * @param format   what it was read from ("goroutine dump", "debug=1 text", "goroutine profile",
 *                 "goroutineleak profile")
 * @param goroutines in input order
 * @param warnings one line each: parts of the input that could not be read, naming the line
 */
public record GoroutineDump(String source, String format, List<Goroutine> goroutines, List<String> warnings) {
    /** The number of goroutines (groups count as many). */
    public long total() {
        long n = 0;
        for (Goroutine g : goroutines) {
            n += g.count();
        }
        return n;
    }
}
