package dev.godiag.format.compiler;

import dev.godiag.model.compiler.BoundsCheck;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.FlowStep;
import dev.godiag.model.compiler.InlineDecision;
import dev.godiag.model.compiler.InlinedCall;
import dev.godiag.model.compiler.SourcePos;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text the compiler prints with {@code -gcflags=-m}, {@code -m=2} and
 * {@code -d=ssa/check_bce/debug=1}, Go 1.19 to 1.27: "FILE:LINE:COL: message" lines, "# package"
 * headers, and anything else a build prints (errors, go command output) passed over.
 */
final class CompilerTextReader {
    private static final Pattern POSITIONED = Pattern.compile("^(.+?):(\\d{1,9}):(\\d{1,9}): (.*)$");
    private static final Pattern AT = Pattern.compile("^(.+?):(\\d{1,9}):(\\d{1,9})$");
    private static final String ESCAPES_TO_HEAP = " escapes to heap";
    private static final Pattern EXPLAIN_PARAM = Pattern.compile("^parameter (\\S+) leaks to (.*):$");
    private static final Pattern MOVED = Pattern.compile("^moved to heap: (.+)$");
    private static final Pattern LEAKING = Pattern.compile("^leaking param(?: content)?: (\\S+).*$");
    private static final Pattern CAN_INLINE = Pattern.compile("^can inline (.+?)(?: with cost (\\d{1,9}) as: .*)?$");
    private static final Pattern CANNOT_INLINE = Pattern.compile("^cannot inline (.+?): (.*)$");
    private static final Pattern COST_BUDGET = Pattern.compile("cost (\\d{1,9}) exceeds budget (\\d{1,9})");
    private static final Pattern INLINING_CALL = Pattern.compile("^inlining call to (.+)$");
    private static final Pattern BCE = Pattern.compile("^Found (IsInBounds|IsSliceInBounds)$");

    private CompilerTextReader() {
    }

    /** The diagnostics of the text; how many of its lines were diagnostics is {@code recognised[0]}. */
    static CompilerDiagnostics read(String text, int[] recognised) {
        EscapeCollector escapes = new EscapeCollector();
        List<InlineDecision> inlining = new ArrayList<>();
        List<InlinedCall> calls = new ArrayList<>();
        List<BoundsCheck> checks = new ArrayList<>();
        int known = 0;
        for (String line : text.split("\r?\n", -1)) {
            Matcher m = POSITIONED.matcher(line);
            if (!m.matches() || Integer.parseInt(m.group(2)) == 0) {
                continue; // lines are 1-based: a line 0 is no place in source
            }
            SourcePos pos = new SourcePos(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            String msg = m.group(4);
            if (msg.startsWith("  ")) {
                String s = msg.strip();
                if ((s.startsWith("flow: ") || s.startsWith("from ")) && escapes.step(flowStep(s))) {
                    known++;
                }
                continue;
            }
            if (parse(msg, pos, escapes, inlining, calls, checks)) {
                known++;
            }
        }
        recognised[0] = known;
        return new CompilerDiagnostics(escapes.finish(EscapeKind.ESCAPES), inlining, calls, checks);
    }

    private static boolean parse(String msg, SourcePos pos, EscapeCollector escapes, List<InlineDecision> inlining,
                                 List<InlinedCall> calls, List<BoundsCheck> checks) {
        Matcher m;
        // string operations, not regular expressions, where a hostile line could make one backtrack
        int heap = msg.indexOf(ESCAPES_TO_HEAP);
        String after = heap < 0 ? "" : msg.substring(heap + ESCAPES_TO_HEAP.length());
        if (heap >= 0 && (after.equals(":") || after.startsWith(" in ") && after.endsWith(":"))) {
            escapes.explain(pos, msg.substring(0, heap), after.length() > 1 ? after.substring(4, after.length() - 1) : "",
                    false);
        } else if (heap >= 0 && after.isEmpty()) {
            escapes.verdict(pos, EscapeKind.ESCAPES, msg.substring(0, heap));
        } else if ((m = EXPLAIN_PARAM.matcher(msg)).matches()) {
            escapes.explain(pos, m.group(1), "", true);
        } else if ((m = MOVED.matcher(msg)).matches()) {
            escapes.verdict(pos, EscapeKind.MOVED, m.group(1));
        } else if ((m = LEAKING.matcher(msg)).matches()) {
            escapes.verdict(pos, EscapeKind.LEAKING_PARAM, m.group(1));
        } else if ((m = CAN_INLINE.matcher(msg)).matches()) {
            inlining.add(new InlineDecision(pos, m.group(1), true, m.group(2) == null ? -1 : Integer.parseInt(m.group(2)),
                    -1, ""));
        } else if ((m = CANNOT_INLINE.matcher(msg)).matches()) {
            inlining.add(cannotInline(pos, m.group(1), m.group(2)));
        } else if ((m = INLINING_CALL.matcher(msg)).matches()) {
            calls.add(new InlinedCall(pos, m.group(1)));
        } else if ((m = BCE.matcher(msg)).matches()) {
            checks.add(new BoundsCheck(pos, m.group(1).equals("IsSliceInBounds")));
        } else {
            return msg.endsWith(" does not escape");
        }
        return true;
    }

    static InlineDecision cannotInline(SourcePos pos, String function, String reason) {
        Matcher c = COST_BUDGET.matcher(reason);
        boolean costed = c.find();
        return new InlineDecision(pos, function, false, costed ? Integer.parseInt(c.group(1)) : -1,
                costed ? Integer.parseInt(c.group(2)) : -1, reason);
    }

    /** "from v (spill) at ./main.go:54:2" with its place; Go 1.27's "←" written as Go 1.19's "=". */
    static FlowStep flowStep(String s) {
        String text = s.replace(" \u2190 ", " = ");
        int k = text.lastIndexOf(" at ");
        Matcher at = k < 0 ? null : AT.matcher(text.substring(k + 4));
        if (text.startsWith("from ") && at != null && at.matches()) {
            return new FlowStep(text.substring(0, k), new SourcePos(at.group(1), Integer.parseInt(at.group(2)),
                    Integer.parseInt(at.group(3))));
        }
        return new FlowStep(text, null);
    }
}
