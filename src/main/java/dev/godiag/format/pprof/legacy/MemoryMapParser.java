package dev.godiag.format.pprof.legacy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pprof's ParseMemoryMap: the mapping lines to the end of the data. */
final class MemoryMapParser {
    private MemoryMapParser() {
    }

    /** A glog prefix ("I0101 12:00:00.000 file.cc:12] "), which pprof strips from map lines. */
    private static final Pattern LOG_PREFIX = Pattern.compile("[^\\[\\]]+:[0-9]+]" + GoRegex.S);

    /** Executable mappings in file order; "name=value" lines define $name for later lines. */
    static List<DraftMapping> parse(Lines lines) {
        List<DraftMapping> result = new ArrayList<>();
        Substitutions vars = new Substitutions();
        while (lines.scan()) {
            String line = vars.apply(removeLogPrefix(lines.text()));
            DraftMapping m = MappingLine.parse(line);
            if (m == MappingLine.UNRECOGNIZED) {
                int eq = line.indexOf('=');
                if (eq >= 0) {
                    vars.define("$" + GoStrings.trimSpace(line.substring(0, eq)),
                            GoStrings.trimSpace(line.substring(eq + 1)));
                }
            } else if (m != MappingLine.NOT_EXECUTABLE) {
                result.add(m);
            }
        }
        return result;
    }

    private static String removeLogPrefix(String line) {
        Matcher m = LOG_PREFIX.matcher(line);
        return m.lookingAt() ? line.substring(m.end()) : line;
    }
}
