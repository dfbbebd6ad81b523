package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.string-building: strings built piecewise: += concatenation, fmt.Sprintf, buffers that keep growing. */
public final class StringBuildingRule extends ShareRule {
    static final Threshold SHARE = new Threshold("buildShare", "fraction", 0.05, 0.15, 0.30,
            "share of the CPU samples or allocated bytes in runtime.concatstring*, fmt.Sprint*/Errorf or the growth of bytes.Buffer/strings.Builder (5%/15%/30%)");

    public StringBuildingRule() {
        super("code.string-building", "code", "strings built piecewise: += concatenation, fmt.Sprintf, buffers that keep growing", SHARE, Source.CPU, Source.ALLOCS);
    }

    @Override
    Predicate<String> match() {
        return n -> n.startsWith("runtime.concatstring") || n.startsWith("runtime.concatbyte") || n.equals("fmt.Sprintf") || n.equals("fmt.Sprint") || n.equals("fmt.Sprintln") || n.equals("bytes.(*Buffer).grow") || n.equals("strings.(*Builder).grow");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "string building";
    }

    @Override
    String explanation() {
        return "s += x copies the whole string each time (runtime.concatstrings), so a loop of concatenations is quadratic; fmt.Sprintf parses its format and boxes its arguments on every call; a bytes.Buffer or strings.Builder that starts empty reallocates and copies (bytes.growSlice, runtime.growslice) each time it outgrows its capacity.";
    }

    @Override
    String fix() {
        return "Build into one strings.Builder or bytes.Buffer, Grow() it to the expected size first, reuse buffers across calls (Reset, sync.Pool), and use strconv.AppendInt/AppendQuote instead of fmt.Sprintf for simple formatting.";
    }

    @Override
    String[] example() {
        return new String[] {"s := \"\"\nfor _, it := range items {\n    s += fmt.Sprintf(\"%s=%d;\", it.Name, it.N)\n}", "var b strings.Builder\nb.Grow(len(items) * 16)\nfor _, it := range items {\n    b.WriteString(it.Name)\n    b.WriteByte('=')\n    b.WriteString(strconv.Itoa(it.N))\n    b.WriteByte(';')\n}\ns := b.String()"};
    }
}
