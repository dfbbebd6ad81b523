package dev.godiag.model.compiler;

/** What escape analysis said of a value. */
public enum EscapeKind {
    /** "make([]byte, n) escapes to heap": an allocation the compiler puts on the heap. */
    ESCAPES("escapes to heap"),
    /** "moved to heap: buf": a variable the compiler puts on the heap. */
    MOVED("moved to heap"),
    /** "leaking param: p": a parameter the function lets outlive the call. */
    LEAKING_PARAM("leaking param");

    private final String words;

    EscapeKind(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
