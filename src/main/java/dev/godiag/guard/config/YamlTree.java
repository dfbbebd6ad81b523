package dev.godiag.guard.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML (or JSON) document read with Jackson's streaming parser into a tree whose every node
 * knows its line, so that each problem found later names the line it is on. Scalars stay text;
 * the checks decide what a value means. Problems of the document itself (syntax, duplicate keys,
 * aliases) go to {@link Problems}; a syntax error ends the reading and returns null.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonFactory JSON = new JsonFactory();

    private YamlTree() {
    }

    sealed interface Node permits Scalar, MapNode, ListNode {
        int line();

        /** What the node is, for "must be a mapping, not a list" messages. */
        String kind();
    }

    /** A scalar as written ({@code null} text for YAML's null); {@code string} when quoted or plain text. */
    record Scalar(String text, boolean string, int line) implements Node {
        boolean isNull() {
            return text == null;
        }

        @Override
        public String kind() {
            return isNull() ? "null" : "a scalar";
        }
    }

    record Entry(String key, int keyLine, Node value) {
    }

    record MapNode(Map<String, Entry> entries, int line) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record ListNode(List<Node> items, int line) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** Parses YAML; null when the document is empty or broken (the problem is recorded). */
    static Node yaml(byte[] bytes, Problems problems) {
        return parse(YAML, bytes, problems);
    }

    /** Parses JSON; null when the document is empty or broken (the problem is recorded). */
    static Node json(byte[] bytes, Problems problems) {
        return parse(JSON, bytes, problems);
    }

    private static Node parse(JsonFactory factory, byte[] bytes, Problems problems) {
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                problems.add(1, "", "the file is empty");
                return null;
            }
            Node root = node(p, t, problems);
            if (p.nextToken() != null) {
                problems.add(line(p), "", "more than one YAML document (remove the second '---')");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            problems.add(l == null ? 0 : l.getLineNr(), "", "not valid " + (factory == JSON ? "JSON" : "YAML")
                    + ": " + squeeze(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(0, "", "cannot parse: " + squeeze(e.getMessage()));
            return null;
        }
    }

    private static Node node(JsonParser p, JsonToken t, Problems problems) throws IOException {
        int line = line(p);
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            problems.add(line, "", "YAML aliases (*" + y.getText() + ") are not supported; write the value out");
            return new Scalar(null, false, line);
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    Node value = node(p, p.nextToken(), problems);
                    if (entries.containsKey(key)) {
                        problems.add(keyLine, key, "duplicate key (first on line " + entries.get(key).keyLine() + ")");
                    } else {
                        entries.put(key, new Entry(key, keyLine, value));
                    }
                }
                return new MapNode(entries, line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    items.add(node(p, e, problems));
                }
                return new ListNode(items, line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, false, line);
            }
            default -> {
                return new Scalar(p.getText(), t == JsonToken.VALUE_STRING, line);
            }
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static String squeeze(String s) {
        // Jackson names its own setting in limit messages; the user needs only the limit
        return s == null ? "malformed" : s.replaceAll("\\s*\\R\\s*", " ").replaceAll(", from `[^`]*`", "").strip();
    }
}
