package dev.godiag.analysis.profile;

import java.util.Locale;

/** What a report row stands for, as pprof's -functions, -filefunctions, -files, -lines, -addresses. */
public enum Granularity {
    FUNCTIONS, FILEFUNCTIONS, FILES, LINES, ADDRESSES;

    public static Granularity parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.godiag.util.BadInputException("unknown granularity '" + s
                    + "' (functions, filefunctions, files, lines, addresses)");
        }
    }
}
