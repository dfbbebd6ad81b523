package dev.godiag.format.speedscope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.godiag.util.BadInputException;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json), read with
 * jackson-core's streaming parser: each "sampled" profile becomes a sample type (its name, its
 * unit; speedscope's "none" is "count"), each of its samples a sample carrying its weight at that
 * type and zero at the others. Frames become one function per (name, file) and one location per
 * frame, with the frame's line. "evented" profiles are refused.
 */
public final class SpeedscopeProfileReader {
    public static final String KIND = "speedscope";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    private SpeedscopeProfileReader() {
    }

    /** A JSON object whose start names speedscope's schema or holds "shared" and "profiles". */
    public static boolean looksLikeSpeedscope(byte[] raw) {
        int i = 0;
        while (i < raw.length && (raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\t')) {
            i++;
        }
        if (i >= raw.length || raw[i] != '{') {
            return false;
        }
        String head = new String(raw, i, Math.min(raw.length - i, 4096), StandardCharsets.UTF_8);
        return head.contains("speedscope") || head.contains("\"shared\"") && head.contains("\"profiles\"");
    }

    private record Frame(String name, String file, long line) {
    }

    private record Sampled(String name, String unit, List<int[]> samples, LongList weights) {
    }

    public static Profile read(byte[] raw) {
        try (JsonParser p = FACTORY.createParser(raw)) {
            return parse(p);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new BadInputException("speedscope JSON: " + BadInputException.oneLine(e.getOriginalMessage())
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new BadInputException("speedscope JSON: " + BadInputException.oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static Profile parse(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw bad("the file is not a JSON object");
        }
        List<Frame> frames = null;
        List<Sampled> profiles = null;
        int active = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "shared" -> frames = shared(p, t);
                case "profiles" -> profiles = profiles(p, t);
                case "activeProfileIndex" -> active = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw bad("unexpected " + p.currentToken());
        }
        if (p.nextToken() != null) {
            throw bad("data after the JSON object");
        }
        if (frames == null) {
            throw bad("no \"shared\" frames");
        }
        if (profiles == null || profiles.isEmpty()) {
            throw bad("no profiles");
        }
        ProfileBuilder b = new ProfileBuilder(KIND);
        for (Sampled s : profiles) {
            b.sampleType(s.name, s.unit);
        }
        if (active >= 0 && active < profiles.size()) {
            b.defaultSampleType(profiles.get(active).name);
        }
        Map<List<String>, Integer> functions = new HashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            int fn = functions.computeIfAbsent(List.of(f.name, f.file),
                    k -> b.addFunction(b.functionCount() + 1, f.name, f.name, f.file, 0));
            b.addLine(fn, f.line, 0);
            b.endLocation(i + 1, -1, 0, false);
        }
        int k = profiles.size();
        for (int t = 0; t < k; t++) {
            Sampled s = profiles.get(t);
            if (s.samples.size() != s.weights.size()) {
                throw bad("profile " + t + " has " + s.samples.size() + " samples but " + s.weights.size()
                        + " weights");
            }
            for (int i = 0; i < s.samples.size(); i++) {
                int[] stack = s.samples.get(i);
                for (int j = stack.length - 1; j >= 0; j--) { // speedscope's stacks are root first
                    if (stack[j] < 0 || stack[j] >= frames.size()) {
                        throw bad("profile " + t + ", sample " + i + ": frame index " + stack[j]
                                + " is outside the " + frames.size() + " shared frames");
                    }
                    b.addSampleLocation(stack[j]);
                }
                long[] v = new long[k];
                v[t] = s.weights.get(i);
                b.endSample(v);
            }
        }
        return b.build();
    }

    private static List<Frame> shared(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_OBJECT, "\"shared\"");
        List<Frame> frames = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (!field.equals("frames")) {
                p.skipChildren();
                continue;
            }
            expect(v, JsonToken.START_ARRAY, "\"frames\"");
            frames = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                String file = "";
                long line = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken fv = p.nextToken();
                    switch (f) {
                        case "name" -> name = fv == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "file" -> file = fv == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "line" -> line = fv.isNumeric() ? p.getLongValue() : 0;
                        default -> p.skipChildren();
                    }
                }
                if (name == null) {
                    throw bad("frame " + frames.size() + " has no \"name\" string");
                }
                frames.add(new Frame(name, file, line));
            }
            expect(p.currentToken(), JsonToken.END_ARRAY, "a frame");
        }
        expect(p.currentToken(), JsonToken.END_OBJECT, "\"shared\"");
        return frames == null ? List.of() : frames;
    }

    private static List<Sampled> profiles(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_ARRAY, "\"profiles\"");
        List<Sampled> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String type = null;
            String name = "";
            String unit = "none";
            List<int[]> samples = new ArrayList<>();
            LongList weights = new LongList();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "type" -> type = p.getText();
                    case "name" -> name = v == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "unit" -> unit = v == JsonToken.VALUE_STRING ? p.getText() : "none";
                    case "samples" -> {
                        expect(v, JsonToken.START_ARRAY, "\"samples\"");
                        IntList stack = new IntList();
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            stack.clear();
                            JsonToken e;
                            while ((e = p.nextToken()) == JsonToken.VALUE_NUMBER_INT) {
                                stack.add(p.getIntValue());
                            }
                            expect(e, JsonToken.END_ARRAY, "a sample's frame indexes");
                            samples.add(Arrays.copyOf(stack.toArray(), stack.size())); // toArray may share the buffer
                        }
                        expect(p.currentToken(), JsonToken.END_ARRAY, "\"samples\"");
                    }
                    case "weights" -> {
                        expect(v, JsonToken.START_ARRAY, "\"weights\"");
                        JsonToken e;
                        while ((e = p.nextToken()) != null && e.isNumeric()) {
                            // speedscope's weights are numbers; fractional ones are rounded
                            weights.add(e == JsonToken.VALUE_NUMBER_INT ? p.getLongValue()
                                    : Math.round(p.getDoubleValue()));
                        }
                        expect(e, JsonToken.END_ARRAY, "\"weights\"");
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT, "a profile");
            if (!"sampled".equals(type)) {
                throw bad("profile " + out.size() + " is of type " + (type == null ? "(none)" : "\"" + type + "\"")
                        + "; godiag reads only \"sampled\" profiles");
            }
            out.add(new Sampled(name.isEmpty() ? "value" + out.size() : name,
                    unit.equals("none") ? "count" : unit, samples, weights));
        }
        expect(p.currentToken(), JsonToken.END_ARRAY, "\"profiles\"");
        return out;
    }

    private static void expect(JsonToken got, JsonToken want, String where) {
        if (got != want) {
            throw bad("in " + where + ": expected " + describe(want) + ", found " + describe(got));
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file (truncated?)";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case END_OBJECT -> "the end of an object";
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of an array";
            case FIELD_NAME -> "a field";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static BadInputException bad(String what) {
        return new BadInputException("speedscope JSON: " + what);
    }
}
