package dev.godiag.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads derived metrics as JSON, {@code {"metrics":[{"name":"x","unit":"u","values":[1,2]}...]}}
 * (what {@code godiag baseline save} takes as they are). Other fields are skipped; errors are one
 * line without the input's name.
 */
final class MetricsJsonReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build();

    private MetricsJsonReader() {
    }

    static List<Input.Metric> read(byte[] data) {
        List<Input.Metric> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(data)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("metrics")) {
                    p.skipChildren();
                    continue;
                }
                expect(t == JsonToken.START_ARRAY, "\"metrics\" as an array");
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    out.add(metric(p));
                }
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException("bad metrics JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException("bad metrics JSON: " + e.getMessage());
        }
        return out;
    }

    private static Input.Metric metric(JsonParser p) throws IOException {
        String name = null;
        String unit = "";
        List<Double> values = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "name" -> name = p.getValueAsString();
                case "unit" -> unit = p.getValueAsString("");
                case "values" -> {
                    expect(v == JsonToken.START_ARRAY, "\"values\" as an array of numbers");
                    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                        expect(v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT,
                                "numbers in \"values\"");
                        values.add(p.getDoubleValue());
                    }
                }
                default -> p.skipChildren();
            }
        }
        expect(name != null && !name.isBlank(), "a \"name\" for every metric");
        return new Input.Metric(name, unit, values);
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            throw new BadInputException("metrics JSON: expected " + what);
        }
    }
}
