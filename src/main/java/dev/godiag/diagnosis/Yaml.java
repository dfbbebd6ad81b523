package dev.godiag.diagnosis;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The small YAML documents of the knowledge base and the rule tables, read with Jackson's streaming
 * parser into plain trees: maps in order, lists, and scalars as text. Every problem is an
 * {@link IllegalArgumentException} with one line, "NAME: problem", NAME being the file or resource.
 */
public final class Yaml {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private Yaml() {
    }

    public static Object parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw bad(file.toString(), String.valueOf(e.getMessage()));
        }
    }

    /** One YAML document as maps (in order), lists and strings (scalars as text), null for null. */
    public static Object parse(InputStream in, String name) {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw bad(name, "empty file");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw bad(name, "more than one YAML document");
            }
            return v;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null || l.getLineNr() < 0 ? "" : "line " + l.getLineNr() + ", column "
                    + l.getColumnNr() + ": ";
            throw bad(name, where + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad(name, String.valueOf(e.getMessage()));
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_NULL:
                return null;
            default:
                return p.getText();
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String name, Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(name, what + " must be a mapping (key: value lines)");
    }

    /** A list, empty when absent. */
    public static List<Object> list(String name, Object o, String what) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw bad(name, "'" + what + "' must be a list");
    }

    public static List<String> strings(String name, Object o, String what) {
        List<String> out = new ArrayList<>();
        for (Object e : list(name, o, what)) {
            if (!(e instanceof String s)) {
                throw bad(name, "'" + what + "' must be a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    /** The text under key; null when absent or blank and not required. */
    public static String text(String name, Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null || v instanceof String s && s.isBlank()) {
            if (required) {
                throw bad(name, "missing '" + key + "'");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw bad(name, "'" + key + "' must be text");
        }
        return s;
    }

    public static double number(String name, Map<String, Object> m, String key) {
        String s = text(name, m, key, true);
        try {
            double d = Double.parseDouble(s.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, "'" + key + "' must be a number, not '" + s + "'");
    }

    /** Rejects keys other than the known ones (a misspelt key would otherwise be ignored). */
    public static void onlyKeys(String name, Map<String, Object> m, Set<String> known) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw bad(name, "unknown field '" + k + "'");
            }
        }
    }

    static String oneLine(String s) {
        return s == null ? "malformed YAML" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    public static IllegalArgumentException bad(String name, String problem) {
        return new IllegalArgumentException(name + ": " + oneLine(problem));
    }
}
