package dev.godiag.format.goroutine;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads goroutine profiles in Go's {@code ?debug=1} text: a {@code goroutine profile: total N}
 * (or {@code goroutineleak profile: total N}) line, then one group per distinct stack,
 * {@code COUNT @ 0xpc 0xpc...}, an optional {@code # labels: {"k":"v", ...}} line, and one
 * {@code #\t0xpc\tfunction+0xoff\tfile:line} comment per symbolized frame (runtime frames the
 * runtime hides have a pc and no comment, and are not frames here). Each group becomes a
 * {@link Goroutine} with its count, no state ({@code ""}) and no wait time ({@code -1}); in a
 * goroutineleak profile every group is {@code leaked}. Unreadable lines are warnings naming the line.
 */
public final class GoroutineCountReader {
    public static final String FORMAT = "debug=1 text";
    public static final String LEAK_FORMAT = "goroutineleak debug=1 text";

    private GoroutineCountReader() {
    }

    /** True if the text starts (after blank space) with a goroutine or goroutineleak profile header. */
    public static boolean sniff(String head) {
        String t = head.stripLeading();
        return t.startsWith("goroutine profile: total ") || t.startsWith("goroutineleak profile: total ");
    }

    /** Reads the text from a stream (not closed). */
    public static GoroutineDump read(InputStream input, String source) {
        LineInput lines = new LineInput(input);
        StackInterner in = new StackInterner();
        Warnings warnings = new Warnings();
        List<Goroutine> groups = new ArrayList<>();
        String line;
        boolean leak = false;
        boolean header = false;
        long total = -1;
        long count = -1;
        long groupLine = 0;
        Map<String, String> labels = Map.of();
        ArrayList<StackFrame> frames = new ArrayList<>();
        int[] end = new int[1];
        while ((line = lines.next()) != null) {
            long n = lines.number();
            String t = line.strip();
            if (!header) {
                if (t.isEmpty()) {
                    continue;
                }
                if (!sniff(t)) {
                    throw new BadInputException("line " + n + ": expected \"goroutine profile: total N\", found "
                            + Warnings.quote(t));
                }
                leak = t.startsWith("goroutineleak");
                total = GoroutineDumpReader.parseLong(t, t.indexOf("total ") + 6, t.length());
                if (total < 0) {
                    warnings.add(n, "cannot read the total " + Warnings.quote(t));
                }
                header = true;
                continue;
            }
            if (t.isEmpty()) {
                continue;
            }
            int at = t.indexOf(" @");
            if (!t.startsWith("#") && at > 0) {
                if (count >= 0) {
                    groups.add(group(in, count, leak, frames, labels, groupLine));
                }
                count = GoroutineDumpReader.parseLong(t, 0, at);
                if (count < 0) {
                    warnings.add(n, "cannot read the count " + Warnings.quote(t));
                    count = -1;
                }
                groupLine = n;
                frames.clear();
                labels = Map.of();
                continue;
            }
            if (count < 0) {
                warnings.add(n, "not part of a goroutine group: " + Warnings.quote(t));
                continue;
            }
            if (t.startsWith("# labels:")) {
                int brace = t.indexOf('{');
                Map<String, String> l = brace < 0 ? null : LabelText.parse(t, brace, end);
                if (l == null) {
                    warnings.add(n, "cannot read labels " + Warnings.quote(t));
                } else {
                    labels = in.labels(l);
                }
                continue;
            }
            StackFrame f = t.startsWith("#") ? frame(in, t) : null;
            if (f == null) {
                warnings.add(n, "cannot read frame " + Warnings.quote(t));
            } else {
                frames.add(f);
            }
        }
        if (count >= 0) {
            groups.add(group(in, count, leak, frames, labels, groupLine));
        }
        if (!header) {
            throw new BadInputException("empty goroutine profile text");
        }
        return new GoroutineDump(source, leak ? LEAK_FORMAT : FORMAT, List.copyOf(groups), warnings.list());
    }

    private static Goroutine group(StackInterner in, long count, boolean leak, ArrayList<StackFrame> frames,
                                   Map<String, String> labels, long line) {
        return new Goroutine(-1, count, "", -1, false, leak, List.of(), in.list(frames), 0, null, -1, List.of(),
                labels, false, line);
    }

    /** "#\t0xpc\tfunction+0xoff\tfile:line", or null. */
    private static StackFrame frame(StackInterner in, String t) {
        int i = skip(t, 1);
        int pcEnd = word(t, i);
        if (!t.startsWith("0x", i) || pcEnd == i) {
            return null;
        }
        int fStart = skip(t, pcEnd);
        int fEnd = word(t, fStart);
        if (fEnd == fStart) {
            return null;
        }
        int plus = t.lastIndexOf("+0x", fEnd);
        int nameEnd = plus > fStart ? plus : fEnd;
        String function = in.names.intern(t, fStart, nameEnd);
        int lStart = skip(t, fEnd);
        int colon = t.lastIndexOf(':');
        long line = colon > lStart ? GoroutineDumpReader.parseLong(t, colon + 1, t.length()) : -1;
        if (lStart >= t.length()) {
            return in.frame(function, null, "", 0);
        }
        if (line < 0 || line > Integer.MAX_VALUE) {
            return null;
        }
        return in.frame(function, null, in.names.intern(t, lStart, colon), (int) line);
    }

    private static int skip(String t, int i) {
        while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int word(String t, int i) {
        while (i < t.length() && t.charAt(i) != ' ' && t.charAt(i) != '\t') {
            i++;
        }
        return i;
    }
}
