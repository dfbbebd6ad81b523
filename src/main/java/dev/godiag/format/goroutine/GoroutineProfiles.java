package dev.godiag.format.goroutine;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.StackFrame;
import dev.godiag.model.ValueType;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Goroutine groups from a goroutine or goroutineleak profile (profile.proto, as
 * {@code ProfileLoader} reads it): one {@link Goroutine} per sample, with the sample's value as
 * count, its locations' lines as frames (inlined lines innermost first, so leaf first), its string
 * labels (numeric ones as {@code "N"} or {@code "N unit"}), no state ({@code ""}) and no wait time
 * ({@code -1}). A profile whose sample type or period type is {@code goroutineleak} is Go 1.26+'s
 * leak profile: every group is {@code leaked}.
 */
public final class GoroutineProfiles {
    public static final String FORMAT = "goroutine profile";
    public static final String LEAK_FORMAT = "goroutineleak profile";

    private GoroutineProfiles() {
    }

    /** True for goroutineleak profiles. */
    public static boolean isLeakProfile(Profile p) {
        for (ValueType t : p.sampleTypes()) {
            if (t.type().equals("goroutineleak")) {
                return true;
            }
        }
        return p.periodType().type().equals("goroutineleak");
    }

    /** The groups of a goroutine profile; any other kind of profile is a {@link BadInputException}. */
    public static GoroutineDump fromProfile(Profile p, String source) {
        boolean leak = isLeakProfile(p);
        int index = -1;
        for (int i = 0; i < p.sampleTypes().size(); i++) {
            String t = p.sampleTypes().get(i).type();
            if (t.equals("goroutine") || t.equals("goroutineleak")) {
                index = i;
            }
        }
        if (index < 0) {
            String types = p.sampleTypes().isEmpty() ? "none" : p.sampleTypes().toString();
            throw new BadInputException("not a goroutine profile (sample types: " + types + ")");
        }
        StackInterner in = new StackInterner();
        SampleTable s = p.samples();
        LocationTable l = p.locations();
        FunctionTable f = p.functions();
        StackFrame[] frameOfLine = new StackFrame[l.lineFunction.length];
        List<Goroutine> groups = new ArrayList<>(s.size());
        ArrayList<StackFrame> frames = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            frames.clear();
            for (int k = s.locStart[i]; k < s.locStart[i + 1]; k++) {
                int loc = s.locations[k];
                if (loc < 0 || loc >= l.size()) {
                    continue;
                }
                for (int line = l.lineStart[loc]; line < l.lineStart[loc + 1]; line++) {
                    StackFrame fr = frameOfLine[line];
                    if (fr == null) {
                        int fn = l.lineFunction[line];
                        String name = fn < 0 ? "" : f.name[fn];
                        String file = fn < 0 ? "" : f.filename[fn];
                        long number = l.lineNumber[line];
                        fr = in.frame(in.names.intern(name == null ? "" : name), null,
                                in.names.intern(file == null ? "" : file),
                                number < 0 || number > Integer.MAX_VALUE ? 0 : (int) number);
                        frameOfLine[line] = fr;
                    }
                    frames.add(fr);
                }
                if (l.lineCount(loc) == 0) {
                    frames.add(in.frame(in.names.intern(String.format("0x%x", l.address[loc])), null, "", 0));
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (int j = s.labelStart[i]; j < s.labelStart[i + 1]; j++) {
                String v = s.labelStr[j] != null ? s.labelStr[j]
                        : s.labelNum[j] + (s.labelUnit[j] == null || s.labelUnit[j].isEmpty() ? "" : " " + s.labelUnit[j]);
                labels.putIfAbsent(s.labelKey[j], v);
            }
            groups.add(new Goroutine(-1, s.value(i, index), "", -1, false, leak, List.of(), in.list(frames), 0, null,
                    -1, List.of(), in.labels(labels), false, 0));
        }
        return new GoroutineDump(source, leak ? LEAK_FORMAT : FORMAT, List.copyOf(groups), List.of());
    }
}
