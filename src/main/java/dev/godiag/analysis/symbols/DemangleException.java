package dev.godiag.analysis.symbols;

/** The symbol is not mangled, or not in a way this demangler reads: the name stays as it is. */
final class DemangleException extends RuntimeException {
    DemangleException(String message) {
        super(message, null, false, false);
    }
}
