package dev.godiag.format.compiler;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.godiag.model.compiler.BoundsCheck;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.FlowStep;
import dev.godiag.model.compiler.InlineDecision;
import dev.godiag.model.compiler.InlinedCall;
import dev.godiag.model.compiler.SourcePos;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of {@code -gcflags=-json=0,file://DIR}: a header object naming the source file, then one
 * LSP-like diagnostic per line (range, code, message, relatedInformation). Lines and columns are
 * 1-based, as the compiler writes them. Codes: "escape"/"escapes" (an explanation when the message
 * is "X escapes to heap", the verdict of an allocation when it is empty; a moved variable has only
 * its explanation), "leak", "canInlineFunction" ("cost: N"), "cannotInlineFunction" (the reason),
 * "inlineCall", "isInBounds", "isSliceInBounds"; others are passed over.
 */
final class CompilerJsonReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build()).build();
    private static final Pattern EXPLAINED = Pattern.compile("^(.*) escapes to heap(?: in .*)?$");
    private static final Pattern LEAK = Pattern.compile("^parameter (\\S+) leaks.*$");
    private static final Pattern COST = Pattern.compile("^cost: (\\d{1,9})$");

    /** One diagnostic line, as far as it is read. */
    private static final class Diagnostic {
        int line;
        int column;
        String code = "";
        String message = "";
        final List<FlowStep> flow = new ArrayList<>();
    }

    private CompilerJsonReader() {
    }

    static CompilerDiagnostics read(String text) {
        String[] lines = text.split("\r?\n");
        String file = header(lines[0]);
        EscapeCollector escapes = new EscapeCollector();
        List<InlineDecision> inlining = new ArrayList<>();
        List<InlinedCall> calls = new ArrayList<>();
        List<BoundsCheck> checks = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Diagnostic d = diagnostic(lines[i], i + 1);
            SourcePos pos = new SourcePos(file, d.line, d.column);
            Matcher m;
            switch (d.code) {
                case "escape", "escapes" -> {
                    if (d.message.isEmpty()) {
                        escapes.verdict(pos, EscapeKind.ESCAPES, null);
                    } else if ((m = EXPLAINED.matcher(d.message)).matches()) {
                        escapes.explain(pos, m.group(1), "", false);
                        d.flow.forEach(escapes::step);
                    }
                }
                case "leak" -> {
                    m = LEAK.matcher(d.message);
                    escapes.explain(pos, m.matches() ? m.group(1) : d.message, "", true);
                    d.flow.forEach(escapes::step);
                }
                case "canInlineFunction" -> {
                    m = COST.matcher(d.message);
                    inlining.add(new InlineDecision(pos, "", true, m.matches() ? Integer.parseInt(m.group(1)) : -1,
                            -1, ""));
                }
                case "cannotInlineFunction" -> inlining.add(CompilerTextReader.cannotInline(pos, "", d.message));
                case "inlineCall" -> calls.add(new InlinedCall(pos, d.message));
                case "isInBounds" -> checks.add(new BoundsCheck(pos, false));
                case "isSliceInBounds" -> checks.add(new BoundsCheck(pos, true));
                default -> {
                }
            }
        }
        return new CompilerDiagnostics(escapes.finish(EscapeKind.MOVED), inlining, calls, checks);
    }

    /** The header's "file"; a file without one is not the compiler's JSON. */
    private static String header(String line) {
        String file = null;
        boolean version = false;
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, 1, "a header object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("file") && t == JsonToken.VALUE_STRING) {
                    file = p.getText();
                } else if (name.equals("version") && t == JsonToken.VALUE_NUMBER_INT) {
                    version = true;
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException("line 1: bad compiler JSON header: " + brief(e));
        } catch (IOException e) {
            throw new BadInputException("line 1: " + e.getMessage());
        }
        expect(version && file != null && !file.isEmpty(), 1, "a header with \"version\" and \"file\"");
        return file;
    }

    private static Diagnostic diagnostic(String line, int number) {
        Diagnostic d = new Diagnostic();
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, number, "a diagnostic object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "range" -> {
                        int[] start = start(p, number);
                        d.line = start[0];
                        d.column = start[1];
                    }
                    case "code" -> d.code = string(p, t, number, name);
                    case "message" -> d.message = string(p, t, number, name);
                    case "relatedInformation" -> related(p, t, number, d.flow);
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null, number, "one object on the line");
        } catch (JsonProcessingException e) {
            throw new BadInputException("line " + number + ": bad compiler JSON: " + brief(e));
        } catch (IOException e) {
            throw new BadInputException("line " + number + ": " + e.getMessage());
        }
        expect(d.line > 0, number, "a diagnostic with a range");
        return d;
    }

    /** {"start":{"line":L,"character":C},...}: L and C. */
    private static int[] start(JsonParser p, int number) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, number, "\"range\" as an object");
        int[] lc = {0, 0};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (!name.equals("start")) {
                p.skipChildren();
                continue;
            }
            expect(t == JsonToken.START_OBJECT, number, "\"start\" as an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("line") || f.equals("character")) {
                    expect(v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                            && p.getIntValue() >= 0, number, "\"" + f + "\" as a small non-negative integer");
                    lc[f.equals("line") ? 0 : 1] = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        return lc;
    }

    /** relatedInformation: the "escflow:" lines of an explanation, with their places. */
    private static void related(JsonParser p, JsonToken t, int number, List<FlowStep> flow) throws IOException {
        expect(t == JsonToken.START_ARRAY, number, "\"relatedInformation\" as an array");
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String message = "";
            SourcePos at = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("message")) {
                    message = string(p, v, number, name);
                } else if (name.equals("location") && v == JsonToken.START_OBJECT) {
                    at = location(p, number);
                } else {
                    p.skipChildren();
                }
            }
            String s = message.startsWith("escflow:") ? message.substring(8).strip() : message.strip();
            if (s.startsWith("flow: ") || s.startsWith("from ")) {
                FlowStep step = CompilerTextReader.flowStep(s);
                flow.add(s.startsWith("from ") ? new FlowStep(step.text(), at) : step);
            }
        }
        expect(p.currentToken() == JsonToken.END_ARRAY, number, "\"relatedInformation\" as an array of objects");
    }

    /** {"uri":"file:///src/main.go","range":{...}}: the place, the uri's path as the file. */
    private static SourcePos location(JsonParser p, int number) throws IOException {
        String uri = "";
        int[] lc = {0, 0};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("uri")) {
                uri = string(p, v, number, name);
            } else if (name.equals("range")) {
                lc = start(p, number);
            } else {
                p.skipChildren();
            }
        }
        String file = uri.startsWith("file://") ? uri.substring(7) : uri;
        return file.isEmpty() || lc[0] == 0 ? null : new SourcePos(file, lc[0], lc[1]);
    }

    private static String string(JsonParser p, JsonToken t, int number, String field) throws IOException {
        expect(t == JsonToken.VALUE_STRING, number, "\"" + field + "\" as a string");
        return p.getText();
    }

    /** jackson's message without its note on where the source is (one line, no "[Source: ...]"). */
    private static String brief(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        int cut = m.indexOf(" (start marker");
        return cut > 0 ? m.substring(0, cut) : m;
    }

    private static void expect(boolean ok, int line, String what) {
        if (!ok) {
            throw new BadInputException("line " + line + ": expected " + what);
        }
    }
}
