package dev.godiag.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.godiag.analysis.bench.GateThresholds;
import dev.godiag.analysis.bench.GateThresholds.Rule;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The gate's thresholds file:
 * <pre>{default: 5%, rules: [{match: "BenchmarkEncode.*", unit: "sec/op", threshold: 10%}]}</pre>
 * Every problem is one line naming the file and the rule.
 */
public final class GateThresholdsYaml {
    private static final YAMLFactory YAML = new YAMLFactory();

    private GateThresholdsYaml() {
    }

    /** Reads the YAML form; defaultPercent applies when the file has no "default". */
    public static GateThresholds parse(String file, String yaml, double defaultPercent) {
        double def = defaultPercent;
        List<Rule> rules = new ArrayList<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return GateThresholds.of(defaultPercent);
            }
            expect(t == JsonToken.START_OBJECT, file, "a mapping with 'default' and 'rules'");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                t = p.nextToken();
                switch (key) {
                    case "default" -> {
                        expect(t.isScalarValue(), file, "'default' as a percentage");
                        def = GateThresholds.parsePercent(file + ": default", p.getText());
                    }
                    case "rules" -> {
                        expect(t == JsonToken.START_ARRAY, file, "'rules' as a list");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            rules.add(rule(file, p, rules.size() + 1));
                        }
                    }
                    default -> throw new BadInputException(file + ": unknown key '" + key
                            + "' (expected default and rules)");
                }
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": bad YAML: " + BadInputException.oneLine(
                    e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? jp.getOriginalMessage()
                            : String.valueOf(e.getMessage())));
        }
        return new GateThresholds(def, rules);
    }

    private static Rule rule(String file, JsonParser p, int n) throws IOException {
        Pattern match = null;
        String unit = null;
        Double percent = null;
        String where = file + ": rule " + n;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            expect(t.isScalarValue(), file, "scalar values in rule " + n);
            switch (key.toLowerCase(Locale.ROOT)) {
                case "match" -> {
                    try {
                        match = Pattern.compile(p.getText());
                    } catch (PatternSyntaxException e) {
                        throw new BadInputException(where + ": bad match regular expression '" + p.getText() + "'");
                    }
                }
                case "unit" -> unit = p.getText();
                case "threshold" -> percent = GateThresholds.parsePercent(where + ": threshold", p.getText());
                default -> throw new BadInputException(where + ": unknown key '" + key
                        + "' (expected match, unit and threshold)");
            }
        }
        if (percent == null) {
            throw new BadInputException(where + ": no threshold");
        }
        return new Rule(match, unit, percent);
    }

    private static void expect(boolean ok, String file, String what) {
        if (!ok) {
            throw new BadInputException(file + ": thresholds YAML: expected " + what);
        }
    }
}
