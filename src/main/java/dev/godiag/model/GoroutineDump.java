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
 * @param fatalError the runtime's "fatal error: ..." message the dump came with ("all goroutines are
 *                   asleep - deadlock!"), or null
 */
public record GoroutineDump(String source, String format, List<Goroutine> goroutines, List<String> warnings,
                            String fatalError) {
    /** The runtime's message when it found that no goroutine can ever run again. */
    public static final String DEADLOCK = "all goroutines are asleep - deadlock!";

    public GoroutineDump(String source, String format, List<Goroutine> goroutines, List<String> warnings) {
        this(source, format, goroutines, warnings, null);
    }

    /** Whether the runtime itself declared this program deadlocked. */
    public boolean deadlocked() {
        return fatalError != null && fatalError.startsWith(DEADLOCK);
    }

    /** The number of goroutines (groups count as many). */
    public long total() {
        long n = 0;
        for (Goroutine g : goroutines) {
            n += g.count();
        }
        return n;
    }
}
