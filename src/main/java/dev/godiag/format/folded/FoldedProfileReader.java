package dev.godiag.format.folded;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Brendan Gregg's folded ("collapsed") stacks, as flamegraph.pl, godiag flame and many profilers
 * write them: one stack per line, frames root first separated by ';', then a space and an integer
 * count. The count goes after the last space, so frame names may hold spaces ("main.f x.go:12").
 * The format carries no sample type or unit: the profile gets one sample type, "value"/"count".
 * Equal stacks on several lines are kept as several samples (reports sum them).
 */
public final class FoldedProfileReader {
    public static final String KIND = "folded";

    private FoldedProfileReader() {
    }

    /** Whether the first non-empty line is "frames COUNT" (the caller tries the other text formats first). */
    public static boolean looksFolded(byte[] raw) {
        int start = 0;
        while (start < raw.length) {
            int end = lineEnd(raw, start);
            String line = line(raw, start, end);
            if (!line.isBlank()) {
                return parseLine(line) != null;
            }
            start = end + 1;
        }
        return false;
    }

    /** Reads folded stacks; a line that is not "frames COUNT" is a {@link BadInputException} naming it. */
    public static Profile read(byte[] raw) {
        ProfileBuilder b = new ProfileBuilder(KIND).sampleType("value", "count");
        Map<String, Integer> locations = new HashMap<>();
        int lineNo = 0;
        int samples = 0;
        for (int start = 0; start < raw.length; ) {
            int end = lineEnd(raw, start);
            lineNo++;
            String line = line(raw, start, end);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            Object[] parsed = parseLine(line);
            if (parsed == null) {
                int sp = line.lastIndexOf(' ');
                String count = sp < 0 ? "" : line.substring(sp + 1);
                throw new BadInputException("folded stacks: line " + lineNo + ": "
                        + (sp < 0 || count.isEmpty() ? "no count after the frames"
                        : "count '" + shorten(count) + "' is not an integer")
                        + " (want 'frame;frame;... COUNT')");
            }
            String frames = (String) parsed[0];
            long value = (Long) parsed[1];
            String[] names = frames.split(";", -1);
            for (int f = names.length - 1; f >= 0; f--) { // the profile's stacks are leaf first
                String name = names[f];
                Integer loc = locations.get(name);
                if (loc == null) {
                    int fn = b.addFunction(b.functionCount() + 1, name, name, "", 0);
                    b.addLine(fn, 0, 0);
                    loc = b.endLocation(b.locationCount() + 1, -1, 0, false);
                    locations.put(name, loc);
                }
                b.addSampleLocation(loc);
            }
            b.endSample(value);
            samples++;
        }
        if (samples == 0) {
            throw new BadInputException("folded stacks: no stacks");
        }
        return b.build();
    }

    /** {frames, count} of a line "frames COUNT", or null. */
    private static Object[] parseLine(String line) {
        String l = line.strip();
        int sp = l.lastIndexOf(' ');
        if (sp <= 0) {
            return null;
        }
        String frames = l.substring(0, sp).stripTrailing();
        String count = l.substring(sp + 1);
        if (frames.isEmpty() || !isInteger(count)) {
            return null;
        }
        try {
            return new Object[] {frames, Long.parseLong(count)};
        } catch (NumberFormatException e) {
            return null; // beyond 64 bits
        }
    }

    private static boolean isInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length() || s.length() > 20) {
            return false;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static int lineEnd(byte[] raw, int start) {
        int end = start;
        while (end < raw.length && raw[end] != '\n') {
            end++;
        }
        return end;
    }

    private static String line(byte[] raw, int start, int end) {
        int e = end > start && raw[end - 1] == '\r' ? end - 1 : end;
        return new String(raw, start, e - start, StandardCharsets.UTF_8);
    }
}
