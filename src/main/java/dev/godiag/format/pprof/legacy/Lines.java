package dev.godiag.format.pprof.legacy;

import dev.godiag.util.BadInputException;

/**
 * A bufio.Scanner over the lines: {@link #text} is "" once {@link #scan} returns false. Once a
 * parser has recognized its format, errors name it and the line.
 */
final class Lines {
    /** bufio.Scanner's limit: pprof fails on any line of 64 KiB or more. */
    private static final int MAX_LINE = 64 * 1024;

    private final LineIndex index;
    private int next;
    private int lineNumber;
    private String format; // null until the format is recognized
    private String text = "";

    Lines(LineIndex index) {
        this.index = index;
    }

    boolean scan() {
        if (next >= index.count()) {
            text = "";
            return false;
        }
        int i = next++;
        lineNumber = i + 1;
        if (index.length(i) >= MAX_LINE) {
            if (format == null) {
                throw new NotThisFormat();
            }
            throw bad("line longer than " + (MAX_LINE - 1) + " bytes");
        }
        text = index.text(i);
        return true;
    }

    /** Scans to the first line that is neither blank nor a '#' comment ("" if none). */
    void skipBlankAndComments() {
        while (scan() && GoStrings.isSpaceOrComment(text)) {
            // skip
        }
    }

    String text() {
        return text;
    }

    /** Names the format in later errors; a name taken from the input is cut to a readable length. */
    void recognize(String formatName) {
        format = formatName.length() <= 60 ? formatName : formatName.substring(0, 40) + "..."
                + formatName.substring(formatName.length() - 16);
    }

    BadInputException bad(String what) {
        return new BadInputException(format + " line " + lineNumber + ": " + what);
    }
}
