package dev.godiag.report;

import dev.godiag.analysis.profile.Stacks;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Brendan Gregg's folded ("collapsed") stacks: one line per distinct stack, frames root first
 * separated by ';', a space, and the stack's value as an integer. Lines are sorted (by code unit),
 * so the output is deterministic; stacks whose value is zero are left out.
 */
public final class FoldedRenderer {
    private FoldedRenderer() {
    }

    /**
     * Writes the stacks' values of sample type {@code index}.
     *
     * @param mean pprof's -mean: each stack's value over its sample count
     */
    public static void write(Stacks stacks, int index, boolean mean, Writer out) throws IOException {
        String[] names = new String[stacks.nodeCount()];
        for (int n = 0; n < names.length; n++) {
            // bytes of invalid UTF-8 names as U+FFFD: the writer is Unicode text
            names[n] = dev.godiag.util.RawUtf8.toUnicode(frameName(stacks.node(n).printableName()));
        }
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < stacks.size(); i++) {
            long v = stacks.value(i, index, mean);
            if (v == 0) {
                continue;
            }
            sb.setLength(0);
            int[] frames = stacks.frames(i);
            for (int f = 0; f < frames.length; f++) {
                if (f > 0) {
                    sb.append(';');
                }
                sb.append(names[frames[f]]);
            }
            lines.add(sb.append(' ').append(v).toString());
        }
        lines.sort(null);
        for (String line : lines) {
            out.write(line);
            out.write('\n');
        }
    }

    /**
     * A frame name made safe for the format, which has no escapes: ';' separates frames, so a ';'
     * inside a name (Go's names have none, but a label value from --tagroot or a hostile profile
     * may) becomes ':'; line breaks (CR, LF) become spaces so that every stack stays on one line.
     * Spaces are kept: the value is after the last space, so readers split there.
     */
    static String frameName(String name) {
        if (name.indexOf(';') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
            return name.isEmpty() ? "<unknown>" : name;
        }
        return name.replace(';', ':').replace('\n', ' ').replace('\r', ' ');
    }
}
