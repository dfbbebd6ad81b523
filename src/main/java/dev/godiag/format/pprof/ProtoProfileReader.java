package dev.godiag.format.pprof;

import dev.godiag.util.BadInputException;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes profile.proto (uncompressed) into the columnar {@link Profile} in one pass over the
 * bytes: samples go straight into primitive arrays, strings are resolved once at the end (the Go
 * runtime writes its string table last). Validation follows pprof's (CheckValid), with messages
 * that say what is wrong and where.
 */
public final class ProtoProfileReader {
    private final byte[] buf;
    private final Wire w;

    // header, as string-table indexes until resolve()
    private final LongList sampleTypeX = new LongList();
    private long periodTypeX = 0;
    private long periodUnitX = 0;
    private long period;
    private long timeNanos;
    private long durationNanos;
    private final LongList commentX = new LongList();
    private long dropFramesX;
    private long keepFramesX;
    private long defaultSampleTypeX;
    private long docUrlX;
    private final List<String> strings = new ArrayList<>();

    private final List<long[]> mappingRows = new ArrayList<>();
    // where each mapping, function, location and sample starts (its tag), for messages
    private final IntList mappingAt = new IntList();
    private final IntList funcAt = new IntList();
    private final IntList locAt = new IntList();
    private final IntList sampleAt;

    private final LongList funcId = new LongList();
    private final LongList funcNameX = new LongList();
    private final LongList funcSystemNameX = new LongList();
    private final LongList funcFilenameX = new LongList();
    private final LongList funcStartLine = new LongList();

    private final LongList locId = new LongList();
    private final LongList locMappingId = new LongList();
    private final LongList locAddress = new LongList();
    private final IntList locFolded = new IntList();
    private final IntList lineStart = new IntList();
    private final LongList lineFunctionId = new LongList();
    private final LongList lineNumber = new LongList();
    private final LongList lineColumn = new LongList();

    private final LongList values;
    private final IntList valueStart;
    private final IntList sampleLocStart;
    /** Location ids of samples; ids beyond int range are coded as -(k+1) into {@link #bigIds}. */
    private final IntList sampleLocIds;
    private final LongList bigIds = new LongList();
    private final Map<Long, Integer> bigIdCodes = new HashMap<>();
    private final IntList labelStart;
    // string-table indexes of labels; an index beyond int range (invalid anyway) is kept as MAX_VALUE
    private final IntList labelKeyX;
    private final IntList labelStrX;
    private final LongList labelNum;
    private final IntList labelUnitX;

    private ProtoProfileReader(byte[] buf) {
        this.buf = buf;
        this.w = new Wire(buf, 0);
        // the sample columns are most of a profile: size them exactly, so they are allocated once
        SampleCounts c = SampleCounts.of(buf);
        this.sampleAt = new IntList(c.samples);
        this.valueStart = new IntList(c.samples + 1);
        this.sampleLocStart = new IntList(c.samples + 1);
        this.labelStart = new IntList(c.samples + 1);
        this.values = new LongList(c.values);
        this.sampleLocIds = new IntList(c.locationIds);
        this.labelKeyX = new IntList(c.labels);
        this.labelStrX = new IntList(c.labels);
        this.labelNum = new LongList(c.labels);
        this.labelUnitX = new IntList(c.labels);
        lineStart.add(0);
        sampleLocStart.add(0);
        valueStart.add(0);
        labelStart.add(0);
    }

    /** Decodes an uncompressed profile.proto message. */
    public static Profile read(byte[] data) {
        if (data.length == 0) {
            throw new BadInputException("empty input");
        }
        return new ProtoProfileReader(data).decode();
    }

    /**
     * Whether data opens the way a profile.proto message does: with a field of Profile (1..15)
     * in that field's wire type. Go writes period_type or time_nanos first, other writers
     * sample_type; junk, text and other binary formats almost never pass.
     */
    public static boolean looksLikeProfileProto(byte[] data) {
        Wire w = new Wire(data, 0);
        try {
            if (!w.nextTag(data.length, PROFILE)) {
                return false;
            }
        } catch (BadInputException e) {
            return false;
        }
        return switch (w.field) {
            case 1, 2, 3, 4, 5, 6, 11 -> w.type == Wire.LEN;
            case 7, 8, 9, 10, 12, 14, 15 -> w.type == Wire.VARINT;
            case 13 -> w.type == Wire.VARINT || w.type == Wire.LEN;
            default -> false;
        };
    }

    // field names of the messages, for error messages
    static final Wire.Message PROFILE = new Wire.Message("Profile", null, "sample_type", "sample", "mapping",
            "location", "function", "string_table", "drop_frames", "keep_frames", "time_nanos", "duration_nanos",
            "period_type", "period", "comment", "default_sample_type", "doc_url");
    private static final Wire.Message VALUE_TYPE = new Wire.Message("ValueType", null, "type", "unit");
    private static final Wire.Message SAMPLE = new Wire.Message("Sample", null, "location_id", "value", "label");
    private static final Wire.Message LABEL = new Wire.Message("Label", null, "key", "str", "num", "num_unit");
    private static final Wire.Message MAPPING = new Wire.Message("Mapping", null, "id", "memory_start",
            "memory_limit", "file_offset", "filename", "build_id", "has_functions", "has_filenames",
            "has_line_numbers", "has_inline_frames");
    private static final Wire.Message LOCATION = new Wire.Message("Location", null, "id", "mapping_id", "address",
            "line", "is_folded");
    private static final Wire.Message LINE = new Wire.Message("Line", null, "function_id", "line", "column");
    private static final Wire.Message FUNCTION = new Wire.Message("Function", null, "id", "name", "system_name",
            "filename", "start_line");

    private Profile decode() {
        int end = buf.length;
        while (w.nextTag(end, PROFILE)) {
            switch (w.field) {
                case 1 -> {
                    long[] vt = valueType(message(end, PROFILE));
                    sampleTypeX.add(vt[0]);
                    sampleTypeX.add(vt[1]);
                }
                case 2 -> {
                    sampleAt.add(w.tagPos);
                    sample(message(end, PROFILE));
                }
                case 3 -> {
                    mappingAt.add(w.tagPos);
                    mapping(message(end, PROFILE));
                }
                case 4 -> {
                    locAt.add(w.tagPos);
                    location(message(end, PROFILE));
                }
                case 5 -> {
                    funcAt.add(w.tagPos);
                    function(message(end, PROFILE));
                }
                case 6 -> {
                    int at = w.tagPos;
                    strings.add(w.string(message(end, PROFILE)));
                    if (strings.size() == 1 && !strings.get(0).isEmpty()) {
                        throw Wire.corrupt("string_table[0] must be the empty string", at);
                    }
                }
                case 7 -> dropFramesX = scalar(end, PROFILE);
                case 8 -> keepFramesX = scalar(end, PROFILE);
                case 9 -> timeNanos = scalar(end, PROFILE);
                case 10 -> durationNanos = scalar(end, PROFILE);
                case 11 -> {
                    long[] vt = valueType(message(end, PROFILE));
                    periodTypeX = vt[0];
                    periodUnitX = vt[1];
                }
                case 12 -> period = scalar(end, PROFILE);
                case 13 -> repeatedVarint(end, PROFILE, commentX);
                case 14 -> defaultSampleTypeX = scalar(end, PROFILE);
                case 15 -> docUrlX = scalar(end, PROFILE);
                default -> w.skip(end, PROFILE);
            }
        }
        return resolve();
    }

    /** The end of the embedded message whose tag was just read. */
    private int message(int limit, Wire.Message m) {
        if (w.type != Wire.LEN) {
            throw w.wrongType(m);
        }
        return w.lengthDelimitedEnd(limit, m);
    }

    /** The value of the varint field whose tag was just read. */
    private long scalar(int limit, Wire.Message m) {
        if (w.type != Wire.VARINT) {
            throw w.wrongType(m);
        }
        return w.varint(limit);
    }

    /** A repeated varint field, packed or not. */
    private void repeatedVarint(int limit, Wire.Message m, LongList out) {
        if (w.type == Wire.VARINT) {
            out.add(w.varint(limit));
        } else if (w.type == Wire.LEN) {
            int e = w.lengthDelimitedEnd(limit, m);
            while (w.pos < e) {
                out.add(w.varint(e));
            }
        } else {
            throw w.wrongType(m);
        }
    }

    private long[] valueType(int end) {
        long[] vt = new long[2];
        while (w.nextTag(end, VALUE_TYPE)) {
            switch (w.field) {
                case 1 -> vt[0] = scalar(end, VALUE_TYPE);
                case 2 -> vt[1] = scalar(end, VALUE_TYPE);
                default -> w.skip(end, VALUE_TYPE);
            }
        }
        return vt;
    }

    private void sample(int end) {
        while (w.nextTag(end, SAMPLE)) {
            switch (w.field) {
                case 1 -> {
                    if (w.type == Wire.LEN) {
                        packedLocationIds(w.lengthDelimitedEnd(end, SAMPLE));
                    } else if (w.type == Wire.VARINT) {
                        addLocationId(w.varint(end));
                    } else {
                        throw w.wrongType(SAMPLE);
                    }
                }
                case 2 -> repeatedVarint(end, SAMPLE, values);
                case 3 -> label(message(end, SAMPLE));
                default -> w.skip(end, SAMPLE);
            }
        }
        sampleLocStart.add(sampleLocIds.size());
        valueStart.add(values.size());
        labelStart.add(labelKeyX.size());
    }

    /**
     * A packed list of location ids: most of a profile's bytes. Ids of up to four bytes (below
     * 2^28) are decoded inline straight into the array; anything longer takes the general path.
     */
    private void packedLocationIds(int e) {
        int p = w.pos;
        int n = sampleLocIds.size();
        int[] dst = sampleLocIds.ensureCapacity(n + 1);
        byte[] b = buf;
        while (p < e) {
            if (n == dst.length) {
                sampleLocIds.setSize(n);
                dst = sampleLocIds.ensureCapacity(n + 1);
            }
            int start = p;
            int v = b[p++];
            if (v < 0 && p < e) {
                v &= 0x7f;
                int x = b[p++];
                v |= (x & 0x7f) << 7;
                if (x < 0 && p < e) {
                    x = b[p++];
                    v |= (x & 0x7f) << 14;
                    if (x < 0 && p < e) {
                        x = b[p++];
                        v |= (x & 0x7f) << 21;
                        if (x < 0) {
                            v = -1; // five bytes or more
                        }
                    } else if (x < 0) {
                        v = -1;
                    }
                } else if (x < 0) {
                    v = -1;
                }
            } else if (v < 0) {
                v = -1;
            }
            if (v >= 0) {
                dst[n++] = v;
                continue;
            }
            sampleLocIds.setSize(n);
            w.pos = start;
            addLocationId(w.varint(e));
            p = w.pos;
            n = sampleLocIds.size();
            dst = sampleLocIds.ensureCapacity(n + 1);
        }
        sampleLocIds.setSize(n);
        w.pos = p;
    }

    private void addLocationId(long id) {
        if (id >= 0 && id <= Integer.MAX_VALUE) {
            sampleLocIds.add((int) id);
            return;
        }
        Integer code = bigIdCodes.get(id);
        if (code == null) {
            bigIds.add(id);
            code = -bigIds.size();
            bigIdCodes.put(id, code);
        }
        sampleLocIds.add(code);
    }

    private void label(int end) {
        long k = 0;
        long s = 0;
        long n = 0;
        long u = 0;
        while (w.nextTag(end, LABEL)) {
            switch (w.field) {
                case 1 -> k = scalar(end, LABEL);
                case 2 -> s = scalar(end, LABEL);
                case 3 -> n = scalar(end, LABEL);
                case 4 -> u = scalar(end, LABEL);
                default -> w.skip(end, LABEL);
            }
        }
        if (s == 0 && n == 0 && u == 0) {
            return; // a label with no value: resolveLabels would drop it, so hostile floods of them cost nothing
        }
        labelKeyX.add(stringIndex(k));
        labelStrX.add(stringIndex(s));
        labelNum.add(n);
        labelUnitX.add(stringIndex(u));
    }

    private static int stringIndex(long x) {
        return x >= 0 && x < Integer.MAX_VALUE ? (int) x : Integer.MAX_VALUE;
    }

    private void mapping(int end) {
        long[] m = new long[10];
        while (w.nextTag(end, MAPPING)) {
            if (w.field <= 10) {
                m[w.field - 1] = scalar(end, MAPPING);
            } else {
                w.skip(end, MAPPING);
            }
        }
        if (m[0] == 0) {
            throw reservedId("mapping", mappingAt.get(mappingAt.size() - 1));
        }
        mappingRows.add(m);
    }

    private void location(int end) {
        long id = 0;
        long mappingId = 0;
        long address = 0;
        boolean folded = false;
        while (w.nextTag(end, LOCATION)) {
            switch (w.field) {
                case 1 -> id = scalar(end, LOCATION);
                case 2 -> mappingId = scalar(end, LOCATION);
                case 3 -> address = scalar(end, LOCATION);
                case 4 -> line(message(end, LOCATION));
                case 5 -> folded = scalar(end, LOCATION) != 0;
                default -> w.skip(end, LOCATION);
            }
        }
        if (id == 0) {
            throw reservedId("location", locAt.get(locAt.size() - 1));
        }
        locId.add(id);
        locMappingId.add(mappingId);
        locAddress.add(address);
        locFolded.add(folded ? 1 : 0);
        lineStart.add(lineFunctionId.size());
    }

    private void line(int end) {
        long fn = 0;
        long ln = 0;
        long col = 0;
        while (w.nextTag(end, LINE)) {
            switch (w.field) {
                case 1 -> fn = scalar(end, LINE);
                case 2 -> ln = scalar(end, LINE);
                case 3 -> col = scalar(end, LINE);
                default -> w.skip(end, LINE);
            }
        }
        lineFunctionId.add(fn);
        lineNumber.add(ln);
        lineColumn.add(col);
    }

    private void function(int end) {
        long[] f = new long[5];
        while (w.nextTag(end, FUNCTION)) {
            if (w.field <= 5) {
                f[w.field - 1] = scalar(end, FUNCTION);
            } else {
                w.skip(end, FUNCTION);
            }
        }
        if (f[0] == 0) {
            throw reservedId("function", funcAt.get(funcAt.size() - 1));
        }
        funcId.add(f[0]);
        funcNameX.add(f[1]);
        funcSystemNameX.add(f[2]);
        funcFilenameX.add(f[3]);
        funcStartLine.add(f[4]);
    }

    private static BadInputException reservedId(String what, int at) {
        return Wire.corrupt(what + " without an id (or with the reserved id 0)", at);
    }

    private static String id(long id) {
        return Long.toUnsignedString(id);
    }

    // ---- resolution: ids to indexes, string indexes to strings, pprof's validity checks ----

    private String str(long index, String what) {
        if (index < 0 || index >= strings.size()) {
            throw new BadInputException("corrupt profile.proto: " + what + " refers to string " + id(index)
                    + " but the string table has " + strings.size() + (strings.size() == 1 ? " entry" : " entries")
                    + (strings.size() <= 1 ? " (Go writes it last: truncated?)" : ""));
        }
        return strings.get((int) index);
    }

    private Profile resolve() {
        int typeCount = sampleTypeX.size() / 2;
        List<ValueType> sampleTypes = new ArrayList<>(typeCount);
        for (int i = 0; i < typeCount; i++) {
            sampleTypes.add(new ValueType(str(sampleTypeX.get(2 * i), "sample_type"),
                    str(sampleTypeX.get(2 * i + 1), "sample_type unit")));
        }
        int sampleCount = sampleLocStart.size() - 1;
        if (typeCount == 0 && sampleCount > 0) {
            throw new BadInputException("corrupt profile.proto: " + sampleCount
                    + (sampleCount == 1 ? " sample" : " samples") + " but no sample types (sample_type, field 1)");
        }
        for (int s = 0; s < sampleCount; s++) {
            int n = valueStart.get(s + 1) - valueStart.get(s);
            if (n != typeCount) {
                throw new BadInputException("corrupt profile.proto: sample " + s + " (at byte " + sampleAt.get(s)
                        + ") has " + n
                        + (n == 1 ? " value" : " values") + " but there " + (typeCount == 1 ? "is 1 sample type"
                        : "are " + typeCount + " sample types"));
            }
        }

        List<Mapping> mappings = new ArrayList<>(mappingRows.size());
        IdIndex mappingIndex = new IdIndex(mappingRows.size());
        for (int i = 0; i < mappingRows.size(); i++) {
            long[] m = mappingRows.get(i);
            if (!mappingIndex.put(m[0], i)) {
                throw new BadInputException("corrupt profile.proto: two mappings with id " + id(m[0]) + " (at bytes "
                        + mappingAt.get(mappingIndex.get(m[0])) + " and " + mappingAt.get(i) + ")");
            }
            mappings.add(new Mapping(m[0], m[1], m[2], m[3], str(m[4], "mapping filename"),
                    str(m[5], "mapping build_id"), m[6] != 0, m[7] != 0, m[8] != 0, m[9] != 0));
        }

        int fnCount = funcId.size();
        IdIndex functionIndex = new IdIndex(fnCount);
        String[] fnName = new String[fnCount];
        String[] fnSystem = new String[fnCount];
        String[] fnFile = new String[fnCount];
        long[] fnIds = funcId.toArray();
        for (int i = 0; i < fnCount; i++) {
            if (!functionIndex.put(fnIds[i], i)) {
                throw new BadInputException("corrupt profile.proto: two functions with id " + id(fnIds[i])
                        + " (at bytes " + funcAt.get(functionIndex.get(fnIds[i])) + " and " + funcAt.get(i) + ")");
            }
            fnName[i] = str(funcNameX.get(i), "function name");
            fnSystem[i] = str(funcSystemNameX.get(i), "function system_name");
            fnFile[i] = str(funcFilenameX.get(i), "function filename");
        }
        FunctionTable functions = new FunctionTable(fnIds, fnName, fnSystem, fnFile, funcStartLine.toArray());

        int locCount = locId.size();
        long[] locIds = locId.toArray();
        IdIndex locationIndex = new IdIndex(locCount);
        int[] locMapping = new int[locCount];
        boolean[] folded = new boolean[locCount];
        for (int i = 0; i < locCount; i++) {
            if (!locationIndex.put(locIds[i], i)) {
                throw new BadInputException("corrupt profile.proto: two locations with id " + id(locIds[i])
                        + " (at bytes " + locAt.get(locationIndex.get(locIds[i])) + " and " + locAt.get(i) + ")");
            }
            // pprof treats a mapping id that names no mapping as "no mapping"
            locMapping[i] = locMappingId.get(i) == 0 ? -1 : mappingIndex.get(locMappingId.get(i));
            folded[i] = locFolded.get(i) != 0;
        }
        int lineCount = lineFunctionId.size();
        int[] lineFunction = new int[lineCount];
        int[] starts = lineStart.toArray();
        for (int l = 0; l < locCount; l++) {
            for (int i = starts[l]; i < starts[l + 1]; i++) {
                long fid = lineFunctionId.get(i);
                int fi = fid == 0 ? -1 : functionIndex.get(fid);
                if (fi < 0) {
                    throw new BadInputException("corrupt profile.proto: location " + id(locIds[l]) + " (at byte "
                            + locAt.get(l) + ") " + (fid == 0 ? "has a line without a function"
                            : "refers to function " + id(fid) + ", which does not exist"));
                }
                lineFunction[i] = fi;
            }
        }
        LocationTable locations = new LocationTable(locIds, locMapping, locAddress.toArray(), folded, starts,
                lineFunction, lineNumber.toArray(), lineColumn.toArray());

        int[] sampleLocs = sampleLocIds.toArray();
        int[] locStarts = sampleLocStart.toArray();
        for (int s = 0; s < sampleCount; s++) {
            for (int i = locStarts[s]; i < locStarts[s + 1]; i++) {
                int code = sampleLocs[i];
                long id = code >= 0 ? code : bigIds.get(-code - 1);
                int li = locationIndex.get(id);
                if (li < 0) {
                    throw new BadInputException("corrupt profile.proto: sample " + s + " (at byte " + sampleAt.get(s)
                            + ") refers to location " + id(id) + ", which does not exist");
                }
                sampleLocs[i] = li;
            }
        }

        SampleTable samples = new SampleTable(typeCount, values.toArray(), locStarts, sampleLocs,
                resolveLabels(sampleCount), labelKeys, labelStrs, labelNums, labelUnits);

        List<String> comments = new ArrayList<>(commentX.size());
        for (int i = 0; i < commentX.size(); i++) {
            comments.add(str(commentX.get(i), "comment"));
        }
        return new Profile("pprof", sampleTypes,
                new ValueType(str(periodTypeX, "period_type"), str(periodUnitX, "period_type unit")),
                period, timeNanos, durationNanos, comments, str(dropFramesX, "drop_frames"),
                str(keepFramesX, "keep_frames"), str(defaultSampleTypeX, "default_sample_type"),
                str(docUrlX, "doc_url"), mappings, functions, locations, samples);
    }

    private String[] labelKeys;
    private String[] labelStrs;
    private long[] labelNums;
    private String[] labelUnits;

    /**
     * Resolves labels as pprof does: a label with a string value is a string label; one with a
     * number or a unit is numeric; a label with neither is dropped.
     */
    private int[] resolveLabels(int sampleCount) {
        int n = labelKeyX.size();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (labelStrX.get(i) != 0 || labelNum.get(i) != 0 || labelUnitX.get(i) != 0) {
                kept++;
            }
        }
        labelKeys = new String[kept];
        labelStrs = new String[kept];
        labelNums = new long[kept];
        labelUnits = new String[kept];
        int[] starts = new int[sampleCount + 1];
        int out = 0;
        int[] rawStarts = labelStart.toArray();
        for (int s = 0; s < sampleCount; s++) {
            starts[s] = out;
            for (int i = rawStarts[s]; i < rawStarts[s + 1]; i++) {
                long sx = labelStrX.get(i);
                long ux = labelUnitX.get(i);
                if (sx == 0 && labelNum.get(i) == 0 && ux == 0) {
                    continue;
                }
                labelKeys[out] = str(labelKeyX.get(i), "label key");
                if (sx != 0) {
                    labelStrs[out] = str(sx, "label value");
                } else {
                    labelNums[out] = labelNum.get(i);
                    labelUnits[out] = ux == 0 ? null : str(ux, "label unit");
                }
                out++;
            }
        }
        starts[sampleCount] = out;
        return starts;
    }

    /**
     * How many samples, values, location ids and labels the data holds, counted in a quick pass
     * that reads only tags and lengths (a packed list holds as many varints as it has bytes with
     * the high bit clear). Corrupt data gives zeros: the decoder then grows its lists and reports
     * the error where it meets it.
     */
    private record SampleCounts(int samples, int values, int locationIds, int labels) {
        static SampleCounts of(byte[] buf) {
            Wire w = new Wire(buf, 0);
            long samples = 0;
            long values = 0;
            long ids = 0;
            long labels = 0;
            try {
                while (w.nextTag(buf.length, PROFILE)) {
                    if (w.field != 2 || w.type != Wire.LEN) {
                        w.skip(buf.length, PROFILE);
                        continue;
                    }
                    int end = w.lengthDelimitedEnd(buf.length, PROFILE);
                    samples++;
                    while (w.nextTag(end, SAMPLE)) {
                        int f = w.field;
                        if ((f == 1 || f == 2) && w.type == Wire.LEN) {
                            int e = w.lengthDelimitedEnd(end, SAMPLE);
                            long n = countVarints(buf, w.pos, e);
                            if (f == 1) {
                                ids += n;
                            } else {
                                values += n;
                            }
                            w.pos = e;
                        } else {
                            if (f == 1) {
                                ids++;
                            } else if (f == 2) {
                                values++;
                            } else if (f == 3) {
                                labels++;
                            }
                            w.skip(end, SAMPLE);
                        }
                    }
                }
            } catch (BadInputException e) {
                return new SampleCounts(0, 0, 0, 0);
            }
            long max = Integer.MAX_VALUE - 16;
            return new SampleCounts((int) Math.min(samples + 1, max), (int) Math.min(values, max),
                    (int) Math.min(ids, max), (int) Math.min(labels, max));
        }

        private static long countVarints(byte[] buf, int from, int to) {
            long n = 0;
            for (int i = from; i < to; i++) {
                n += (buf[i] >>> 7) & 1 ^ 1;
            }
            return n;
        }
    }

    /** Maps message ids to row indexes: a dense array for the usual small ids, a hash map otherwise. */
    private static final class IdIndex {
        private final int[] dense;
        private final Map<Long, Integer> sparse = new HashMap<>();

        IdIndex(int count) {
            dense = new int[(int) Math.min(count * 2L + 16, 1 << 24)];
            java.util.Arrays.fill(dense, -1);
        }

        boolean put(long id, int index) {
            if (id > 0 && id < dense.length) {
                if (dense[(int) id] >= 0) {
                    return false;
                }
                dense[(int) id] = index;
                return true;
            }
            return sparse.putIfAbsent(id, index) == null;
        }

        int get(long id) {
            if (id > 0 && id < dense.length) {
                return dense[(int) id];
            }
            Integer i = sparse.get(id);
            return i == null ? -1 : i;
        }
    }
}
