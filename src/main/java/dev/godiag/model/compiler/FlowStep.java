package dev.godiag.model.compiler;

/**
 * One line of a {@code -m=2} escape explanation: {@code flow: {heap} = &{storage for v}} (Go 1.27
 * writes "←" where Go 1.19 writes "=", kept as "=") or {@code from sinkAny = v (assign)}, with
 * the place the compiler names for a "from" step ({@code null} when it names none).
 */
public record FlowStep(String text, SourcePos at) {
    /** The tag of a "from" step: "assign" of {@code from sinkAny = v (assign)}; "" for a flow line. */
    public String tag() {
        if (!text.startsWith("from ") || !text.endsWith(")")) {
            return "";
        }
        int open = text.lastIndexOf(" (");
        return open < 0 ? "" : text.substring(open + 2, text.length() - 1);
    }
}
