package dev.godiag.format.goroutine;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads full goroutine dumps as Go 1.19 to 1.27 print them: {@code /debug/pprof/goroutine?debug=2},
 * panics and {@code fatal error} output, SIGQUIT dumps, {@code runtime.Stack(buf, true)} and
 * {@code go test -timeout} panics, alone or inside a larger log.
 *
 * <p>A goroutine block is a header {@code goroutine N [gp=.. m=.. mp=..] [state(, N minutes)(,
 * locked to thread)(, synctest bubble N)] (labels):} followed, up to a blank line, by frames
 * ({@code function(args)} over an indented {@code file:line( +0xpc)( fp=.. sp=.. pc=..)}),
 * {@code ...N frames elided...} / {@code ...additional frames elided...}, {@code created by F( in
 * goroutine N)} with its location, {@code [originating from goroutine N]:} ancestor stacks (each
 * with its own frames and creator) and {@code goroutine running on other thread; stack unavailable}.
 *
 * <p>Text outside blocks (panic messages, log lines, register dumps) is skipped without a word, except
 * the first {@code fatal error: ...} line, kept as the dump's {@code fatalError} (a deadlock says so). A
 * line inside a block that is not part of a stack gets a warning naming its line, and the goroutine
 * keeps what could be read; a block that ends in an unknown line simply ends there (logs often
 * follow a dump without a blank line). Never throws on a damaged dump: only an input without any
 * goroutine header is a {@link BadInputException}.
 *
 * <p>The input is streamed line by line; names, files, states, frames and frame lists are
 * interned, so a dump of a million goroutines in a few dozen stacks costs little more than its
 * goroutine records.
 */
public final class GoroutineDumpReader {
    /** The format name of what this reader returns. */
    public static final String FORMAT = "goroutine dump";

    /** Wait reasons that end in a parenthesized part of their own (runtime2.go's waitReasonStrings). */
    private static final Set<String> PAREN_STATES = Set.of("chan receive (nil chan)", "chan send (nil chan)",
            "select (no cases)", "force gc (idle)", "GOMAXPROCS updater (idle)", "trace reader (blocked)",
            "GC worker (idle)", "GC worker (active)", "chan receive (durable)", "chan send (durable)",
            "select (durable)", "sync.WaitGroup.Wait (durable)");

    private final String source;
    private final StackInterner in = new StackInterner();
    private final Warnings warnings = new Warnings();
    private final List<Goroutine> goroutines = new ArrayList<>();
    private final Map<Goroutine.Ancestor, Goroutine.Ancestor> ancestorsSeen = new HashMap<>();
    private final int[] labelEnd = new int[1];

    // the goroutine being read
    private boolean open;
    private long id;
    private String state;
    private int minutes;
    private boolean locked;
    private boolean leaked;
    private List<String> markers;
    private final ArrayList<StackFrame> frames = new ArrayList<>();
    private int elided;
    private StackFrame createdBy;
    private long creatorId;
    private List<Goroutine.Ancestor> ancestors;
    private Map<String, String> labels;
    private boolean unavailable;
    private long headerLine;
    // the ancestor being read (ancestorId >= 0)
    private long ancestorId = -1;
    private final ArrayList<StackFrame> ancestorFrames = new ArrayList<>();
    private int ancestorElided;
    private StackFrame ancestorCreatedBy;
    // a function line waiting for its location line
    private String pendingFunction;
    private String pendingArgs;
    private long pendingLine;
    private boolean pendingCreator;
    private long pendingCreatorId;
    // an unknown line inside a block: garbage if the stack goes on after it, else the block's end
    private String suspect;
    private long suspectLine;

    /** How the runtime prints an unrecoverable error before the goroutines' stacks. */
    private static final String FATAL = "fatal error: ";
    /** The first such message, or null. */
    private String fatalError;

    private GoroutineDumpReader(String source) {
        this.source = source;
    }

    /** Reads a dump from a stream (not closed). */
    public static GoroutineDump read(InputStream input, String source) {
        GoroutineDumpReader r = new GoroutineDumpReader(source);
        LineInput lines = new LineInput(input);
        String line;
        while ((line = lines.next()) != null) {
            if (lines.wasCut()) {
                r.warnings.add(lines.number(), "line longer than " + LineInput.MAX_LINE + " bytes, cut");
            }
            r.line(line, lines.number());
        }
        r.end(lines.number());
        if (r.goroutines.isEmpty()) {
            throw new BadInputException("no goroutine found (expected a goroutine dump: \"goroutine N [state]:\""
                    + " blocks, or goroutine profile text or proto)");
        }
        return new GoroutineDump(source, FORMAT, List.copyOf(r.goroutines), r.warnings.list(), r.fatalError);
    }

    /** Reads a dump held in a string. */
    public static GoroutineDump read(String text, String source) {
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), source);
    }

    private void line(String s, long n) {
        if (fatalError == null && !open && s.startsWith(FATAL)) {
            fatalError = s.substring(FATAL.length()).strip();
            return;
        }
        if (isBlank(s)) {
            suspect = null;
            close(n);
            return;
        }
        if (s.startsWith("goroutine ") && s.length() > 10 && isDigit(s.charAt(10))) {
            if (header(s, n)) {
                return;
            }
        }
        if (!open) {
            return;
        }
        if (pendingFunction != null) {
            int lead = leading(s);
            if (location(s, lead, n)) {
                return;
            }
            if (lead > 0) {
                warnings.add(n, "cannot read file:line " + Warnings.quote(s.substring(lead)));
                completePending("", 0);
                return;
            }
            warnings.add(pendingLine, "frame " + Warnings.quote(pendingFunction) + " has no file:line");
            completePending("", 0);
        }
        if (!stackLine(s, n)) {
            if (suspect != null) {
                // two unknown lines in a row: the block ended at the first
                suspect = null;
                close(n);
                return;
            }
            suspect = s;
            suspectLine = n;
        }
    }

    /** A frame, creator, elision, ancestor or unavailable-stack line; false for anything else. */
    private boolean stackLine(String s, long n) {
        int lead = leading(s);
        int len = trimmedEnd(s);
        if (lead >= len) {
            return false;
        }
        boolean known = true;
        if (s.startsWith("created by ", lead)) {
            known = createdBy(s, lead + 11, len, n);
        } else if (s.startsWith("[originating from goroutine ", lead)) {
            known = ancestor(s, lead + 28, len);
        } else if (s.startsWith("...", lead) && s.startsWith("...", len - 3) && len - lead > 6) {
            known = elided(s, lead + 3, len - 3);
        } else if (s.startsWith("goroutine running on other thread; stack unavailable", lead)) {
            unavailable = true;
        } else if (s.charAt(len - 1) == ')') {
            known = function(s, lead, len, n);
            if (known && lead > 0) {
                warnings.add(n, "frame line indented: " + Warnings.quote(s.strip()));
            }
        } else if (isLocation(s, lead, len)) {
            warnings.add(n, "file:line without a function line: " + Warnings.quote(s.strip()));
        } else {
            known = false;
        }
        if (known && suspect != null) {
            warnings.add(suspectLine, "not part of a stack: " + Warnings.quote(suspect));
            suspect = null;
        }
        return known;
    }

    private boolean function(String s, int lead, int len, long n) {
        int depth = 0;
        int open = -1;
        for (int i = len - 1; i >= lead; i--) {
            char c = s.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (--depth == 0) {
                    open = i;
                    break;
                }
            }
        }
        if (open <= lead) {
            return false;
        }
        for (int i = lead; i < open; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return false;
            }
        }
        pendingFunction = in.names.intern(s, lead, open);
        pendingArgs = in.args.intern(s, open + 1, len - 1);
        pendingLine = n;
        pendingCreator = false;
        return true;
    }

    private boolean createdBy(String s, int from, int len, long n) {
        int end = len;
        long goid = -1;
        int in = s.lastIndexOf(" in goroutine ", len);
        if (in >= from) {
            long v = parseLong(s, in + 14, len);
            if (v >= 0) {
                goid = v;
                end = in;
            }
        }
        if (end <= from) {
            return false;
        }
        pendingFunction = this.in.names.intern(s, from, end);
        pendingArgs = null;
        pendingLine = n;
        pendingCreator = true;
        pendingCreatorId = goid;
        return true;
    }

    private boolean ancestor(String s, int from, int len) {
        if (!s.startsWith("]:", len - 2)) {
            return false;
        }
        long goid = parseLong(s, from, len - 2);
        if (goid < 0) {
            return false;
        }
        endAncestor();
        ancestorId = goid;
        return true;
    }

    private boolean elided(String s, int from, int to) {
        int count;
        if (s.startsWith("additional frames elided", from) && to - from == 24) {
            count = -1;
        } else if (s.startsWith(" frames elided", to - 14)) {
            long v = parseLong(s, from, to - 14);
            if (v < 0) {
                return false;
            }
            count = (int) Math.min(Integer.MAX_VALUE, v);
        } else {
            return false;
        }
        if (ancestorId >= 0) {
            ancestorElided = count;
        } else {
            elided = count;
        }
        return true;
    }

    /** The location line of the pending function; false if {@code s} is not one. */
    private boolean location(String s, int lead, long n) {
        int len = trimmedEnd(s);
        int end = locationEnd(s, lead, len);
        if (end < 0) {
            return false;
        }
        int colon = s.lastIndexOf(':', end - 1);
        long line = parseLong(s, colon + 1, end);
        completePending(in.names.intern(s, lead, colon), (int) line);
        return true;
    }

    private static boolean isLocation(String s, int lead, int len) {
        return locationEnd(s, lead, len) >= 0;
    }

    /** The end of "file:line" in a location line (before " +0x..", " fp=..."), or -1. */
    private static int locationEnd(String s, int lead, int len) {
        int end = len;
        int plus = s.indexOf(" +0x", lead);
        if (plus >= 0 && plus < end) {
            end = plus;
        }
        int fp = s.indexOf(" fp=", lead);
        if (fp >= 0 && fp < end) {
            end = fp;
        }
        while (end > lead && s.charAt(end - 1) == ' ') {
            end--;
        }
        int colon = s.lastIndexOf(':', end - 1);
        if (colon <= lead || colon == end - 1 || end - colon > 11) {
            return -1;
        }
        for (int i = colon + 1; i < end; i++) {
            if (!isDigit(s.charAt(i))) {
                return -1;
            }
        }
        long line = parseLong(s, colon + 1, end);
        return line < 0 || line > Integer.MAX_VALUE ? -1 : end;
    }

    private void completePending(String file, int line) {
        StackFrame f = in.frame(pendingFunction, pendingArgs, file, line);
        if (pendingCreator) {
            if (ancestorId >= 0) {
                ancestorCreatedBy = f;
            } else {
                createdBy = f;
                creatorId = pendingCreatorId;
            }
        } else if (ancestorId >= 0) {
            ancestorFrames.add(f);
        } else {
            frames.add(f);
        }
        pendingFunction = null;
        pendingArgs = null;
    }

    /** Starts a goroutine at a header line; false if the line is not a header. */
    private boolean header(String s, long n) {
        int p = 10;
        int len = trimmedEnd(s);
        long goid = 0;
        while (p < len && isDigit(s.charAt(p))) {
            goid = goid * 10 + (s.charAt(p) - '0');
            if (goid < 0 || p > 28) {
                return false;
            }
            p++;
        }
        if (p >= len || s.charAt(p) != ' ') {
            return false; // "goroutine 5:" or "goroutine 7 exited": prose
        }
        int bracket = s.indexOf('[', p);
        if (bracket < 0) {
            if (s.startsWith(" gp=", p) || s.startsWith(" [", p)) {
                close(n);
                warnings.add(n, "cannot read goroutine header " + Warnings.quote(s));
                return true;
            }
            return false;
        }
        // between the id and '[': nothing, or Go 1.23+'s "gp=0x.. m=N mp=0x.." (also "m=nil")
        for (int i = p; i < bracket; i++) {
            char c = s.charAt(i);
            if (c != ' ' && !Character.isLetterOrDigit(c) && c != '=') {
                return false;
            }
        }
        if (bracket > p + 1 && s.indexOf('=', p) < 0) {
            return false;
        }
        close(n);
        int closeBracket = s.indexOf(']', bracket);
        if (closeBracket < 0) {
            warnings.add(n, "cannot read goroutine header " + Warnings.quote(s));
            return true;
        }
        open = true;
        id = goid;
        headerLine = n;
        minutes = 0;
        locked = false;
        leaked = false;
        markers = List.of();
        elided = 0;
        createdBy = null;
        creatorId = -1;
        ancestors = List.of();
        labels = Map.of();
        unavailable = false;
        frames.clear();
        status(s, bracket + 1, closeBracket);
        int q = closeBracket + 1;
        while (q < len && s.charAt(q) == ' ') {
            q++;
        }
        if (s.startsWith("labels:", q)) {
            q += 7;
            while (q < len && s.charAt(q) == ' ') {
                q++;
            }
        }
        if (q < len && s.charAt(q) == '{') {
            Map<String, String> l = LabelText.parse(s, q, labelEnd);
            if (l == null) {
                warnings.add(n, "cannot read the labels of goroutine " + goid);
                int brace = s.lastIndexOf('}', len - 1);
                q = brace < q ? len : brace + 1;
            } else {
                labels = in.labels(l);
                q = labelEnd[0];
            }
        }
        while (q < len && s.charAt(q) == ' ') {
            q++;
        }
        if (q != len - 1 || s.charAt(q) != ':') {
            warnings.add(n, "goroutine header does not end in ':' " + Warnings.quote(s));
        }
        return true;
    }

    private void status(String s, int from, int to) {
        int comma = s.indexOf(", ", from);
        int statusEnd = comma < 0 || comma > to ? to : comma;
        String st = s.substring(from, statusEnd);
        ArrayList<String> marks = null;
        while (st.endsWith(")") && !PAREN_STATES.contains(st)) {
            int open = st.lastIndexOf(" (");
            if (open < 0) {
                break;
            }
            String mark = st.substring(open + 2, st.length() - 1);
            st = st.substring(0, open);
            if (mark.equals("leaked")) {
                leaked = true;
            } else {
                if (marks == null) {
                    marks = new ArrayList<>();
                }
                marks.add(0, in.names.intern(mark));
            }
        }
        if (st.endsWith(" (durable)") && (marks == null || !marks.contains("durable"))) {
            if (marks == null) {
                marks = new ArrayList<>();
            }
            marks.add("durable");
        }
        state = in.names.intern(st);
        int p = statusEnd;
        while (p < to) {
            int start = p + 2;
            int next = s.indexOf(", ", start);
            int end = next < 0 || next > to ? to : next;
            if (s.startsWith(" minutes", end - 8) && end - 8 > start) {
                long m = parseLong(s, start, end - 8);
                minutes = m < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, m);
            } else if (s.startsWith("locked to thread", start) && end - start == 16) {
                locked = true;
            } else if (end > start) {
                if (marks == null) {
                    marks = new ArrayList<>();
                }
                marks.add(in.names.intern(s, start, end));
            }
            p = end;
        }
        if (marks != null) {
            markers = List.copyOf(marks);
        }
    }

    private void endAncestor() {
        if (ancestorId < 0) {
            return;
        }
        Goroutine.Ancestor a = new Goroutine.Ancestor(ancestorId, in.list(ancestorFrames), ancestorElided,
                ancestorCreatedBy);
        Goroutine.Ancestor seen = ancestorsSeen.putIfAbsent(a, a);
        if (ancestors.isEmpty()) {
            ancestors = new ArrayList<>(2);
        }
        ancestors.add(seen == null ? a : seen);
        ancestorId = -1;
        ancestorFrames.clear();
        ancestorElided = 0;
        ancestorCreatedBy = null;
    }

    /** Ends the goroutine being read, if any. */
    private void close(long n) {
        if (!open) {
            return;
        }
        if (pendingFunction != null) {
            warnings.add(pendingLine, "frame " + Warnings.quote(pendingFunction) + " has no file:line");
            completePending("", 0);
        }
        endAncestor();
        goroutines.add(new Goroutine(id, 1, state, minutes, locked, leaked, markers, in.list(frames), elided,
                createdBy, creatorId, ancestors.isEmpty() ? List.of() : List.copyOf(ancestors), labels, unavailable,
                headerLine));
        frames.clear();
        open = false;
    }

    private void end(long n) {
        if (open && suspect != null && looksCut(suspect)) {
            warnings.add(suspectLine, "input ends inside goroutine " + id + ": " + Warnings.quote(suspect));
        }
        if (open && pendingFunction != null) {
            warnings.add(pendingLine, "input ends inside a frame of goroutine " + id);
            completePending("", 0);
        }
        suspect = null;
        close(n);
    }

    /** A last line that looks like a frame cut short (one word, no prose). */
    private static boolean looksCut(String s) {
        String t = s.strip();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ' || c == '\t') {
                return false;
            }
        }
        return !t.isEmpty();
    }

    private static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private static int leading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimmedEnd(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return e;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The decimal number in {@code s[from, to)}, or -1 if it is not one (or too long). */
    static long parseLong(String s, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
