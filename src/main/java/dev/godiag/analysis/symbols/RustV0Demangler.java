package dev.godiag.analysis.symbols;

import java.nio.charset.StandardCharsets;

/**
 * Rust's v0 mangling ("_R" symbols), printed without generic arguments (their brackets stay,
 * empty: "drop_in_place::&lt;&gt;") as pprof prints them. The symbol is a string of bytes (one char
 * per byte); so is the result.
 */
final class RustV0Demangler {
    /** Back references may chain; a symbol that makes the demangler work this much is refused. */
    private static final int MAX_STEPS = 1 << 20;
    private static final int MAX_DEPTH = 500;

    private final String symbol;
    private int pos;
    private int end;
    private final StringBuilder out = new StringBuilder();
    private boolean skip;
    private long lifetimes;
    private char last;
    private int steps;
    private int depth;

    private RustV0Demangler(String symbol) {
        this.symbol = symbol;
        this.end = symbol.length();
    }

    static String demangle(String symbol) {
        int dot = symbol.indexOf('.');
        String body = (dot >= 0 ? symbol.substring(0, dot) : symbol).substring(2);
        RustV0Demangler d = new RustV0Demangler(body);
        d.symbolName();
        if (d.pos < d.end) {
            throw new DemangleException("unparsed characters at end of mangled name");
        }
        return d.out.toString();
    }

    private DemangleException fail(String why) {
        return new DemangleException(why + " at " + pos);
    }

    private boolean more() {
        return pos < end;
    }

    private char peek() {
        return symbol.charAt(pos);
    }

    private boolean at(char c) {
        return pos < end && symbol.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!at(c)) {
            throw fail("expected " + c);
        }
        pos++;
    }

    private void write(char c) {
        if (!skip) {
            last = c;
            out.append(c);
        }
    }

    private void write(String s) {
        if (!skip && !s.isEmpty()) {
            last = s.charAt(s.length() - 1);
            out.append(s);
        }
    }

    private void enter() {
        if (++steps > MAX_STEPS || ++depth > MAX_DEPTH) {
            throw fail("symbol too complex");
        }
    }

    /** {@code <symbol-name> = <path> [<instantiating-crate>]}, after "_R". */
    private void symbolName() {
        if (!more()) {
            throw fail("expected symbol-name");
        }
        if (peek() >= '0' && peek() <= '9') {
            throw fail("unsupported Rust encoding version");
        }
        path(true);
        if (more()) {
            skip = true; // the instantiating crate is not shown
            path(false);
        }
    }

    /** needsSeparator: write "::" before generic arguments (not inside a type). */
    private void path(boolean needsSeparator) {
        enter();
        if (!more()) {
            throw fail("expected path");
        }
        char c = peek();
        switch (c) {
            case 'C' -> {
                pos++;
                identifier();
                write(lastIdentifier);
            }
            case 'M', 'X' -> {
                pos++;
                implPath();
                write('<');
                type();
                if (c == 'X') {
                    write(" as ");
                    path(false);
                }
                write('>');
            }
            case 'Y' -> {
                pos++;
                write('<');
                type();
                write(" as ");
                path(false);
                write('>');
            }
            case 'N' -> {
                pos++;
                if (!more()) {
                    throw fail("expected namespace");
                }
                char ns = peek();
                if (!(ns >= 'a' && ns <= 'z' || ns >= 'A' && ns <= 'Z')) {
                    throw fail("invalid namespace character");
                }
                pos++;
                path(needsSeparator);
                long dis = identifier();
                String ident = lastIdentifier;
                if (ns >= 'A' && ns <= 'Z') {
                    write("::{");
                    write(ns == 'C' ? "closure" : ns == 'S' ? "shim" : String.valueOf(ns));
                    if (!ident.isEmpty()) {
                        write(':');
                        write(ident);
                    }
                    if (!skip) {
                        out.append('#').append(dis).append('}');
                        last = '}';
                    }
                } else {
                    write("::");
                    write(ident);
                }
            }
            case 'I' -> {
                pos++;
                path(needsSeparator);
                if (needsSeparator) {
                    write("::");
                }
                write('<');
                genericArgs();
                write('>');
                expect('E');
            }
            case 'B' -> backref(() -> path(needsSeparator));
            default -> throw fail("unrecognized letter in path");
        }
        depth--;
    }

    /** {@code <impl-path> = [<disambiguator>] <path>}: not part of the demangled string. */
    private void implPath() {
        boolean hold = skip;
        skip = true;
        disambiguator();
        path(false);
        skip = hold;
    }

    private String lastIdentifier = "";

    /** {@code <identifier>}: returns the disambiguator; the identifier is left in lastIdentifier. */
    private long identifier() {
        long dis = disambiguator();
        lastIdentifier = undisambiguatedIdentifier(false);
        return dis;
    }

    private long disambiguator() {
        if (!at('s')) {
            return 0;
        }
        pos++;
        return base62() + 1;
    }

    /** {@code ["u"] <decimal-number> ["_"] <bytes>}; punycode is refused where abiString says so. */
    private String undisambiguatedIdentifier(boolean abiString) {
        boolean punycode = false;
        if (at('u')) {
            pos++;
            punycode = true;
        }
        int len = decimal();
        if (at('_')) {
            pos++;
        }
        if (end - pos < len) {
            throw fail("not enough characters for identifier");
        }
        String id = symbol.substring(pos, pos + len);
        pos += len;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_')) {
                throw fail("invalid character in identifier");
            }
        }
        if (punycode) {
            if (abiString) {
                throw fail("punycode used in ABI string");
            }
            // the code points come back as UTF-8 bytes, one char each, like the rest
            return new String(Punycode.decode(id, this::fail).getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1);
        }
        return id;
    }

    private void genericArgs() {
        boolean hold = skip;
        skip = true; // pprof's default leaves generic arguments out
        boolean first = true;
        while (more() && peek() != 'E') {
            if (!first) {
                write(", ");
            }
            first = false;
            genericArg();
        }
        skip = hold;
    }

    private void genericArg() {
        if (!more()) {
            throw fail("expected generic-arg");
        }
        if (peek() == 'L') {
            pos++;
            writeLifetime(base62());
        } else if (peek() == 'K') {
            pos++;
            constant();
        } else {
            type();
        }
    }

    private void binder() {
        if (!at('G')) {
            return;
        }
        pos++;
        long bound = base62() + 1;
        if (bound >= (end - pos) - lifetimes) {
            throw fail("binder lifetimes overflow");
        }
        write("for<");
        for (long i = 0; i < bound; i++) {
            if (i > 0) {
                write(", ");
            }
            lifetimes++;
            writeLifetime(1);
        }
        write("> ");
    }

    private void type() {
        enter();
        if (!more()) {
            throw fail("expected type");
        }
        char c = peek();
        if (c >= 'a' && c <= 'z') {
            basicType();
            depth--;
            return;
        }
        switch (c) {
            case 'C', 'M', 'X', 'Y', 'N', 'I' -> path(false);
            case 'A', 'S' -> {
                pos++;
                write('[');
                type();
                if (c == 'A') {
                    write("; ");
                    constant();
                }
                write(']');
            }
            case 'T' -> {
                pos++;
                write('(');
                int n = 0;
                while (more() && peek() != 'E') {
                    if (n > 0) {
                        write(", ");
                    }
                    n++;
                    type();
                }
                if (n == 1) {
                    write(',');
                }
                write(')');
                expect('E');
            }
            case 'R', 'Q' -> {
                pos++;
                write('&');
                if (at('L')) {
                    pos++;
                    long lifetime = base62();
                    if (lifetime > 0) {
                        writeLifetime(lifetime);
                        write(' ');
                    }
                }
                if (c == 'Q') {
                    write("mut ");
                }
                type();
            }
            case 'P' -> {
                pos++;
                write("*const ");
                type();
            }
            case 'O' -> {
                pos++;
                write("*mut ");
                type();
            }
            case 'F' -> {
                pos++;
                long hold = lifetimes;
                fnSig();
                lifetimes = hold;
            }
            case 'D' -> {
                pos++;
                long hold = lifetimes;
                dynBounds();
                lifetimes = hold;
                if (!at('L')) {
                    throw fail("expected L");
                }
                pos++;
                long lifetime = base62();
                if (lifetime > 0) {
                    if (last != ' ') {
                        write(' ');
                    }
                    write("+ ");
                    writeLifetime(lifetime);
                }
            }
            case 'B' -> backref(this::type);
            default -> throw fail("unrecognized character in type");
        }
        depth--;
    }

    private void basicType() {
        String t = switch (peek()) {
            case 'a' -> "i8";
            case 'b' -> "bool";
            case 'c' -> "char";
            case 'd' -> "f64";
            case 'e' -> "str";
            case 'f' -> "f32";
            case 'h' -> "u8";
            case 'i' -> "isize";
            case 'j' -> "usize";
            case 'l' -> "i32";
            case 'm' -> "u32";
            case 'n' -> "i128";
            case 'o' -> "u128";
            case 'p' -> "_";
            case 's' -> "i16";
            case 't' -> "u16";
            case 'u' -> "()";
            case 'v' -> "...";
            case 'x' -> "i64";
            case 'y' -> "u64";
            case 'z' -> "!";
            default -> throw fail("unrecognized basic type character");
        };
        pos++;
        write(t);
    }

    private void fnSig() {
        binder();
        if (at('U')) {
            pos++;
            write("unsafe ");
        }
        if (at('K')) {
            pos++;
            if (at('C')) {
                pos++;
                write("extern \"C\" ");
            } else {
                write("extern \"");
                write(undisambiguatedIdentifier(true).replace('_', '-'));
                write("\" ");
            }
        }
        write("fn(");
        boolean first = true;
        while (more() && peek() != 'E') {
            if (!first) {
                write(", ");
            }
            first = false;
            type();
        }
        expect('E');
        write(')');
        if (at('u')) {
            pos++;
        } else {
            write(" -> ");
            type();
        }
    }

    private void dynBounds() {
        write("dyn ");
        binder();
        boolean first = true;
        while (more() && peek() != 'E') {
            if (!first) {
                write(" + ");
            }
            first = false;
            dynTrait();
        }
        expect('E');
    }

    private void dynTrait() {
        boolean started = pathStartGenerics();
        while (at('p')) {
            pos++;
            if (started) {
                write(", ");
            } else {
                write('<');
                started = true;
            }
            write(undisambiguatedIdentifier(false));
            write(" = ");
            type();
        }
        if (started) {
            write('>');
        }
    }

    private boolean startedGenerics;

    /** A path whose generic arguments, if it has any, are left open for associated bindings. */
    private boolean pathStartGenerics() {
        enter();
        if (!more()) {
            throw fail("expected path");
        }
        boolean started;
        switch (peek()) {
            case 'I' -> {
                pos++;
                path(false);
                write('<');
                genericArgs();
                expect('E');
                started = true;
            }
            case 'B' -> {
                startedGenerics = false;
                backref(() -> startedGenerics = pathStartGenerics());
                started = startedGenerics;
            }
            default -> {
                path(false);
                started = false;
            }
        }
        depth--;
        return started;
    }

    private void writeLifetime(long lifetime) {
        write('\'');
        if (lifetime == 0) {
            write('_');
            return;
        }
        long d = lifetimes - lifetime;
        if (d < 0) {
            throw fail("invalid lifetime");
        } else if (d < 26) {
            write((char) ('a' + d));
        } else {
            write('z');
            if (!skip) {
                out.append(d - 26 + 1);
                last = '0';
            }
        }
    }

    private void constant() {
        enter();
        if (!more()) {
            throw fail("expected constant");
        }
        char t = peek();
        if (t == 'B') {
            backref(this::constant);
            depth--;
            return;
        }
        if (t == 'p') {
            pos++;
            write('_');
            depth--;
            return;
        }
        int kind = switch (t) {
            case 'a', 's', 'l', 'x', 'n', 'i' -> 1; // signed
            case 'h', 't', 'm', 'y', 'o', 'j' -> 2; // unsigned
            case 'b' -> 3;
            case 'c' -> 4;
            default -> throw fail("unrecognized constant type");
        };
        pos++;
        if (kind == 1 && at('n')) {
            pos++;
            write('-');
        }
        int start = pos;
        int digits = 0;
        long value = 0;
        while (more()) {
            char c = peek();
            int digit;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else if (c == '_') {
                pos++;
                break;
            } else {
                throw fail("expected hex digit or _");
            }
            pos++;
            if (value == 0 && digit == 0 && !at('_')) {
                throw fail("invalid leading 0 in constant");
            }
            value = value * 16 + digit;
            digits++;
        }
        if (digits == 0) {
            throw fail("expected constant");
        }
        switch (kind) {
            case 1, 2 -> {
                if (digits > 16) {
                    write("0x");
                    write(symbol.substring(start, start + digits));
                } else if (!skip) {
                    out.append(Long.toUnsignedString(value));
                    last = '0';
                }
            }
            case 3 -> {
                if (digits > 1 || value > 1) {
                    throw fail("invalid boolean value");
                }
                write(value == 0 ? "false" : "true");
            }
            default -> {
                if (digits > 6) {
                    throw fail("character value too large");
                }
                write('\'');
                switch ((int) value) {
                    case '\t' -> write("\\t");
                    case '\r' -> write("\\r");
                    case '\n' -> write("\\n");
                    case '\\' -> write("\\\\");
                    case '\'' -> write("\\'");
                    default -> {
                        if (value >= ' ' && value <= '~') {
                            write((char) value);
                        } else if (!skip) {
                            out.append("\\u{").append(Long.toHexString(value)).append('}');
                            last = '}';
                        }
                    }
                }
                write('\'');
            }
        }
        depth--;
    }

    private long base62() {
        if (at('_')) {
            pos++;
            return 0;
        }
        long v = 0;
        while (more()) {
            char c = peek();
            pos++;
            if (c == '_') {
                return v + 1;
            }
            v *= 62;
            if (c >= '0' && c <= '9') {
                v += c - '0';
            } else if (c >= 'a' && c <= 'z') {
                v += c - 'a' + 10;
            } else if (c >= 'A' && c <= 'Z') {
                v += c - 'A' + 36;
            } else {
                throw fail("invalid digit in base 62 number");
            }
        }
        throw fail("expected _ after base 62 number");
    }

    /** {@code "B" <base-62-number>}: the text at that offset, parsed again (not at all while skipping). */
    private void backref(Runnable parse) {
        int backoff = pos;
        expect('B');
        long idx = base62();
        if (skip) {
            return;
        }
        if (idx < 0 || idx >= backoff) {
            throw fail("invalid backref index");
        }
        int holdPos = pos;
        int holdEnd = end;
        pos = (int) idx;
        end = backoff;
        parse.run();
        pos = holdPos;
        end = holdEnd;
    }

    private int decimal() {
        if (!more()) {
            throw fail("expected number");
        }
        int v = 0;
        while (more() && peek() >= '0' && peek() <= '9') {
            int add = peek() - '0';
            if (v >= Integer.MAX_VALUE / 10 - add) {
                throw fail("decimal number overflow");
            }
            v = v * 10 + add;
            pos++;
        }
        return v;
    }
}
