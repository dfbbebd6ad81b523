package dev.godiag.model;

/**
 * A frame of a goroutine stack as the runtime prints it: {@code function(args)} over
 * {@code file:line +0xpc}.
 *
 * @param function the function as printed ("main.(*server).handle", "main.leakSelect.func1")
 * @param args     the argument text between the parentheses as printed ("0xc000010000, 0x1?",
 *                 "...", "{0x7f, 0x3}"), or null where the runtime prints none (created-by lines,
 *                 frames from profiles)
 * @param file     the source file, "" when unknown
 * @param line     the line, 0 when unknown
 */
public record StackFrame(String function, String args, String file, int line) {
    /** "file:line", or the file alone, or "". */
    public String location() {
        return line > 0 ? file + ":" + line : file;
    }
}
