package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.GoFile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's lexer over a file's UTF-8 bytes, as the Go spec defines tokens: one token per
 * {@link #next()}, with automatic semicolons, comments collected on the side and the errors
 * go/scanner reports (illegal characters and encodings, malformed literals) thrown as
 * {@link GoSyntaxException}.
 */
final class GoScanner {
    // token kinds; literals and keywords as go/token orders them, so ranges can be tested
    static final int EOF = 0;
    static final int IDENT = 1;
    static final int INT = 2;
    static final int FLOAT = 3;
    static final int IMAG = 4;
    static final int CHAR = 5;
    static final int STRING = 6;
    static final int ADD = 7;        // +
    static final int SUB = 8;        // -
    static final int MUL = 9;        // *
    static final int QUO = 10;       // /
    static final int REM = 11;       // %
    static final int AND = 12;       // &
    static final int OR = 13;        // |
    static final int XOR = 14;       // ^
    static final int SHL = 15;       // <<
    static final int SHR = 16;       // >>
    static final int AND_NOT = 17;   // &^
    static final int ADD_ASSIGN = 18;
    static final int SUB_ASSIGN = 19;
    static final int MUL_ASSIGN = 20;
    static final int QUO_ASSIGN = 21;
    static final int REM_ASSIGN = 22;
    static final int AND_ASSIGN = 23;
    static final int OR_ASSIGN = 24;
    static final int XOR_ASSIGN = 25;
    static final int SHL_ASSIGN = 26;
    static final int SHR_ASSIGN = 27;
    static final int AND_NOT_ASSIGN = 28;
    static final int LAND = 29;      // &&
    static final int LOR = 30;       // ||
    static final int ARROW = 31;     // <-
    static final int INC = 32;
    static final int DEC = 33;
    static final int EQL = 34;
    static final int LSS = 35;
    static final int GTR = 36;
    static final int ASSIGN = 37;
    static final int NOT = 38;
    static final int NEQ = 39;
    static final int LEQ = 40;
    static final int GEQ = 41;
    static final int DEFINE = 42;
    static final int ELLIPSIS = 43;
    static final int LPAREN = 44;
    static final int LBRACK = 45;
    static final int LBRACE = 46;
    static final int COMMA = 47;
    static final int PERIOD = 48;
    static final int RPAREN = 49;
    static final int RBRACK = 50;
    static final int RBRACE = 51;
    static final int SEMICOLON = 52;
    static final int COLON = 53;
    static final int TILDE = 54;
    static final int BREAK = 55;
    static final int CASE = 56;
    static final int CHAN = 57;
    static final int CONST = 58;
    static final int CONTINUE = 59;
    static final int DEFAULT = 60;
    static final int DEFER = 61;
    static final int ELSE = 62;
    static final int FALLTHROUGH = 63;
    static final int FOR = 64;
    static final int FUNC = 65;
    static final int GO = 66;
    static final int GOTO = 67;
    static final int IF = 68;
    static final int IMPORT = 69;
    static final int INTERFACE = 70;
    static final int MAP = 71;
    static final int PACKAGE = 72;
    static final int RANGE = 73;
    static final int RETURN = 74;
    static final int SELECT = 75;
    static final int STRUCT = 76;
    static final int SWITCH = 77;
    static final int TYPE = 78;
    static final int VAR = 79;

    /** Each token's spelling, for operators and error messages. */
    static final String[] TEXT = {
            "EOF", "IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING",
            "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^",
            "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^=",
            "&&", "||", "<-", "++", "--", "==", "<", ">", "=", "!", "!=", "<=", ">=", ":=", "...",
            "(", "[", "{", ",", ".", ")", "]", "}", ";", ":", "~",
            "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
            "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return",
            "select", "struct", "switch", "type", "var"};

    private final String path;
    private final byte[] src;
    private final int[] lineStarts;
    private final List<GoFile.Comment> comments = new ArrayList<>();

    private int offset;
    private boolean insertSemi;
    /** The length in bytes of the code point {@link #decode} returned last. */
    private int decodedLength;
    /** While scanning a number: the offset of its first digit too large for its base, or -1. */
    private int invalidDigit;

    /** The current token: its kind, first byte, end (exclusive) and, for names and literals, text. */
    int tok;
    int pos;
    int end;
    String lit;
    /** For a SEMICOLON: true when inserted at a newline or end of file, not written. */
    boolean implicitSemi;

    GoScanner(String path, byte[] src) {
        this.path = path;
        this.src = src;
        this.lineStarts = lineStarts(src);
        if (src.length >= 3 && (src[0] & 0xff) == 0xEF && (src[1] & 0xff) == 0xBB && (src[2] & 0xff) == 0xBF) {
            offset = 3;
        }
    }

    /** The start of each line; as in go/token, a final newline starts no line (the end of file is on the last one). */
    private static int[] lineStarts(byte[] src) {
        int n = 1;
        for (int i = 0; i < src.length - 1; i++) {
            if (src[i] == '\n') {
                n++;
            }
        }
        int[] starts = new int[n];
        int k = 1;
        for (int i = 0; i < src.length - 1; i++) {
            if (src[i] == '\n') {
                starts[k++] = i + 1;
            }
        }
        return starts;
    }

    int[] lineStarts() {
        return lineStarts;
    }

    List<GoFile.Comment> comments() {
        return comments;
    }

    String path() {
        return path;
    }

    GoSyntaxException error(int at, String problem) {
        int i = Arrays.binarySearch(lineStarts, at);
        int line = i >= 0 ? i + 1 : -i - 1;
        return new GoSyntaxException(path, line, at - lineStarts[line - 1] + 1, problem);
    }

    /** Advances to the next token. */
    void next() {
        lit = null;
        implicitSemi = false;
        byte[] s = src;
        int n = s.length;
        while (true) {
            int p = offset;
            while (p < n) {
                byte b = s[p];
                if (b == ' ' || b == '\t' || b == '\r' || (b == '\n' && !insertSemi)) {
                    p++;
                } else {
                    break;
                }
            }
            offset = p;
            if (p >= n) {
                if (insertSemi) {
                    insertSemi = false;
                    semicolon(n);
                    return;
                }
                tok = EOF;
                pos = n;
                end = n;
                return;
            }
            int c = s[p] & 0xff;
            pos = p;
            if (c == '\n') {
                insertSemi = false;
                offset = p + 1;
                semicolon(p);
                return;
            }
            if (c == '/' && p + 1 < n && (s[p + 1] == '/' || s[p + 1] == '*')) {
                int newline = comment(p);
                if (insertSemi && newline >= 0) {
                    insertSemi = false;
                    semicolon(newline);
                    return;
                }
                continue;
            }
            token(c, p);
            return;
        }
    }

    private void semicolon(int at) {
        tok = SEMICOLON;
        pos = at;
        end = at + 1;
        implicitSemi = true;
    }

    /**
     * Scans the comment at p, records it, and returns the offset of a newline it holds (the first
     * one of a block comment; none for a line comment, whose newline is scanned next), else -1.
     */
    private int comment(int p) {
        byte[] s = src;
        int n = s.length;
        int q = p + 2;
        int newline = -1;
        if (s[p + 1] == '/') {
            while (q < n && s[q] != '\n') {
                q = checkedChar(q);
            }
        } else {
            while (true) {
                if (q >= n) {
                    throw error(p, "comment not terminated");
                }
                byte b = s[q];
                if (b == '*' && q + 1 < n && s[q + 1] == '/') {
                    q += 2;
                    break;
                }
                if (b == '\n' && newline < 0) {
                    newline = q;
                }
                q = checkedChar(q);
            }
        }
        comments.add(new GoFile.Comment(p, new String(s, p, q - p, StandardCharsets.UTF_8)));
        offset = q;
        return newline;
    }

    /** Checks the character at q as go/scanner does for every character, and returns the next offset. */
    private int checkedChar(int q) {
        int b = src[q];
        if (b > 0) {
            return q + 1;
        }
        if (b == 0) {
            throw error(q, "illegal character NUL");
        }
        int cp = decode(q);
        if (cp == 0xFEFF) {
            throw error(q, "illegal byte order mark");
        }
        return q + decodedLength;
    }

    /** The code point at q (a non-ASCII lead byte), its length in decodedLength; invalid UTF-8 throws. */
    private int decode(int q) {
        byte[] s = src;
        int b0 = s[q] & 0xff;
        int need;
        int cp;
        int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            cp = b0 & 0x1F;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            cp = b0 & 0x0F;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            throw error(q, "illegal UTF-8 encoding");
        }
        if (q + need >= s.length) {
            throw error(q, "illegal UTF-8 encoding");
        }
        for (int i = 1; i <= need; i++) {
            int b = s[q + i] & 0xff;
            if ((b & 0xC0) != 0x80) {
                throw error(q, "illegal UTF-8 encoding");
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw error(q, "illegal UTF-8 encoding");
        }
        decodedLength = need + 1;
        return cp;
    }

    private void token(int c, int p) {
        byte[] s = src;
        int n = s.length;
        boolean semi = false;
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80) {
            int q = identifierEnd(p);
            end = q;
            offset = q;
            tok = q - p > 1 ? keyword(p, q - p) : IDENT;
            if (tok == IDENT) {
                lit = new String(s, p, q - p, StandardCharsets.UTF_8);
                semi = true;
            } else {
                semi = tok == BREAK || tok == CONTINUE || tok == FALLTHROUGH || tok == RETURN;
            }
            insertSemi = semi;
            return;
        }
        if (c >= '0' && c <= '9' || c == '.' && p + 1 < n && s[p + 1] >= '0' && s[p + 1] <= '9') {
            number(p);
            insertSemi = true;
            return;
        }
        int q = p + 1;
        int b1 = q < n ? s[q] : -1;
        int b2 = q + 1 < n ? s[q + 1] : -1;
        int t;
        int len = 1;
        switch (c) {
            case '"' -> {
                string(p);
                insertSemi = true;
                return;
            }
            case '`' -> {
                rawString(p);
                insertSemi = true;
                return;
            }
            case '\'' -> {
                rune(p);
                insertSemi = true;
                return;
            }
            case ':' -> {
                if (b1 == '=') {
                    t = DEFINE;
                    len = 2;
                } else {
                    t = COLON;
                }
            }
            case '.' -> {
                if (b1 == '.' && b2 == '.') {
                    t = ELLIPSIS;
                    len = 3;
                } else {
                    t = PERIOD;
                }
            }
            case ',' -> t = COMMA;
            case ';' -> t = SEMICOLON;
            case '(' -> t = LPAREN;
            case ')' -> {
                t = RPAREN;
                semi = true;
            }
            case '[' -> t = LBRACK;
            case ']' -> {
                t = RBRACK;
                semi = true;
            }
            case '{' -> t = LBRACE;
            case '}' -> {
                t = RBRACE;
                semi = true;
            }
            case '~' -> t = TILDE;
            case '+' -> {
                if (b1 == '+') {
                    t = INC;
                    len = 2;
                    semi = true;
                } else if (b1 == '=') {
                    t = ADD_ASSIGN;
                    len = 2;
                } else {
                    t = ADD;
                }
            }
            case '-' -> {
                if (b1 == '-') {
                    t = DEC;
                    len = 2;
                    semi = true;
                } else if (b1 == '=') {
                    t = SUB_ASSIGN;
                    len = 2;
                } else {
                    t = SUB;
                }
            }
            case '*' -> {
                t = b1 == '=' ? MUL_ASSIGN : MUL;
                len = b1 == '=' ? 2 : 1;
            }
            case '/' -> {
                t = b1 == '=' ? QUO_ASSIGN : QUO;
                len = b1 == '=' ? 2 : 1;
            }
            case '%' -> {
                t = b1 == '=' ? REM_ASSIGN : REM;
                len = b1 == '=' ? 2 : 1;
            }
            case '^' -> {
                t = b1 == '=' ? XOR_ASSIGN : XOR;
                len = b1 == '=' ? 2 : 1;
            }
            case '=' -> {
                t = b1 == '=' ? EQL : ASSIGN;
                len = b1 == '=' ? 2 : 1;
            }
            case '!' -> {
                t = b1 == '=' ? NEQ : NOT;
                len = b1 == '=' ? 2 : 1;
            }
            case '<' -> {
                if (b1 == '-') {
                    t = ARROW;
                    len = 2;
                } else if (b1 == '<') {
                    t = b2 == '=' ? SHL_ASSIGN : SHL;
                    len = b2 == '=' ? 3 : 2;
                } else if (b1 == '=') {
                    t = LEQ;
                    len = 2;
                } else {
                    t = LSS;
                }
            }
            case '>' -> {
                if (b1 == '>') {
                    t = b2 == '=' ? SHR_ASSIGN : SHR;
                    len = b2 == '=' ? 3 : 2;
                } else if (b1 == '=') {
                    t = GEQ;
                    len = 2;
                } else {
                    t = GTR;
                }
            }
            case '&' -> {
                if (b1 == '^') {
                    t = b2 == '=' ? AND_NOT_ASSIGN : AND_NOT;
                    len = b2 == '=' ? 3 : 2;
                } else if (b1 == '&') {
                    t = LAND;
                    len = 2;
                } else if (b1 == '=') {
                    t = AND_ASSIGN;
                    len = 2;
                } else {
                    t = AND;
                }
            }
            case '|' -> {
                if (b1 == '|') {
                    t = LOR;
                    len = 2;
                } else if (b1 == '=') {
                    t = OR_ASSIGN;
                    len = 2;
                } else {
                    t = OR;
                }
            }
            default -> throw error(p, c == 0 ? "illegal character NUL"
                    : String.format("illegal character U+%04X '%c'", c, (char) c));
        }
        tok = t;
        end = p + len;
        offset = end;
        insertSemi = semi;
    }

    /** The end of the identifier starting at p; a non-letter start is an illegal character. */
    private int identifierEnd(int p) {
        byte[] s = src;
        int n = s.length;
        int q = p;
        while (q < n) {
            int b = s[q];
            if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b >= '0' && b <= '9') {
                q++;
            } else if (b < 0) {
                int cp = decode(q);
                boolean ok = Character.isLetter(cp) || q > p && Character.isDigit(cp);
                if (!ok) {
                    if (q == p) {
                        throw error(q, cp == 0xFEFF ? "illegal byte order mark"
                                : String.format("illegal character U+%04X '%s'", cp, Character.toString(cp)));
                    }
                    break;
                }
                q += decodedLength;
            } else {
                break;
            }
        }
        return q;
    }

    private int keyword(int p, int len) {
        byte[] s = src;
        int c = s[p];
        if (c < 'b' || c > 'v') {
            return IDENT;
        }
        return switch (len) {
            case 2 -> is(p, "go") ? GO : is(p, "if") ? IF : IDENT;
            case 3 -> is(p, "for") ? FOR : is(p, "map") ? MAP : is(p, "var") ? VAR : IDENT;
            case 4 -> is(p, "case") ? CASE : is(p, "chan") ? CHAN : is(p, "else") ? ELSE
                    : is(p, "func") ? FUNC : is(p, "goto") ? GOTO : is(p, "type") ? TYPE : IDENT;
            case 5 -> is(p, "break") ? BREAK : is(p, "const") ? CONST : is(p, "defer") ? DEFER
                    : is(p, "range") ? RANGE : IDENT;
            case 6 -> is(p, "import") ? IMPORT : is(p, "return") ? RETURN : is(p, "select") ? SELECT
                    : is(p, "struct") ? STRUCT : is(p, "switch") ? SWITCH : IDENT;
            case 7 -> is(p, "default") ? DEFAULT : is(p, "package") ? PACKAGE : IDENT;
            case 8 -> is(p, "continue") ? CONTINUE : IDENT;
            case 9 -> is(p, "interface") ? INTERFACE : IDENT;
            case 11 -> is(p, "fallthrough") ? FALLTHROUGH : IDENT;
            default -> IDENT;
        };
    }

    private boolean is(int p, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (src[p + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // numbers, as go/scanner checks them

    private void number(int p) {
        byte[] s = src;
        int q = p;
        int base = 10;
        char prefix = 0;
        int digsep = 0;
        invalidDigit = -1;
        int t = INT;
        if (s[q] != '.') {
            if (s[q] == '0') {
                q++;
                int l = lower(at(q));
                if (l == 'x') {
                    q++;
                    base = 16;
                    prefix = 'x';
                } else if (l == 'o') {
                    q++;
                    base = 8;
                    prefix = 'o';
                } else if (l == 'b') {
                    q++;
                    base = 2;
                    prefix = 'b';
                } else {
                    base = 8;
                    prefix = '0';
                    digsep = 1;
                }
            }
            long r = digits(q, base);
            q = (int) r;
            digsep |= (int) (r >>> 32);
        }
        if (at(q) == '.') {
            t = FLOAT;
            if (prefix == 'o' || prefix == 'b') {
                throw error(q, "invalid radix point in " + litName(prefix));
            }
            q++;
            long r = digits(q, base);
            q = (int) r;
            digsep |= (int) (r >>> 32);
        }
        if ((digsep & 1) == 0) {
            throw error(q, litName(prefix) + " has no digits");
        }
        int e = lower(at(q));
        if (e == 'e' || e == 'p') {
            if (e == 'e' && prefix != 0 && prefix != '0') {
                throw error(q, "'" + (char) at(q) + "' exponent requires decimal mantissa");
            }
            if (e == 'p' && prefix != 'x') {
                throw error(q, "'" + (char) at(q) + "' exponent requires hexadecimal mantissa");
            }
            q++;
            t = FLOAT;
            if (at(q) == '+' || at(q) == '-') {
                q++;
            }
            long r = digits(q, 10);
            q = (int) r;
            int ds = (int) (r >>> 32);
            digsep |= ds;
            if ((ds & 1) == 0) {
                throw error(q, "exponent has no digits");
            }
        } else if (prefix == 'x' && t == FLOAT) {
            throw error(q, "hexadecimal mantissa requires a 'p' exponent");
        }
        if (at(q) == 'i') {
            t = IMAG;
            q++;
        }
        if (t == INT && invalidDigit >= 0) {
            throw error(invalidDigit, "invalid digit '" + (char) s[invalidDigit] + "' in " + litName(prefix));
        }
        if ((digsep & 2) != 0) {
            int i = invalidSeparator(p, q);
            if (i >= 0) {
                throw error(i, "'_' must separate successive digits");
            }
        }
        tok = t;
        end = q;
        offset = q;
        lit = new String(s, p, q - p, StandardCharsets.ISO_8859_1);
    }

    private int at(int q) {
        return q < src.length ? src[q] : -1;
    }

    private static int lower(int c) {
        return c | 0x20;
    }

    /** Scans digits and '_' from q; returns the end in the low half and the digsep bits (1 digit, 2 '_') high. */
    private long digits(int q, int base) {
        int ds = 0;
        if (base <= 10) {
            int max = '0' + base;
            while (true) {
                int c = at(q);
                if (c >= '0' && c <= '9') {
                    ds |= 1;
                    if (c >= max && invalidDigit < 0) {
                        invalidDigit = q;
                    }
                } else if (c == '_') {
                    ds |= 2;
                } else {
                    break;
                }
                q++;
            }
        } else {
            while (true) {
                int c = at(q);
                if (c >= '0' && c <= '9' || lower(c) >= 'a' && lower(c) <= 'f') {
                    ds |= 1;
                } else if (c == '_') {
                    ds |= 2;
                } else {
                    break;
                }
                q++;
            }
        }
        return ((long) ds << 32) | q;
    }

    /** The offset of the first '_' that does not separate digits in src[p, q), or -1. */
    private int invalidSeparator(int p, int q) {
        byte[] s = src;
        int x1 = ' ';
        int d = '.';
        int i = p;
        if (q - p >= 2 && s[p] == '0') {
            x1 = lower(s[p + 1]);
            if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
                d = '0';
                i = p + 2;
            }
        }
        for (; i < q; i++) {
            int prev = d;
            d = s[i];
            if (d == '_') {
                if (prev != '0') {
                    return i;
                }
            } else if (d >= '0' && d <= '9' || x1 == 'x' && lower(d) >= 'a' && lower(d) <= 'f') {
                d = '0';
            } else {
                if (prev == '_') {
                    return i - 1;
                }
                d = '.';
            }
        }
        return d == '_' ? q - 1 : -1;
    }

    private static String litName(char prefix) {
        return switch (prefix) {
            case 'x' -> "hexadecimal literal";
            case 'o', '0' -> "octal literal";
            case 'b' -> "binary literal";
            default -> "decimal literal";
        };
    }

    // strings and runes

    private void string(int p) {
        byte[] s = src;
        int n = s.length;
        int q = p + 1;
        while (true) {
            if (q >= n || s[q] == '\n') {
                throw error(p, "string literal not terminated");
            }
            byte b = s[q];
            if (b == '"') {
                q++;
                break;
            }
            if (b == '\\') {
                q = escape(q + 1, '"');
            } else {
                q = checkedChar(q);
            }
        }
        literal(STRING, p, q);
    }

    private void rawString(int p) {
        byte[] s = src;
        int n = s.length;
        int q = p + 1;
        while (true) {
            if (q >= n) {
                throw error(p, "raw string literal not terminated");
            }
            if (s[q] == '`') {
                q++;
                break;
            }
            q = checkedChar(q);
        }
        literal(STRING, p, q);
    }

    private void rune(int p) {
        byte[] s = src;
        int n = s.length;
        int q = p + 1;
        int count = 0;
        while (true) {
            if (q >= n || s[q] == '\n') {
                throw error(p, "rune literal not terminated");
            }
            byte b = s[q];
            if (b == '\'') {
                q++;
                break;
            }
            count++;
            if (b == '\\') {
                q = escape(q + 1, '\'');
            } else {
                q = checkedChar(q);
            }
        }
        if (count != 1) {
            throw error(p, count == 0 ? "empty rune literal or unescaped ' in rune literal" : "illegal rune literal");
        }
        literal(CHAR, p, q);
    }

    private void literal(int kind, int p, int q) {
        tok = kind;
        end = q;
        offset = q;
        lit = new String(src, p, q - p, StandardCharsets.UTF_8);
    }

    /** Checks the escape after a backslash at q-1 and returns the offset after it. */
    private int escape(int q, int quote) {
        int c = at(q);
        int digits;
        int base;
        long max;
        switch (c) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
                return q + 1;
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                digits = 3;
                base = 8;
                max = 255;
            }
            case 'x' -> {
                q++;
                digits = 2;
                base = 16;
                max = 255;
            }
            case 'u' -> {
                q++;
                digits = 4;
                base = 16;
                max = 0x10FFFF;
            }
            case 'U' -> {
                q++;
                digits = 8;
                base = 16;
                max = 0x10FFFF;
            }
            default -> {
                if (c == quote) {
                    return q + 1;
                }
                if (c < 0 && q >= src.length) {
                    throw error(q - 1, "escape sequence not terminated");
                }
                throw error(q - 1, "unknown escape sequence");
            }
        }
        long value = 0;
        int start = q - (base == 8 ? 0 : 2);
        for (int i = 0; i < digits; i++) {
            int d = at(q);
            int v = d >= '0' && d <= '9' ? d - '0' : lower(d) >= 'a' && lower(d) <= 'f' ? lower(d) - 'a' + 10 : 99;
            if (v >= base) {
                throw error(q, d < 0 ? "escape sequence not terminated" : "illegal character in escape sequence");
            }
            value = value * base + v;
            q++;
        }
        if (value > max || base == 16 && digits >= 4 && value >= 0xD800 && value < 0xE000) {
            throw error(start, "escape sequence is invalid Unicode code point");
        }
        return q;
    }
}
