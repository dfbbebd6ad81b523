package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.json-reflection: encoding/json (reflection-based) encoding and decoding is a large share of the CPU. */
public final class JsonReflectionRule extends ShareRule {
    static final Threshold SHARE = new Threshold("jsonShare", "fraction", 0.10, 0.25, 0.40,
            "share of the CPU samples in encoding/json (and encoding/json/v2, jsontext in Go 1.25+) (10%/25%/40%)");

    public JsonReflectionRule() {
        super("code.json-reflection", "code", "encoding/json (reflection-based) encoding and decoding is a large share of the CPU", SHARE, Source.CPU, Source.ALLOCS);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.prefixes("encoding/json.", "encoding/json/v2.", "encoding/json/jsontext.", "encoding/json/internal", "encoding/json/v2");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "JSON encoding/decoding through reflection";
    }

    @Override
    String explanation() {
        return "encoding/json walks every value with reflect: it looks up struct fields, type-switches per value and allocates through reflect.New/mapassign for every field of every object. Decoding into interface{} or map[string]any is the slowest form; marshalling and unmarshalling the same data more than once multiplies it.";
    }

    @Override
    String fix() {
        return "Decode straight into concrete structs (not map[string]any), stream with json.NewDecoder/NewEncoder instead of reading whole bodies, avoid marshal/unmarshal round trips used for copying, and on the hottest types use a code-generating encoder (easyjson, ffjson) or encoding/json/v2 (GOEXPERIMENT=jsonv2, Go 1.25+), which is faster.";
    }

    @Override
    String[] example() {
        return new String[] {"var m map[string]any\nbody, _ := io.ReadAll(r.Body)\njson.Unmarshal(body, &m)", "var o Order\nif err := json.NewDecoder(r.Body).Decode(&o); err != nil {\n    return err\n}"};
    }
}
