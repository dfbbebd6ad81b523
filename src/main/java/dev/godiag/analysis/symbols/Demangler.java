package dev.godiag.analysis.symbols;

import dev.godiag.util.RawUtf8;

import java.nio.charset.StandardCharsets;

/**
 * Demangles a C++ (Itanium ABI) or Rust (legacy or v0) symbol into the short form pprof prints
 * by default: no function parameters, no enclosing function's parameters, no template or generic
 * arguments.
 */
final class Demangler {
    private Demangler() {
    }

    /** The demangled name, or null when the symbol is not mangled or does not parse. */
    static String demangle(String symbol) {
        if (!symbol.startsWith("_R") && !symbol.startsWith("_Z") && !symbol.startsWith("___Z")
                && !symbol.startsWith("_GLOBAL_")) {
            return null; // most names (Go's) are no mangled symbol at all
        }
        // lengths in mangled names count bytes: work on the UTF-8 bytes, one char each
        boolean ascii = symbol.chars().allMatch(c -> c < 0x80);
        String bytes = ascii ? symbol : new String(RawUtf8.encode(symbol), StandardCharsets.ISO_8859_1);
        String out;
        try {
            out = demangleBytes(bytes);
        } catch (DemangleException e) {
            return null;
        }
        return out == null || out.chars().allMatch(c -> c < 0x80) ? out
                : RawUtf8.decode(out.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String demangleBytes(String symbol) {
        if (symbol.startsWith("_R")) {
            return RustV0Demangler.demangle(symbol);
        }
        if (symbol.startsWith("_ZN")) {
            String legacy = RustLegacyDemangler.demangle(symbol);
            if (legacy != null) {
                return legacy;
            }
        }
        return CppDemangler.demangle(symbol);
    }
}
