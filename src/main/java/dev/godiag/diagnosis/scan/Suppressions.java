package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.GoFile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A file's {@code //godiag:ignore CHECK[,CHECK...] reason} comments. One silences the named checks'
 * findings on its own line and on the line below it (where it stands alone above a statement). A
 * reason is required, as in staticcheck's {@code //lint:ignore}: a directive without one, or naming
 * no known check, silences nothing and is a warning.
 */
final class Suppressions {
    private static final String PREFIX = "//godiag:ignore";
    private final Map<Integer, List<String>> byLine = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    Suppressions(GoFile file, Set<String> knownChecks) {
        for (GoFile.Comment c : file.comments()) {
            if (!c.text().startsWith(PREFIX)) {
                continue;
            }
            int line = file.line(c.pos());
            String rest = c.text().substring(PREFIX.length());
            if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
                continue; // //godiag:ignorefoo is some other word
            }
            String[] words = rest.trim().split("\\s+", 2);
            String where = file.path() + ":" + line;
            if (words[0].isEmpty() || words.length < 2 || words[1].isBlank()) {
                warnings.add(where + ": //godiag:ignore needs a check id and a reason: //godiag:ignore "
                        + "scan.defer-in-loop the loop runs 3 times");
                continue;
            }
            List<String> ids = new ArrayList<>();
            for (String id : words[0].split(",")) {
                if (knownChecks.contains(id)) {
                    ids.add(id);
                } else {
                    warnings.add(where + ": //godiag:ignore names no known check: " + id);
                }
            }
            byLine.computeIfAbsent(line, k -> new ArrayList<>()).addAll(ids);
        }
    }

    boolean suppressed(String check, int line) {
        List<String> same = byLine.get(line);
        List<String> above = byLine.get(line - 1);
        return (same != null && same.contains(check)) || (above != null && above.contains(check));
    }

    List<String> warnings() {
        return warnings;
    }
}
