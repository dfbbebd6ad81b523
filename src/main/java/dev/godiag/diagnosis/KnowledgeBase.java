package dev.godiag.diagnosis;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The knowledge base: one card per rule (what the problem is, how it shows, how to confirm it, how
 * to fix it) and a table from symptoms to root causes with the rules that detect each. Shipped in
 * the jar under {@code dev/godiag/diagnosis/kb/} (cards/&lt;id&gt;.yaml and symptoms.yaml) and
 * extendable from a user directory: its {@code *.yaml} cards (in the directory or its {@code cards/}
 * folder) replace shipped cards with the same id, and its {@code symptoms.yaml} adds symptoms (or
 * replaces those with the same text). Read with Jackson's streaming YAML parser.
 */
public final class KnowledgeBase {
    static final String ROOT = "dev/godiag/diagnosis/kb/";
    static final String SYMPTOMS = "symptoms.yaml";

    /** One verification step: a command and what it shows. */
    public record Verify(String command, String what) {
    }

    /** Code before and after the fix. */
    public record Example(String before, String after) {
    }

    /** A card; {@code example} may be null. */
    public record Card(String id, String title, String topic, String mechanism, List<String> signs,
                       List<Verify> verify, String fix, Example example, List<String> references) {
        public Card {
            signs = List.copyOf(signs);
            verify = List.copyOf(verify);
            references = List.copyOf(references);
        }
    }

    /** One possible root cause of a symptom, the rules that detect it, and the command that verifies it. */
    public record Cause(String cause, List<String> rules, String verify) {
        public Cause {
            rules = List.copyOf(rules);
        }
    }

    /** A symptom a user sees and its possible root causes. */
    public record Symptom(String symptom, List<Cause> causes) {
        public Symptom {
            causes = List.copyOf(causes);
        }
    }

    private final Map<String, Card> cards;
    private final List<Symptom> symptoms;

    private KnowledgeBase(Map<String, Card> cards, List<Symptom> symptoms) {
        this.cards = Collections.unmodifiableMap(new TreeMap<>(cards));
        this.symptoms = List.copyOf(symptoms);
    }

    /** The card of a rule id, or null. */
    public Card card(String id) {
        return cards.get(id);
    }

    /** All cards, by id. */
    public List<Card> cards() {
        return List.copyOf(cards.values());
    }

    public List<Symptom> symptoms() {
        return symptoms;
    }

    private static final YAMLFactory YAML = new YAMLFactory();

    /**
     * The shipped knowledge base, extended by the user directory (null: none).
     *
     * @throws IllegalArgumentException "FILE: problem" (one line) for a malformed card or symptom table,
     *                                  or a user directory that does not exist
     */
    public static KnowledgeBase load(Path userDirOrNull) {
        Map<String, Card> cards = new LinkedHashMap<>();
        Map<String, Symptom> symptoms = new LinkedHashMap<>();
        withShippedRoot(root -> {
            for (Path f : yamlFiles(root.resolve("cards"))) {
                Card c = readCard(f);
                cards.put(c.id(), c);
            }
            Path s = root.resolve(SYMPTOMS);
            if (Files.isRegularFile(s)) {
                for (Symptom sy : readSymptoms(s)) {
                    symptoms.put(sy.symptom(), sy);
                }
            }
        });
        if (userDirOrNull != null) {
            if (!Files.isDirectory(userDirOrNull)) {
                throw new IllegalArgumentException(userDirOrNull + ": not a directory");
            }
            List<Path> files = new ArrayList<>(yamlFiles(userDirOrNull));
            files.addAll(yamlFiles(userDirOrNull.resolve("cards")));
            for (Path f : files) {
                if (f.getFileName().toString().equals(SYMPTOMS)) {
                    for (Symptom sy : readSymptoms(f)) {
                        symptoms.put(sy.symptom(), sy);
                    }
                } else {
                    Card c = readCard(f);
                    cards.put(c.id(), c);
                }
            }
        }
        return new KnowledgeBase(cards, new ArrayList<>(symptoms.values()));
    }

    private interface RootAction {
        void run(Path root);
    }

    /** Runs the action on the shipped kb folder, on disk (classes directory) or inside the jar. */
    private static void withShippedRoot(RootAction action) {
        URL url = KnowledgeBase.class.getClassLoader().getResource(ROOT + "cards");
        if (url == null) {
            throw new IllegalStateException("the knowledge base " + ROOT + "cards is missing from the class path");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                boolean close = false;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                    close = true;
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                try {
                    action.run(fs.getPath("/" + ROOT));
                } finally {
                    if (close) {
                        fs.close();
                    }
                }
            } else {
                action.run(Path.of(uri).getParent());
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the knowledge base at " + url + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    /** A YAML document as maps (in order), lists and strings (scalars as text), null for null. */
    static Object parse(Path file) {
        try (InputStream in = Files.newInputStream(file); JsonParser p = YAML.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw bad(file, "empty file");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw bad(file, "more than one YAML document");
            }
            return v;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null || l.getLineNr() < 0 ? "" : "line " + l.getLineNr() + ", column "
                    + l.getColumnNr() + ": ";
            throw bad(file, where + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad(file, oneLine(String.valueOf(e.getMessage())));
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

    static Card readCard(Path file) {
        Map<String, Object> m = map(file, parse(file), "the card");
        String id = text(file, m, "id", true);
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!name.equals(id)) {
            throw bad(file, "id '" + id + "' does not match the file name (" + name + ".yaml)");
        }
        List<Verify> verify = new ArrayList<>();
        for (Object o : list(file, m.get("verify"), "verify")) {
            Map<String, Object> v = map(file, o, "a verify entry");
            verify.add(new Verify(text(file, v, "command", true), text(file, v, "what", true)));
        }
        Example example = null;
        if (m.get("example") != null) {
            Map<String, Object> e = map(file, m.get("example"), "example");
            example = new Example(text(file, e, "before", true), text(file, e, "after", true));
        }
        for (String k : m.keySet()) {
            if (!List.of("id", "title", "topic", "mechanism", "signs", "verify", "fix", "example", "references")
                    .contains(k)) {
                throw bad(file, "unknown field '" + k + "'");
            }
        }
        return new Card(id, text(file, m, "title", true), text(file, m, "topic", true),
                text(file, m, "mechanism", true).strip(), strings(file, m.get("signs"), "signs"), verify,
                text(file, m, "fix", true).strip(), example, strings(file, m.get("references"), "references"));
    }

    static List<Symptom> readSymptoms(Path file) {
        Object doc = parse(file);
        if (doc instanceof Map<?, ?> top && top.containsKey("symptoms")) {
            doc = top.get("symptoms");
        }
        List<Symptom> out = new ArrayList<>();
        for (Object o : list(file, doc, "the symptom table")) {
            Map<String, Object> s = map(file, o, "a symptom");
            List<Cause> causes = new ArrayList<>();
            for (Object c : list(file, s.get("causes"), "causes")) {
                Map<String, Object> cm = map(file, c, "a cause");
                causes.add(new Cause(text(file, cm, "cause", true), strings(file, cm.get("rules"), "rules"),
                        text(file, cm, "verify", true)));
            }
            if (causes.isEmpty()) {
                throw bad(file, "symptom '" + text(file, s, "symptom", true) + "' has no causes");
            }
            out.add(new Symptom(text(file, s, "symptom", true), causes));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path file, Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(file, what + " must be a mapping (key: value lines)");
    }

    private static List<Object> list(Path file, Object o, String what) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw bad(file, "'" + what + "' must be a list");
    }

    private static List<String> strings(Path file, Object o, String what) {
        List<String> out = new ArrayList<>();
        for (Object e : list(file, o, what)) {
            if (!(e instanceof String s)) {
                throw bad(file, "'" + what + "' must be a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static String text(Path file, Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null || v instanceof String s && s.isBlank()) {
            if (required) {
                throw bad(file, "missing '" + key + "'");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw bad(file, "'" + key + "' must be text");
        }
        return s;
    }

    private static String oneLine(String s) {
        return s == null ? "malformed YAML" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static IllegalArgumentException bad(Path file, String problem) {
        return new IllegalArgumentException(file + ": " + oneLine(problem));
    }
}
