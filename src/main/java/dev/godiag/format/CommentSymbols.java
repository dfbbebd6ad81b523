package dev.godiag.format;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The symbols Go writes into its {@code ?debug=1} text profiles (block, mutex, heap, allocs): after
 * each stack, one comment line per frame, {@code #\t0xPC\tfunction+0xOFF\tfile:line}, inlined frames
 * sharing a PC innermost first. pprof does not read them (it symbolizes from the binary, and without
 * one shows addresses), so godiag's {@code top} keeps pprof's reading; diagnosis reads the profile
 * with these names so that the text form of a profile gives the findings its proto form gives.
 */
public final class CommentSymbols {
    private static final Pattern FRAME = Pattern.compile("^#\\t0x([0-9a-fA-F]+)\\t(.+?)\\+0x[0-9a-fA-F]+\\t(.*):(\\d+)$");
    /** More distinct frames than this is not a profile's comment block: stop collecting. */
    static final int MAX_FRAMES = 1 << 20;

    private CommentSymbols() {
    }

    /** A frame of a comment line. */
    record Frame(String function, String file, long line) {
    }

    /** The frames per PC of the text's comment lines, innermost first; empty when it has none. */
    public static Map<Long, List<Frame>> read(BufferedReader text) throws IOException {
        Map<Long, List<Frame>> out = new HashMap<>();
        int frames = 0;
        String line;
        while ((line = text.readLine()) != null && frames < MAX_FRAMES) {
            if (!line.startsWith("#\t0x")) {
                continue;
            }
            Matcher m = FRAME.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long pc;
            try {
                pc = Long.parseUnsignedLong(m.group(1), 16);
            } catch (NumberFormatException e) {
                continue;
            }
            Frame f = new Frame(m.group(2), m.group(3), Long.parseLong(m.group(4)));
            List<Frame> l = out.computeIfAbsent(pc, k -> new ArrayList<>());
            if (!l.contains(f)) {
                l.add(f);
                frames++;
            }
        }
        return out;
    }

    /**
     * The profile with a function and line for each location that has none and whose address (or
     * the address after it: stacks hold return addresses, comments the call's PC) the comments
     * name; the profile itself when there is nothing to add.
     */
    public static Profile apply(Profile p, Map<Long, List<Frame>> symbols) {
        if (symbols.isEmpty()) {
            return p;
        }
        LocationTable loc = p.locations();
        FunctionTable fn = p.functions();
        Map<String, Integer> functionIndex = new HashMap<>();
        List<String> names = new ArrayList<>(List.of(fn.name));
        List<String> files = new ArrayList<>(List.of(fn.filename));
        for (int i = 0; i < fn.size(); i++) {
            functionIndex.putIfAbsent(fn.name[i] + "\u0000" + fn.filename[i], i);
        }
        int n = loc.size();
        int[] lineStart = new int[n + 1];
        List<int[]> lineFunctions = new ArrayList<>();
        List<long[]> lineNumbers = new ArrayList<>();
        List<long[]> lineColumns = new ArrayList<>();
        boolean changed = false;
        int total = 0;
        for (int i = 0; i < n; i++) {
            lineStart[i] = total;
            List<Frame> frames = loc.lineCount(i) > 0 ? null : symbols.get(loc.address[i]);
            if (frames == null && loc.lineCount(i) == 0 && loc.address[i] > 0) {
                frames = symbols.get(loc.address[i] - 1);
            }
            if (frames == null) {
                int c = loc.lineCount(i);
                int[] f = new int[c];
                long[] ln = new long[c];
                long[] col = new long[c];
                for (int j = 0; j < c; j++) {
                    f[j] = loc.lineFunction[loc.lineStart[i] + j];
                    ln[j] = loc.lineNumber[loc.lineStart[i] + j];
                    col[j] = loc.lineColumn[loc.lineStart[i] + j];
                }
                lineFunctions.add(f);
                lineNumbers.add(ln);
                lineColumns.add(col);
                total += c;
                continue;
            }
            changed = true;
            int[] f = new int[frames.size()];
            long[] ln = new long[frames.size()];
            for (int j = 0; j < frames.size(); j++) {
                Frame fr = frames.get(j);
                f[j] = functionIndex.computeIfAbsent(fr.function() + "\u0000" + fr.file(), k -> {
                    names.add(fr.function());
                    files.add(fr.file());
                    return names.size() - 1;
                });
                ln[j] = fr.line();
            }
            lineFunctions.add(f);
            lineNumbers.add(ln);
            lineColumns.add(new long[frames.size()]);
            total += frames.size();
        }
        if (!changed) {
            return p;
        }
        lineStart[n] = total;
        int[] lf = new int[total];
        long[] lnum = new long[total];
        long[] lcol = new long[total];
        for (int i = 0; i < n; i++) {
            System.arraycopy(lineFunctions.get(i), 0, lf, lineStart[i], lineFunctions.get(i).length);
            System.arraycopy(lineNumbers.get(i), 0, lnum, lineStart[i], lineNumbers.get(i).length);
            System.arraycopy(lineColumns.get(i), 0, lcol, lineStart[i], lineColumns.get(i).length);
        }
        int m = names.size();
        long[] ids = new long[m];
        String[] system = new String[m];
        long[] start = new long[m];
        long maxId = 0;
        for (long id : fn.id) {
            maxId = Math.max(maxId, id);
        }
        for (int i = 0; i < m; i++) {
            ids[i] = i < fn.size() ? fn.id[i] : maxId + 1 + i - fn.size();
            system[i] = i < fn.size() ? fn.systemName[i] : names.get(i);
            start[i] = i < fn.size() ? fn.startLine[i] : 0;
        }
        FunctionTable functions = new FunctionTable(ids, names.toArray(String[]::new), system,
                files.toArray(String[]::new), start);
        LocationTable locations = new LocationTable(loc.id, loc.mapping, loc.address, loc.folded, lineStart, lf, lnum,
                lcol);
        return p.withTables(functions, locations, p.samples());
    }
}
