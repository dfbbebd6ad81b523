package dev.godiag.format.pprof.legacy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * pprof's massageMappings: joins mappings split into adjacent pieces and moves the likely main
 * binary (the first named non-library, non-[special] mapping) to the front.
 */
final class MappingMerger {
    private MappingMerger() {
    }

    private static final Pattern SHARED_LIBRARY = Pattern.compile("([.]so$|[.]so[._][0-9]+)");

    static List<DraftMapping> massage(List<DraftMapping> ms) {
        if (ms.size() > 1) {
            List<DraftMapping> merged = new ArrayList<>();
            merged.add(ms.get(0));
            for (DraftMapping m : ms.subList(1, ms.size())) {
                DraftMapping last = merged.get(merged.size() - 1);
                if (adjacent(last, m)) {
                    last.limit = m.limit;
                    if (!m.file.isEmpty()) {
                        last.file = m.file;
                    }
                    if (!m.buildId.isEmpty()) {
                        last.buildId = m.buildId;
                    }
                } else {
                    merged.add(m);
                }
            }
            ms = merged;
        }
        for (int i = 0; i < ms.size(); i++) {
            String file = GoStrings.trimSpace(ms.get(i).file.replace("(deleted)", ""));
            if (file.isEmpty() || SHARED_LIBRARY.matcher(file).find() || file.charAt(0) == '[') {
                continue;
            }
            DraftMapping main = ms.get(i);
            ms.set(i, ms.get(0));
            ms.set(0, main);
            break;
        }
        return ms;
    }

    private static boolean adjacent(DraftMapping m1, DraftMapping m2) {
        if (!m1.file.isEmpty() && !m2.file.isEmpty() && !m1.file.equals(m2.file)) {
            return false;
        }
        if (!m1.buildId.isEmpty() && !m2.buildId.isEmpty() && !m1.buildId.equals(m2.buildId)) {
            return false;
        }
        if (m1.limit != m2.start) {
            return false;
        }
        return m1.offset == 0 || m2.offset == 0 || m1.offset + (m1.limit - m1.start) == m2.offset;
    }
}
