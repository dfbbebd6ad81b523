package dev.godiag.analysis.symbols;

/**
 * Rust's legacy mangling: an Itanium nested name "_ZN" of length-prefixed identifiers that ends
 * in a 16-hex-digit hash "17h...E", with '$' escapes for punctuation. The hash is left out.
 */
final class RustLegacyDemangler {
    private RustLegacyDemangler() {
    }

    /** The demangled name, or null when the symbol is not a legacy Rust one (it may be C++). */
    static String demangle(String symbol) {
        String name = symbol;
        int suffix = name.lastIndexOf("E.");
        if (suffix > 0) {
            name = name.substring(0, suffix + 1); // a ".llvm.123" suffix is ignored
        }
        int n = name.length();
        if (!name.endsWith("E") || n <= 23 || !name.startsWith("17h", n - 20)) {
            return null;
        }
        String body = name.substring(3);
        int distinct = 0;
        for (int i = body.length() - 17; i < body.length() - 1; i++) {
            int d = hexDigit(body.charAt(i));
            if (d < 0) {
                return null;
            }
            distinct |= 1 << d;
        }
        // a real hash uses many digits; this keeps C++ names that happen to end so
        if (Integer.bitCount(distinct) < 5) {
            return null;
        }
        body = body.substring(0, body.length() - 20);
        StringBuilder out = new StringBuilder(body.length());
        int p = 0;
        while (p < body.length()) {
            if (!isDigit(body.charAt(p))) {
                return null;
            }
            int len = 0;
            while (p < body.length() && isDigit(body.charAt(p))) {
                int add = body.charAt(p) - '0';
                if (len >= Integer.MAX_VALUE / 10 - add) {
                    return null;
                }
                len = len * 10 + add;
                p++;
            }
            if (p < body.length() && body.charAt(p) == '_') {
                p++;
                len--;
            }
            if (len < 0 || body.length() - p < len) {
                return null;
            }
            String id = body.substring(p, p + len);
            p += len;
            if (!out.isEmpty()) {
                out.append("::");
            }
            appendUnescaped(out, id);
        }
        return out.toString();
    }

    /** An identifier with its '$' escapes and ".." separators turned back into what they stand for. */
    private static void appendUnescaped(StringBuilder out, String id) {
        if (id.startsWith("_$")) {
            id = id.substring(1);
        }
        int i = 0;
        while (i < id.length()) {
            char c = id.charAt(i);
            if (c == '$') {
                int consumed = escape(out, id, i);
                if (consumed == 0) {
                    out.append(id, i, id.length()); // not an escape: the rest as it is
                    return;
                }
                i += consumed;
            } else if (c == '.' && id.startsWith("..", i)) {
                out.append("::");
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
    }

    /** Appends the escape at i and returns its length, or 0 if it is none. */
    private static int escape(StringBuilder out, String id, int i) {
        int rest = id.length() - i;
        if (rest > 2 && id.charAt(i + 1) == 'C' && id.charAt(i + 2) == '$') {
            out.append(',');
            return 3;
        }
        if (rest > 4 && id.charAt(i + 1) == 'u' && id.charAt(i + 4) == '$') {
            int hi = hexDigit(id.charAt(i + 2));
            int lo = hexDigit(id.charAt(i + 3));
            int v = hi << 4 | lo;
            if (hi < 0 || lo < 0 || hi > 7 || v < ' ') {
                return 0;
            }
            out.append((char) v);
            return 5;
        }
        if (rest > 3 && id.charAt(i + 3) == '$') {
            char c = switch (id.substring(i + 1, i + 3)) {
                case "SP" -> '@';
                case "BP" -> '*';
                case "RF" -> '&';
                case "LT" -> '<';
                case "GT" -> '>';
                case "LP" -> '(';
                case "RP" -> ')';
                default -> 0;
            };
            if (c == 0) {
                return 0;
            }
            out.append(c);
            return 4;
        }
        return 0;
    }

    static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
