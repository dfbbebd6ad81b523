package dev.godiag.format.goroutine;

import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.List;

/** Warnings of one read: one line each, the first {@value #MAX}, then "and K more". */
final class Warnings {
    static final int MAX = 20;
    private static final int QUOTE = 80;
    private final List<String> lines = new ArrayList<>();
    private long dropped;

    void add(long line, String what) {
        if (lines.size() < MAX) {
            lines.add(BadInputException.oneLine("line " + line + ": " + what));
        } else {
            dropped++;
        }
    }

    /** The input line quoted for a warning: escaped, cut to a readable length. */
    static String quote(String text) {
        String s = text.length() > QUOTE ? text.substring(0, QUOTE) + "..." : text;
        return "\"" + BadInputException.oneLine(s) + "\"";
    }

    List<String> list() {
        List<String> l = new ArrayList<>(lines);
        if (dropped > 0) {
            l.add("and " + dropped + " more");
        }
        return List.copyOf(l);
    }
}
