package dev.godiag.diagnosis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The knowledge base: one card per rule (what the problem is, how it shows, how to confirm it, how
 * to fix it) and a table from symptoms to root causes with the rules that detect each. The cards
 * are the only source of what a finding's reader is told beyond the measurements: its explanation
 * (the mechanism), the fix, the example and the verify commands ({@link #advice}). Shipped in the
 * jar under {@code dev/godiag/diagnosis/kb/} (cards/&lt;id&gt;.yaml and symptoms.yaml), read once per
 * JVM ({@link #shipped}), and extendable from a user directory ({@link #withUserDirectory}): its
 * {@code *.yaml} cards (in the directory or its {@code cards/} folder) replace shipped cards with the
 * same id, and its {@code symptoms.yaml} adds symptoms (or replaces those with the same text).
 * Immutable: one instance serves any number of concurrent diagnoses.
 *
 * <p>A card's mechanism, fix and verify commands may name values of the finding in braces:
 * {@code {key}} is the evidence value of that key, or the location's {@code function}, {@code file}
 * or {@code line}; {@code {key:regex}} is the same value quoted for a regular expression (for pprof's
 * -list, -focus). A placeholder the finding has no value for is left as written.
 */
public final class KnowledgeBase {
    static final String ROOT = "dev/godiag/diagnosis/kb/";
    static final String SYMPTOMS = "symptoms.yaml";
    private static final Set<String> CARD_FIELDS = Set.of("id", "title", "topic", "mechanism", "signs", "verify",
            "fix", "example", "references");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(:regex)?}");

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

    /** Read once per JVM: the jar's cards cannot change while it runs. */
    private static final class Shipped {
        static final KnowledgeBase INSTANCE = readShipped();
    }

    /**
     * The knowledge base shipped in the jar, read on first use and shared.
     *
     * @throws IllegalStateException when the jar's cards are missing or malformed (a build error)
     */
    public static KnowledgeBase shipped() {
        return Shipped.INSTANCE;
    }

    /**
     * This knowledge base with a user directory on top (null: this one).
     *
     * @throws IllegalArgumentException "FILE: problem" (one line) for a malformed card or symptom table,
     *                                  or a user directory that does not exist
     */
    public KnowledgeBase withUserDirectory(Path userDirOrNull) {
        if (userDirOrNull == null) {
            return this;
        }
        if (!Files.isDirectory(userDirOrNull)) {
            throw new IllegalArgumentException(userDirOrNull + ": not a directory");
        }
        Map<String, Card> c = new LinkedHashMap<>(cards);
        Map<String, Symptom> s = new LinkedHashMap<>();
        for (Symptom sy : symptoms) {
            s.put(sy.symptom(), sy);
        }
        List<Path> files = new ArrayList<>(yamlFiles(userDirOrNull));
        files.addAll(yamlFiles(userDirOrNull.resolve("cards")));
        for (Path f : files) {
            if (f.getFileName().toString().equals(SYMPTOMS)) {
                for (Symptom sy : readSymptoms(f)) {
                    s.put(sy.symptom(), sy);
                }
            } else {
                Card card = readCard(f);
                c.put(card.id(), card);
            }
        }
        return new KnowledgeBase(c, new ArrayList<>(s.values()));
    }

    /**
     * The shipped knowledge base, extended by the user directory (null: none).
     *
     * @throws IllegalArgumentException "FILE: problem" (one line) for a malformed card or symptom table,
     *                                  or a user directory that does not exist
     */
    public static KnowledgeBase load(Path userDirOrNull) {
        return shipped().withUserDirectory(userDirOrNull);
    }

    private static KnowledgeBase readShipped() {
        Map<String, Card> cards = new LinkedHashMap<>();
        Map<String, Symptom> symptoms = new LinkedHashMap<>();
        try {
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
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("godiag's own knowledge base is malformed: " + e.getMessage(), e);
        }
        return new KnowledgeBase(cards, new ArrayList<>(symptoms.values()));
    }

    // ---- advice

    /**
     * What the cards of a finding tell its reader: the mechanism, fix and example of its first known
     * card, each card's title and verify commands, placeholders filled from the finding.
     */
    public Advice advice(Finding f) {
        return advice(f, null);
    }

    /**
     * The advice with the inputs of this diagnosis in the verify commands ({@code {goroutineDumps}},
     * {@code {heapProfiles}}, {@code {firstHeapProfile}}, {@code {lastHeapProfile}},
     * {@code {gctraceLog}}: the paths given, in time order; the conventional names without them).
     */
    public Advice advice(Finding f, DiagnosisInput in) {
        Map<String, String> values = inputValues(in);
        values.putAll(values(f));
        List<Advice.CardRef> refs = new ArrayList<>();
        Card first = null;
        for (String id : f.cards()) {
            Card c = card(id);
            if (c == null) {
                refs.add(new Advice.CardRef(id, null, List.of()));
                continue;
            }
            if (first == null) {
                first = c;
            }
            refs.add(new Advice.CardRef(id, c.title(),
                    c.verify().stream().map(v -> fill(v.command(), values)).toList()));
        }
        if (first == null) {
            return new Advice("", "", null, refs);
        }
        return new Advice(fill(first.mechanism(), values), fill(first.fix(), values), first.example(), refs);
    }

    /** The finding's values a card can name: its evidence, and its location's function, file and line. */
    /** The inputs' paths by placeholder, shell-quoted where needed; the conventional names where none. */
    static Map<String, String> inputValues(DiagnosisInput in) {
        Map<String, List<String>> byKind = new HashMap<>();
        if (in != null) {
            for (DiagnosisInput.Source src : in.sources()) {
                byKind.computeIfAbsent(src.kind().id(), k -> new ArrayList<>()).add(shellWord(src.name()));
            }
        }
        List<String> dumps = byKind.getOrDefault("goroutines",
                List.of("goroutine.t0.txt", "goroutine.t1.txt", "goroutine.t2.txt"));
        List<String> heaps = byKind.getOrDefault("heap", List.of("heap.t0.pprof", "heap.t1.pprof", "heap.t2.pprof"));
        Map<String, String> m = new HashMap<>();
        m.put("goroutineDumps", String.join(" ", dumps));
        m.put("heapProfiles", String.join(" ", heaps));
        m.put("firstHeapProfile", heaps.get(0));
        m.put("lastHeapProfile", heaps.get(heaps.size() - 1));
        m.put("gctraceLog", byKind.getOrDefault("gctrace", List.of("gctrace.log")).get(0));
        return m;
    }

    /** A path as one shell word: as it is when it needs no quoting, else in single quotes. */
    private static String shellWord(String path) {
        return path.matches("[A-Za-z0-9_./:@%+=,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    private static Map<String, String> values(Finding f) {
        Map<String, String> m = new HashMap<>();
        if (f.location() != null) {
            putIfPresent(m, "function", f.location().function());
            putIfPresent(m, "file", f.location().file());
            if (f.location().line() > 0) {
                m.put("line", Long.toString(f.location().line()));
            }
        }
        for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
            String v = text(e.getValue());
            if (v != null) {
                m.put(e.getKey(), v);
            }
        }
        return m;
    }

    private static void putIfPresent(Map<String, String> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static String text(Object v) {
        if (v instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : null;
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(String.valueOf(text(o)));
            }
            return String.join(", ", parts);
        }
        return v == null ? null : String.valueOf(v);
    }

    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            String replacement = v == null ? m.group() : m.group(2) != null ? quoteRegex(v) : v;
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The text with the regular-expression metacharacters escaped, as Go's regexp.QuoteMeta does. */
    static String quoteRegex(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
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

    static Card readCard(Path file) {
        String name = file.toString();
        Map<String, Object> m = Yaml.map(name, Yaml.parse(file), "the card");
        String id = Yaml.text(name, m, "id", true);
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!base.equals(id)) {
            throw Yaml.bad(name, "id '" + id + "' does not match the file name (" + base + ".yaml)");
        }
        List<Verify> verify = new ArrayList<>();
        for (Object o : Yaml.list(name, m.get("verify"), "verify")) {
            Map<String, Object> v = Yaml.map(name, o, "a verify entry");
            verify.add(new Verify(Yaml.text(name, v, "command", true), Yaml.text(name, v, "what", true)));
        }
        Example example = null;
        if (m.get("example") != null) {
            Map<String, Object> e = Yaml.map(name, m.get("example"), "example");
            example = new Example(Yaml.text(name, e, "before", true).stripTrailing(),
                    Yaml.text(name, e, "after", true).stripTrailing());
        }
        Yaml.onlyKeys(name, m, CARD_FIELDS);
        return new Card(id, Yaml.text(name, m, "title", true), Yaml.text(name, m, "topic", true),
                prose(Yaml.text(name, m, "mechanism", true)), Yaml.strings(name, m.get("signs"), "signs"), verify,
                prose(Yaml.text(name, m, "fix", true)), example, Yaml.strings(name, m.get("references"), "references"));
    }

    /**
     * Text as paragraphs of one line each: the line breaks a card's author wraps its text with are
     * not the reader's (a terminal, a JSON consumer, a page wrap it their own way); blank lines
     * still separate paragraphs.
     */
    static String prose(String text) {
        List<String> paragraphs = new ArrayList<>();
        for (String p : text.strip().split("\\n\\s*\\n")) {
            paragraphs.add(p.strip().replaceAll("\\s*\\n\\s*", " "));
        }
        return String.join("\n\n", paragraphs);
    }

    static List<Symptom> readSymptoms(Path file) {
        String name = file.toString();
        Object doc = Yaml.parse(file);
        if (doc instanceof Map<?, ?> top && top.containsKey("symptoms")) {
            doc = top.get("symptoms");
        }
        List<Symptom> out = new ArrayList<>();
        for (Object o : Yaml.list(name, doc, "the symptom table")) {
            Map<String, Object> s = Yaml.map(name, o, "a symptom");
            List<Cause> causes = new ArrayList<>();
            for (Object c : Yaml.list(name, s.get("causes"), "causes")) {
                Map<String, Object> cm = Yaml.map(name, c, "a cause");
                causes.add(new Cause(Yaml.text(name, cm, "cause", true), Yaml.strings(name, cm.get("rules"), "rules"),
                        Yaml.text(name, cm, "verify", true)));
            }
            if (causes.isEmpty()) {
                throw Yaml.bad(name, "symptom '" + Yaml.text(name, s, "symptom", true) + "' has no causes");
            }
            out.add(new Symptom(Yaml.text(name, s, "symptom", true), causes));
        }
        return out;
    }
}
