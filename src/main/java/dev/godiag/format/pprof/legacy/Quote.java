package dev.godiag.format.pprof.legacy;

/** Input echoed in error messages, kept short and on one line. */
final class Quote {
    private Quote() {
    }

    static String of(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    /** At most 60 characters, control characters escaped. */
    static String abbreviate(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
