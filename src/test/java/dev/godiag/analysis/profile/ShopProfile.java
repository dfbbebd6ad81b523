package dev.godiag.analysis.profile;

import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * A small profile whose every number can be worked out by hand: five samples over five
 * locations, one of which holds an inlined call (strings.Split inlined into main.parse).
 *
 * <pre>
 * sample  stack (leaf first)                          samples  cpu(ns)  labels
 * S0      mallocgc  json.Marshal  main.handle  main.main    1     10     endpoint=/a
 * S1      json.Marshal  main.handle  main.main              2     20     endpoint=/b
 * S2      [strings.Split|main.parse]  main.handle  main.main 3    30     endpoint=/a
 * S3      main.handle  main.main                            4     40     bytes=1000
 * S4      mallocgc  [strings.Split|main.parse]  main.main   5     50     bytes=1024
 * </pre>
 *
 * Per function, cpu: flat mallocgc 60, main.handle 40, strings.Split 30, json.Marshal 20, others
 * 0; cum main.main 150, main.handle 100, main.parse 80, strings.Split 80, mallocgc 60,
 * json.Marshal 30. Total 150.
 */
final class ShopProfile {
    static final int MAIN = 0;
    static final int HANDLE = 1;
    static final int MARSHAL = 2;
    static final int MALLOC = 3;
    static final int PARSE_SPLIT = 4;

    private ShopProfile() {
    }

    static Profile build() {
        ProfileBuilder b = new ProfileBuilder("pprof");
        b.sampleType("samples", "count").sampleType("cpu", "nanoseconds");
        b.period(new ValueType("cpu", "nanoseconds"), 10);
        int mapping = b.addMapping(new Mapping(1, 0x400000, 0x800000, 0, "/bin/shop", "", true, true, true, true));
        int fMain = b.addFunction(1, "main.main", "main.main", "main.go", 5);
        int fHandle = b.addFunction(2, "main.handle", "main.handle", "main.go", 18);
        int fMarshal = b.addFunction(3, "encoding/json.Marshal", "encoding/json.Marshal", "encoding/json/encode.go",
                28);
        int fMalloc = b.addFunction(4, "runtime.mallocgc", "runtime.mallocgc", "runtime/malloc.go", 38);
        int fParse = b.addFunction(5, "main.parse", "main.parse", "main.go", 58);
        int fSplit = b.addFunction(6, "strings.Split", "strings.Split", "strings/strings.go", 48);
        b.addLine(fMain, 10, 0);
        b.endLocation(1, mapping, 0x401000, false);
        b.addLine(fHandle, 20, 0);
        b.endLocation(2, mapping, 0x402000, false);
        b.addLine(fMarshal, 30, 0);
        b.endLocation(3, mapping, 0x403000, false);
        b.addLine(fMalloc, 40, 0);
        b.endLocation(4, mapping, 0x404000, false);
        b.addLine(fSplit, 50, 0); // inlined into main.parse: the innermost line comes first
        b.addLine(fParse, 60, 0);
        b.endLocation(5, mapping, 0x405000, false);
        sample(b, new long[] {1, 10}, "endpoint", "/a", 0, MALLOC, MARSHAL, HANDLE, MAIN);
        sample(b, new long[] {2, 20}, "endpoint", "/b", 0, MARSHAL, HANDLE, MAIN);
        sample(b, new long[] {3, 30}, "endpoint", "/a", 0, PARSE_SPLIT, HANDLE, MAIN);
        sample(b, new long[] {4, 40}, "bytes", null, 1000, HANDLE, MAIN);
        sample(b, new long[] {5, 50}, "bytes", null, 1024, MALLOC, PARSE_SPLIT, MAIN);
        return b.build();
    }

    private static void sample(ProfileBuilder b, long[] values, String key, String str, long num, int... locs) {
        for (int l : locs) {
            b.addSampleLocation(l);
        }
        if (str != null) {
            b.addLabel(key, str);
        } else {
            b.addNumLabel(key, num, null);
        }
        b.endSample(values);
    }

    /**
     * Each sample as "cpu: leaf;...;root", a location's inlined lines joined by '+'
     * (innermost first), function names without their package path.
     */
    static List<String> stacks(Profile p) {
        SampleTable s = p.samples();
        LocationTable l = p.locations();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            StringBuilder sb = new StringBuilder().append(s.value(i, s.valueCount - 1)).append(": ");
            for (int k = s.locStart[i]; k < s.locStart[i + 1]; k++) {
                int loc = s.locations[k];
                if (k > s.locStart[i]) {
                    sb.append(';');
                }
                for (int line = l.lineStart[loc]; line < l.lineStart[loc + 1]; line++) {
                    if (line > l.lineStart[loc]) {
                        sb.append('+');
                    }
                    String name = p.functions().name[l.lineFunction[line]];
                    sb.append(name.substring(name.lastIndexOf('/') + 1));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
