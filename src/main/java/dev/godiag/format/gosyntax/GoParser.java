package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.model.gosyntax.Stmt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.godiag.format.gosyntax.GoScanner.*;

/**
 * A recursive-descent parser of one Go source file into godiag's syntax tree, accepting what
 * go/parser accepts and building the tree go/parser builds (with go/ast's split nodes merged, see
 * the model). The first syntax error ends the parse with a {@link GoSyntaxException}; so does
 * nesting deeper than {@link #MAX_DEPTH}, which keeps the recursion within a default thread stack.
 * Chains (operators, selectors and calls, else-ifs) are read in loops and may be as long as the
 * file makes them: thousands of concatenated strings in a generated table are real Go.
 *
 * <p>One departure: a method must declare exactly one receiver, as the tree has room for one;
 * go/parser leaves {@code func () m()} and {@code func (a, b T) m()} to the type checker.
 */
public final class GoParser {
    /**
     * Deepest nesting of statements, expressions and types (go/parser allows 100,000). The
     * costliest nesting (for loops) overflows a default 1 MB stack near 1,800 levels even when
     * interpreted, so 1,000 leaves room for the caller.
     */
    static final int MAX_DEPTH = 1000;

    private final GoScanner scanner;
    private final byte[] src;
    private int tok;
    private int pos;
    private String lit;
    /** The end of the token before the current one: the end of what was just parsed. */
    private int lastEnd;
    /** < 0 in a control clause (a '{' ends the expression), >= 0 inside parentheses and brackets. */
    private int exprLev;
    private int depth;
    private final List<Decl.ImportSpec> imports = new ArrayList<>();
    /** The header of a range clause parseSimpleStmt just read (it returns null then). */
    private RangeHeader rangeHeader;

    private record RangeHeader(List<Expr> lhs, String op, Expr x) {
    }

    private record Param(Expr.Ident name, Expr type) {
    }

    private GoParser(String path, byte[] source) {
        this.scanner = new GoScanner(path, source);
        this.src = source;
    }

    /** Parses one file; {@code path} names it in the tree and in errors. */
    public static GoFile parse(String path, byte[] source) {
        return new GoParser(path, source).parseFile();
    }

    // tokens

    private void next() {
        lastEnd = scanner.end;
        scanner.next();
        tok = scanner.tok;
        pos = scanner.pos;
        lit = scanner.lit;
    }

    private GoSyntaxException error(int at, String problem) {
        return scanner.error(at, problem);
    }

    private GoSyntaxException errorExpected(int at, String what) {
        String msg = "expected " + what;
        if (at == pos) {
            if (tok == SEMICOLON && scanner.implicitSemi) {
                msg += ", found newline";
            } else if (tok >= IDENT && tok <= STRING) {
                msg += ", found " + lit;
            } else {
                msg += ", found '" + TEXT[tok] + "'";
            }
        }
        return error(at, msg);
    }

    private int expect(int t) {
        int p = pos;
        if (tok != t) {
            throw errorExpected(p, "'" + TEXT[t] + "'");
        }
        next();
        return p;
    }

    private int expectClosing(int t, String context) {
        if (tok != t && tok == SEMICOLON && scanner.implicitSemi) {
            throw error(pos, "missing ',' before newline in " + context);
        }
        return expect(t);
    }

    private void expectSemi() {
        switch (tok) {
            case RPAREN, RBRACE -> {
                // a semicolon may be left out before a closing ')' or '}'
            }
            case SEMICOLON -> next();
            default -> throw errorExpected(pos, "';'");
        }
    }

    private boolean atComma(String context, int follow) {
        if (tok == COMMA) {
            return true;
        }
        if (tok != follow) {
            String msg = "missing ','";
            if (tok == SEMICOLON && scanner.implicitSemi) {
                msg += " before newline";
            }
            throw error(pos, msg + " in " + context);
        }
        return false;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error(pos, "nesting too deep");
        }
    }

    // file and declarations

    private GoFile parseFile() {
        next();
        int packagePos = expect(PACKAGE);
        Expr.Ident name = parseIdent();
        expectSemi();
        List<Decl> decls = new ArrayList<>();
        while (tok == IMPORT) {
            decls.add(parseGenDecl(IMPORT));
        }
        int prev = IMPORT;
        while (tok != EOF) {
            if (tok == IMPORT && prev != IMPORT) {
                throw error(pos, "imports must appear before other declarations");
            }
            prev = tok;
            decls.add(parseDecl());
        }
        List<GoFile.Comment> comments = scanner.comments();
        return new GoFile(scanner.path(), name, imports, decls, comments, generated(comments, packagePos),
                scanner.lineStarts());
    }

    /** Go's rule: a line "// Code generated ... DO NOT EDIT." in a comment before the package clause. */
    private static boolean generated(List<GoFile.Comment> comments, int packagePos) {
        for (GoFile.Comment c : comments) {
            if (c.pos() > packagePos) {
                break;
            }
            String text = c.text();
            if (!text.contains("// Code generated ")) {
                continue;
            }
            for (String line : text.split("\n", -1)) {
                line = line.replace("\r", "");
                if (line.startsWith("// Code generated ") && line.endsWith(" DO NOT EDIT.")
                        && line.length() >= "// Code generated ".length() + " DO NOT EDIT.".length()) {
                    return true;
                }
            }
        }
        return false;
    }

    private Decl parseDecl() {
        return switch (tok) {
            case IMPORT, CONST, VAR, TYPE -> parseGenDecl(tok);
            case FUNC -> parseFuncDecl();
            default -> throw errorExpected(pos, "declaration");
        };
    }

    private Decl.GenDecl parseGenDecl(int keyword) {
        int p = expect(keyword);
        List<Decl.Spec> specs = new ArrayList<>();
        if (tok == LPAREN) {
            next();
            while (tok != RPAREN && tok != EOF) {
                specs.add(parseSpec(keyword));
            }
            expect(RPAREN);
            expectSemi();
        } else {
            specs.add(parseSpec(keyword));
        }
        return new Decl.GenDecl(p, TEXT[keyword], specs);
    }

    private Decl.Spec parseSpec(int keyword) {
        return switch (keyword) {
            case IMPORT -> parseImportSpec();
            case TYPE -> parseTypeSpec();
            default -> parseValueSpec(keyword);
        };
    }

    private Decl.ImportSpec parseImportSpec() {
        Expr.Ident name = null;
        if (tok == IDENT) {
            name = parseIdent();
        } else if (tok == PERIOD) {
            name = new Expr.Ident(pos, ".");
            next();
        }
        int pathPos = pos;
        String path;
        if (tok == STRING) {
            path = unquote(lit);
            next();
        } else if (tok >= INT && tok <= STRING) {
            throw error(pathPos, "import path must be a string");
        } else {
            throw error(pathPos, "missing import path");
        }
        expectSemi();
        Decl.ImportSpec spec = new Decl.ImportSpec(name != null ? name.pos() : pathPos, name, path);
        imports.add(spec);
        return spec;
    }

    private Decl.ValueSpec parseValueSpec(int keyword) {
        List<Expr.Ident> names = parseIdentList();
        Expr type = null;
        List<Expr> values = List.of();
        if (keyword == CONST) {
            if (tok != EOF && tok != SEMICOLON && tok != RPAREN) {
                type = tryIdentOrType();
                if (tok == ASSIGN) {
                    next();
                    values = parseList();
                }
            }
        } else {
            if (tok != ASSIGN) {
                type = parseType();
            }
            if (tok == ASSIGN) {
                next();
                values = parseList();
            }
        }
        expectSemi();
        return new Decl.ValueSpec(names.get(0).pos(), names, type, values);
    }

    private Decl.TypeSpec parseTypeSpec() {
        Expr.Ident name = parseIdent();
        Decl.TypeSpec spec;
        if (tok == LBRACK) {
            int lbrack = pos;
            next();
            if (tok == IDENT) {
                Expr x = parseIdent();
                if (tok != LBRACK) {
                    exprLev++;
                    Expr lhs = parsePrimaryExpr(x);
                    x = parseBinaryExpr(lhs, 1);
                    exprLev--;
                }
                Param named = extractName(x, tok == COMMA);
                if (named.name != null && (named.type != null || tok != RBRACK)) {
                    spec = parseGenericType(name, named.name, named.type);
                } else {
                    spec = new Decl.TypeSpec(name.pos(), name, List.of(), false, parseArrayType(lbrack, x));
                }
            } else {
                spec = new Decl.TypeSpec(name.pos(), name, List.of(), false, parseArrayType(lbrack, null));
            }
        } else {
            boolean alias = false;
            if (tok == ASSIGN) {
                alias = true;
                next();
            }
            spec = new Decl.TypeSpec(name.pos(), name, List.of(), alias, parseType());
        }
        expectSemi();
        return spec;
    }

    private Decl.TypeSpec parseGenericType(Expr.Ident name, Expr.Ident name0, Expr type0) {
        List<Field> params = parseParameterList(name0, type0, RBRACK, false);
        expect(RBRACK);
        boolean alias = false;
        if (tok == ASSIGN) {
            alias = true;
            next();
        }
        return new Decl.TypeSpec(name.pos(), name, params, alias, parseType());
    }

    /**
     * In {@code type T[x ...}, splits an expression that may be a type parameter with its
     * constraint ({@code P *C}, {@code P *C | D}, {@code P (C)}) into name and constraint; the
     * name is null when it is an array length.
     */
    private Param extractName(Expr x, boolean force) {
        enter();
        Param named = extractName0(x, force);
        depth--;
        return named;
    }

    private Param extractName0(Expr x, boolean force) {
        switch (x) {
            case Expr.Ident id -> {
                return new Param(id, null);
            }
            case Expr.Binary b when b.op().equals("*") -> {
                if (b.x() instanceof Expr.Ident name && (force || isTypeElem(b.y()))) {
                    return new Param(name, new Expr.Star(afterIdent(name), b.y()));
                }
            }
            case Expr.Binary b when b.op().equals("|") -> {
                Param inner = extractName(b.x(), force || isTypeElem(b.y()));
                if (inner.name != null && inner.type != null) {
                    return new Param(inner.name, new Expr.Binary(inner.type.pos(), inner.type, "|", b.y()));
                }
            }
            case Expr.Call c -> {
                if (c.fun() instanceof Expr.Ident name && c.args().size() == 1 && !c.ellipsis()
                        && (force || isTypeElem(c.args().get(0)))) {
                    return new Param(name, new Expr.Paren(afterIdent(name), c.args().get(0)));
                }
            }
            default -> {
            }
        }
        return new Param(null, x);
    }

    private boolean isTypeElem(Expr x) {
        enter();
        boolean typeElem = switch (x) {
            case Expr.ArrayType a -> true;
            case Expr.StructType s -> true;
            case Expr.FuncType f -> true;
            case Expr.InterfaceType i -> true;
            case Expr.MapType m -> true;
            case Expr.ChanType c -> true;
            case Expr.Binary b -> isTypeElem(b.x()) || isTypeElem(b.y());
            case Expr.Unary u -> u.op().equals("~");
            case Expr.Paren p -> isTypeElem(p.x());
            default -> false;
        };
        depth--;
        return typeElem;
    }

    /** The offset of the first token after the identifier (skipping blanks and comments). */
    private int afterIdent(Expr.Ident id) {
        return skipTrivia(id.pos() + id.name().getBytes(StandardCharsets.UTF_8).length);
    }

    private int skipTrivia(int q) {
        byte[] s = src;
        while (q < s.length) {
            byte b = s[q];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                q++;
            } else if (b == '/' && q + 1 < s.length && s[q + 1] == '/') {
                while (q < s.length && s[q] != '\n') {
                    q++;
                }
            } else if (b == '/' && q + 1 < s.length && s[q + 1] == '*') {
                q += 2;
                while (q + 1 < s.length && !(s[q] == '*' && s[q + 1] == '/')) {
                    q++;
                }
                q += 2;
            } else {
                break;
            }
        }
        return q;
    }

    private Decl.FuncDecl parseFuncDecl() {
        int p = expect(FUNC);
        Field receiver = null;
        if (tok == LPAREN) {
            int open = pos;
            List<Field> recv = parseParameters(false);
            if (recv.isEmpty()) {
                throw error(open, "method has no receiver");
            }
            if (recv.size() > 1 || recv.get(0).names().size() > 1) {
                throw error(open, "method has multiple receivers");
            }
            receiver = recv.get(0);
        }
        Expr.Ident name = parseIdent();
        List<Field> typeParams = List.of();
        if (tok == LBRACK) {
            typeParams = parseTypeParameters();
        }
        List<Field> params = parseParameters(false);
        List<Field> results = parseParameters(true);
        Stmt.Block body = null;
        switch (tok) {
            case LBRACE -> {
                body = parseBody();
                expectSemi();
            }
            case SEMICOLON -> {
                next();
                if (tok == LBRACE) {
                    throw error(pos, "unexpected semicolon or newline before {");
                }
            }
            default -> expectSemi();
        }
        return new Decl.FuncDecl(p, receiver, name, new Expr.FuncType(p, typeParams, params, results), body);
    }

    // identifiers and lists

    private Expr.Ident parseIdent() {
        if (tok != IDENT) {
            throw errorExpected(pos, "'IDENT'");
        }
        Expr.Ident id = new Expr.Ident(pos, lit);
        next();
        return id;
    }

    private List<Expr.Ident> parseIdentList() {
        List<Expr.Ident> list = new ArrayList<>(2);
        list.add(parseIdent());
        while (tok == COMMA) {
            next();
            list.add(parseIdent());
        }
        return list;
    }

    private List<Expr> parseList() {
        List<Expr> list = new ArrayList<>(2);
        list.add(parseExpr());
        while (tok == COMMA) {
            next();
            list.add(parseExpr());
        }
        return list;
    }

    // types

    private Expr parseType() {
        Expr t = tryIdentOrType();
        if (t == null) {
            throw errorExpected(pos, "type");
        }
        return t;
    }

    private Expr parseQualifiedIdent(Expr.Ident ident) {
        Expr t = parseTypeName(ident);
        if (tok == LBRACK) {
            t = parseTypeInstance(t);
        }
        return t;
    }

    private Expr parseTypeName(Expr.Ident ident) {
        if (ident == null) {
            ident = parseIdent();
        }
        if (tok == PERIOD) {
            next();
            return new Expr.Selector(ident.pos(), ident, parseIdent());
        }
        return ident;
    }

    private Expr.ArrayType parseArrayType(int lbrack, Expr len) {
        if (len == null) {
            exprLev++;
            if (tok == ELLIPSIS) {
                len = new Expr.Ellipsis(pos, null);
                next();
            } else if (tok != RBRACK) {
                len = parseExpr();
            }
            exprLev--;
        }
        if (tok == COMMA) {
            throw error(pos, "unexpected comma; expecting ]");
        }
        expect(RBRACK);
        return new Expr.ArrayType(lbrack, len, parseType());
    }

    /** {@code [N]T} of a field or parameter named x (an ArrayType) or the instance {@code x[A, B]} (an Index). */
    private Expr parseArrayFieldOrTypeInstance(Expr.Ident x) {
        int lbrack = expect(LBRACK);
        int trailingComma = -1;
        List<Expr> args = new ArrayList<>(2);
        if (tok != RBRACK) {
            exprLev++;
            args.add(parseExpr());
            while (tok == COMMA) {
                int comma = pos;
                next();
                if (tok == RBRACK) {
                    trailingComma = comma;
                    break;
                }
                args.add(parseExpr());
            }
            exprLev--;
        }
        expect(RBRACK);
        if (args.isEmpty()) {
            return new Expr.ArrayType(lbrack, null, parseType());
        }
        if (args.size() == 1) {
            Expr elt = tryIdentOrType();
            if (elt != null) {
                if (trailingComma >= 0) {
                    throw error(trailingComma, "unexpected comma; expecting ]");
                }
                return new Expr.ArrayType(lbrack, args.get(0), elt);
            }
        }
        return new Expr.Index(x.pos(), x, args);
    }

    private Field parseFieldDecl() {
        List<Expr.Ident> names = List.of();
        Expr type;
        switch (tok) {
            case IDENT -> {
                Expr.Ident name = parseIdent();
                if (tok == PERIOD || tok == STRING || tok == SEMICOLON || tok == RBRACE) {
                    type = tok == PERIOD ? parseQualifiedIdent(name) : name;
                } else {
                    List<Expr.Ident> list = new ArrayList<>(2);
                    list.add(name);
                    while (tok == COMMA) {
                        next();
                        list.add(parseIdent());
                    }
                    if (list.size() == 1 && tok == LBRACK) {
                        type = parseArrayFieldOrTypeInstance(name);
                        if (!(type instanceof Expr.Index)) {
                            names = list;
                        }
                    } else {
                        names = list;
                        type = parseType();
                    }
                }
            }
            case MUL -> {
                int star = pos;
                next();
                if (tok == LPAREN) {
                    throw error(pos, "cannot parenthesize embedded type");
                }
                type = new Expr.Star(star, parseQualifiedIdent(null));
            }
            case LPAREN -> throw error(pos, "cannot parenthesize embedded type");
            default -> throw errorExpected(pos, "field name or embedded type");
        }
        String tag = null;
        if (tok == STRING) {
            tag = lit;
            next();
        }
        expectSemi();
        return new Field(names.isEmpty() ? type.pos() : names.get(0).pos(), names, type, tag);
    }

    private Expr.StructType parseStructType() {
        int p = expect(STRUCT);
        expect(LBRACE);
        List<Field> fields = new ArrayList<>();
        while (tok == IDENT || tok == MUL || tok == LPAREN) {
            fields.add(parseFieldDecl());
        }
        expect(RBRACE);
        return new Expr.StructType(p, fields);
    }

    private Param parseParamDecl(Expr.Ident name, boolean typeSetsOK) {
        if (name == null && typeSetsOK && tok == TILDE) {
            return new Param(null, embeddedElem(null));
        }
        Expr type = null;
        if (name != null || tok == IDENT) {
            if (name == null) {
                name = parseIdent();
            }
            switch (tok) {
                case IDENT, MUL, ARROW, FUNC, CHAN, MAP, STRUCT, INTERFACE, LPAREN -> type = parseType();
                case LBRACK -> {
                    type = parseArrayFieldOrTypeInstance(name);
                    if (type instanceof Expr.Index) {
                        name = null;
                    }
                }
                case ELLIPSIS -> {
                    return new Param(name, parseDotsType());
                }
                case PERIOD -> {
                    type = parseQualifiedIdent(name);
                    name = null;
                }
                case TILDE -> {
                    if (typeSetsOK) {
                        return new Param(name, embeddedElem(null));
                    }
                }
                case OR -> {
                    if (typeSetsOK) {
                        return new Param(null, embeddedElem(name));
                    }
                }
                default -> {
                }
            }
        } else {
            switch (tok) {
                case MUL, ARROW, FUNC, LBRACK, CHAN, MAP, STRUCT, INTERFACE, LPAREN -> type = parseType();
                case ELLIPSIS -> {
                    return new Param(null, parseDotsType());
                }
                default -> throw errorExpected(pos, "')'");
            }
        }
        if (typeSetsOK && tok == OR && type != null) {
            type = embeddedElem(type);
        }
        return new Param(name, type);
    }

    private Expr.Ellipsis parseDotsType() {
        int p = expect(ELLIPSIS);
        return new Expr.Ellipsis(p, parseType());
    }

    /**
     * A parameter, result or type parameter list up to {@code closing}, grouped as go/parser
     * groups it: {@code a, b int} is one field; a list without any name is a list of types.
     */
    private List<Field> parseParameterList(Expr.Ident name0, Expr type0, int closing, boolean dddOK) {
        enter();
        boolean typeParams = closing == RBRACK;
        int pos0 = name0 != null ? name0.pos() : type0 != null ? type0.pos() : pos;
        List<Param> list = new ArrayList<>();
        int named = 0;
        int typed = 0;
        while (name0 != null || tok != closing && tok != EOF) {
            Param par;
            if (type0 != null) {
                if (typeParams) {
                    type0 = embeddedElem(type0);
                }
                par = new Param(name0, type0);
            } else {
                par = parseParamDecl(name0, typeParams);
            }
            name0 = null;
            type0 = null;
            if (par.name != null || par.type != null) {
                list.add(par);
                if (par.name != null && par.type != null) {
                    named++;
                }
                if (par.type != null) {
                    typed++;
                }
            }
            if (!atComma("parameter list", closing)) {
                break;
            }
            next();
        }
        depth--;
        if (list.isEmpty()) {
            return List.of();
        }
        if (named == 0) {
            if (typeParams) {
                if (typed == 0) {
                    throw error(pos, "missing type constraint");
                }
                throw error(pos0, "missing type parameter name" + (list.size() == 1 ? " or invalid array length" : ""));
            }
            List<Field> fields = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Param par = list.get(i);
                Expr type = par.type != null ? par.type : par.name;
                checkDots(type, i, list.size(), dddOK);
                fields.add(new Field(type.pos(), List.of(), type, null));
            }
            return fields;
        }
        if (named != list.size()) {
            // a, b int: names without a type take the type to their right
            Expr type = null;
            for (int i = list.size() - 1; i >= 0; i--) {
                Param par = list.get(i);
                if (par.type != null) {
                    type = par.type;
                    if (par.name == null) {
                        throw missingName(typeParams, named == typed, list.size(), type.pos());
                    }
                } else if (type != null) {
                    list.set(i, new Param(par.name, type));
                } else {
                    throw missingName(typeParams, named == typed, list.size(), par.name.pos());
                }
            }
        }
        List<Field> fields = new ArrayList<>();
        List<Expr.Ident> names = new ArrayList<>();
        Expr type = null;
        for (int i = 0; i < list.size(); i++) {
            Param par = list.get(i);
            checkDots(par.type, i, list.size(), dddOK);
            if (par.type != type) {
                if (!names.isEmpty()) {
                    fields.add(new Field(names.get(0).pos(), names, type, null));
                    names = new ArrayList<>();
                }
                type = par.type;
            }
            names.add(par.name);
        }
        fields.add(new Field(names.get(0).pos(), names, type, null));
        return fields;
    }

    private GoSyntaxException missingName(boolean typeParams, boolean noneNamed, int size, int at) {
        if (noneNamed) {
            return error(pos, typeParams ? "missing type constraint" : "missing parameter type");
        }
        if (typeParams) {
            return error(at, "missing type parameter name" + (size == 1 ? " or invalid array length" : ""));
        }
        return error(at, "missing parameter name");
    }

    private void checkDots(Expr type, int i, int n, boolean dddOK) {
        if (type instanceof Expr.Ellipsis e && (!dddOK || i + 1 < n)) {
            throw error(e.pos(), dddOK ? "can only use ... with final parameter" : "invalid use of ...");
        }
    }

    private List<Field> parseTypeParameters() {
        int lbrack = expect(LBRACK);
        List<Field> list = List.of();
        if (tok != RBRACK) {
            list = parseParameterList(null, null, RBRACK, false);
        }
        int rbrack = expect(RBRACK);
        if (list.isEmpty()) {
            throw error(rbrack, "empty type parameter list");
        }
        return list;
    }

    /** A parameter list, or a result list (parenthesized, a single type or nothing). */
    private List<Field> parseParameters(boolean result) {
        if (!result || tok == LPAREN) {
            expect(LPAREN);
            List<Field> list = List.of();
            if (tok != RPAREN) {
                list = parseParameterList(null, null, RPAREN, !result);
            }
            expect(RPAREN);
            return list;
        }
        Expr type = tryIdentOrType();
        if (type != null) {
            return List.of(new Field(type.pos(), List.of(), type, null));
        }
        return List.of();
    }

    private Expr.FuncType parseFuncType() {
        int p = expect(FUNC);
        if (tok == LBRACK) {
            int lbrack = pos;
            parseTypeParameters();
            throw error(lbrack, "function type must have no type parameters");
        }
        List<Field> params = parseParameters(false);
        List<Field> results = parseParameters(true);
        return new Expr.FuncType(p, List.of(), params, results);
    }

    private Field parseMethodSpec() {
        List<Expr.Ident> names = List.of();
        Expr type;
        Expr x = parseTypeName(null);
        if (x instanceof Expr.Ident ident) {
            if (tok == LBRACK) {
                // an embedded generic interface I[A, B]; a method with type parameters is an error
                int lbrack = pos;
                next();
                exprLev++;
                Expr first = parseExpr();
                exprLev--;
                if (first instanceof Expr.Ident && tok != COMMA && tok != RBRACK) {
                    throw error(lbrack, "interface method must have no type parameters");
                }
                List<Expr> list = new ArrayList<>(2);
                list.add(first);
                if (atComma("type argument list", RBRACK)) {
                    exprLev++;
                    next();
                    while (tok != RBRACK && tok != EOF) {
                        list.add(parseType());
                        if (!atComma("type argument list", RBRACK)) {
                            break;
                        }
                        next();
                    }
                    exprLev--;
                }
                expectClosing(RBRACK, "type argument list");
                type = new Expr.Index(ident.pos(), ident, list);
            } else if (tok == LPAREN) {
                int open = pos;
                List<Field> params = parseParameters(false);
                List<Field> results = parseParameters(true);
                names = List.of(ident);
                type = new Expr.FuncType(open, List.of(), params, results);
            } else {
                type = x;
            }
        } else {
            type = x;
            if (tok == LBRACK) {
                type = parseTypeInstance(type);
            }
        }
        return new Field(names.isEmpty() ? type.pos() : names.get(0).pos(), names, type, null);
    }

    private Expr embeddedElem(Expr x) {
        if (x == null) {
            x = embeddedTerm();
        }
        while (tok == OR) {
            next();
            x = new Expr.Binary(x.pos(), x, "|", embeddedTerm());
        }
        return x;
    }

    private Expr embeddedTerm() {
        if (tok == TILDE) {
            int p = pos;
            next();
            return new Expr.Unary(p, "~", parseType());
        }
        Expr t = tryIdentOrType();
        if (t == null) {
            throw errorExpected(pos, "~ term or type");
        }
        return t;
    }

    private Expr.InterfaceType parseInterfaceType() {
        int p = expect(INTERFACE);
        expect(LBRACE);
        List<Field> list = new ArrayList<>();
        while (true) {
            if (tok == IDENT) {
                Field f = parseMethodSpec();
                if (f.names().isEmpty()) {
                    Expr t = embeddedElem(f.type());
                    f = new Field(t.pos(), List.of(), t, null);
                }
                expectSemi();
                list.add(f);
            } else if (tok == TILDE) {
                Expr t = embeddedElem(null);
                expectSemi();
                list.add(new Field(t.pos(), List.of(), t, null));
            } else {
                Expr t = tryIdentOrType();
                if (t == null) {
                    break;
                }
                t = embeddedElem(t);
                expectSemi();
                list.add(new Field(t.pos(), List.of(), t, null));
            }
        }
        expect(RBRACE);
        return new Expr.InterfaceType(p, list);
    }

    private Expr.MapType parseMapType() {
        int p = expect(MAP);
        expect(LBRACK);
        Expr key = parseType();
        expect(RBRACK);
        return new Expr.MapType(p, key, parseType());
    }

    private Expr.ChanType parseChanType() {
        int p = pos;
        Expr.ChanDir dir = Expr.ChanDir.BOTH;
        if (tok == CHAN) {
            next();
            if (tok == ARROW) {
                next();
                dir = Expr.ChanDir.SEND;
            }
        } else {
            expect(ARROW);
            expect(CHAN);
            dir = Expr.ChanDir.RECV;
        }
        return new Expr.ChanType(p, dir, parseType());
    }

    private Expr parseTypeInstance(Expr type) {
        expect(LBRACK);
        exprLev++;
        List<Expr> list = new ArrayList<>(2);
        while (tok != RBRACK && tok != EOF) {
            list.add(parseType());
            if (!atComma("type argument list", RBRACK)) {
                break;
            }
            next();
        }
        exprLev--;
        int closing = expectClosing(RBRACK, "type argument list");
        if (list.isEmpty()) {
            throw error(closing, "expected type argument list");
        }
        return new Expr.Index(type.pos(), type, list);
    }

    /** A type, or null when the current token cannot start one. */
    private Expr tryIdentOrType() {
        enter();
        Expr t = switch (tok) {
            case IDENT -> {
                Expr name = parseTypeName(null);
                yield tok == LBRACK ? parseTypeInstance(name) : name;
            }
            case LBRACK -> parseArrayType(expect(LBRACK), null);
            case STRUCT -> parseStructType();
            case MUL -> {
                int star = pos;
                next();
                yield new Expr.Star(star, parseType());
            }
            case FUNC -> parseFuncType();
            case INTERFACE -> parseInterfaceType();
            case MAP -> parseMapType();
            case CHAN, ARROW -> parseChanType();
            case LPAREN -> {
                int lparen = pos;
                next();
                Expr x = parseType();
                expect(RPAREN);
                yield new Expr.Paren(lparen, x);
            }
            default -> null;
        };
        depth--;
        return t;
    }

    // statements

    private List<Stmt> parseStmtList() {
        List<Stmt> list = new ArrayList<>();
        while (tok != CASE && tok != DEFAULT && tok != RBRACE && tok != EOF) {
            list.add(parseStmt());
        }
        return list;
    }

    private Stmt.Block parseBody() {
        int lbrace = expect(LBRACE);
        List<Stmt> list = parseStmtList();
        int rbrace = expect(RBRACE);
        return new Stmt.Block(lbrace, list, rbrace);
    }

    private Stmt parseStmt() {
        enter();
        Stmt s;
        switch (tok) {
            case CONST, TYPE, VAR -> s = new Stmt.DeclStmt(parseGenDecl(tok));
            case IDENT, INT, FLOAT, IMAG, CHAR, STRING, FUNC, LPAREN, LBRACK, STRUCT, MAP, CHAN, INTERFACE,
                 ADD, SUB, MUL, AND, XOR, ARROW, NOT -> {
                s = parseSimpleStmt(false, true);
                if (!(s instanceof Stmt.Labeled)) {
                    expectSemi();
                }
            }
            case GO, DEFER -> {
                int keyword = tok;
                int p = pos;
                next();
                Expr.Call call = parseCallExpr(TEXT[keyword]);
                expectSemi();
                s = keyword == GO ? new Stmt.Go(p, call) : new Stmt.Defer(p, call);
            }
            case RETURN -> {
                int p = pos;
                next();
                List<Expr> results = List.of();
                if (tok != SEMICOLON && tok != RBRACE) {
                    results = parseList();
                }
                expectSemi();
                s = new Stmt.Return(p, results);
            }
            case BREAK, CONTINUE, GOTO, FALLTHROUGH -> {
                int keyword = tok;
                int p = pos;
                next();
                Expr.Ident label = null;
                if (keyword == GOTO || (keyword == CONTINUE || keyword == BREAK) && tok == IDENT) {
                    label = parseIdent();
                }
                expectSemi();
                s = new Stmt.Branch(p, TEXT[keyword], label);
            }
            case LBRACE -> {
                s = parseBody();
                expectSemi();
            }
            case IF -> s = parseIfStmt();
            case SWITCH -> s = parseSwitchStmt();
            case SELECT -> s = parseSelectStmt();
            case FOR -> s = parseForStmt();
            case SEMICOLON -> {
                s = new Stmt.Empty(pos);
                next();
            }
            case RBRACE -> s = new Stmt.Empty(pos);
            default -> throw errorExpected(pos, "statement");
        }
        depth--;
        return s;
    }

    /**
     * A simple statement; with rangeOK a range clause is read into {@link #rangeHeader} and null
     * returned; with labelOK an identifier followed by ':' starts a labeled statement.
     */
    private Stmt parseSimpleStmt(boolean rangeOK, boolean labelOK) {
        List<Expr> x = parseList();
        switch (tok) {
            case DEFINE, ASSIGN, ADD_ASSIGN, SUB_ASSIGN, MUL_ASSIGN, QUO_ASSIGN, REM_ASSIGN, AND_ASSIGN,
                 OR_ASSIGN, XOR_ASSIGN, SHL_ASSIGN, SHR_ASSIGN, AND_NOT_ASSIGN -> {
                int op = tok;
                next();
                if (rangeOK && tok == RANGE && (op == DEFINE || op == ASSIGN)) {
                    next();
                    rangeHeader = new RangeHeader(x, TEXT[op], parseExpr());
                    return null;
                }
                return new Stmt.Assign(x.get(0).pos(), x, TEXT[op], parseList());
            }
            default -> {
            }
        }
        if (x.size() > 1) {
            throw errorExpected(x.get(0).pos(), "1 expression");
        }
        Expr x0 = x.get(0);
        switch (tok) {
            case COLON -> {
                int colon = pos;
                next();
                if (labelOK && x0 instanceof Expr.Ident label) {
                    return new Stmt.Labeled(label.pos(), label, parseStmt());
                }
                throw error(colon, "illegal label declaration");
            }
            case ARROW -> {
                next();
                return new Stmt.Send(x0.pos(), x0, parseExpr());
            }
            case INC, DEC -> {
                boolean inc = tok == INC;
                next();
                return new Stmt.IncDec(x0.pos(), x0, inc);
            }
            default -> {
                return new Stmt.ExprStmt(x0);
            }
        }
    }

    private Expr.Call parseCallExpr(String callType) {
        Expr x = parseExpr();
        Expr t = unparen(x);
        if (t != x) {
            throw error(x.pos(), "expression in " + callType + " must not be parenthesized");
        }
        if (t instanceof Expr.Call call) {
            return call;
        }
        throw error(lastEnd, "expression in " + callType + " must be function call");
    }

    private static Expr unparen(Expr x) {
        while (x instanceof Expr.Paren p) {
            x = p.x();
        }
        return x;
    }

    private Expr makeExpr(Stmt s, String want) {
        if (s == null) {
            return null;
        }
        if (s instanceof Stmt.ExprStmt e) {
            return e.x();
        }
        String found = s instanceof Stmt.Assign ? "assignment" : "simple statement";
        throw error(s.pos(), "expected " + want + ", found " + found
                + " (missing parentheses around composite literal?)");
    }

    /** An if statement with its else-if chain, read in a loop: a chain's length does not count as nesting. */
    private Stmt.If parseIfStmt() {
        List<Stmt.If> chain = new ArrayList<>();
        Stmt last = null;
        while (true) {
            int p = expect(IF);
            IfHeader header = parseIfHeader();
            Stmt.Block then = parseBody();
            chain.add(new Stmt.If(p, header.init, header.cond, then, null));
            if (tok != ELSE) {
                expectSemi();
                break;
            }
            next();
            if (tok == LBRACE) {
                last = parseBody();
                expectSemi();
                break;
            }
            if (tok != IF) {
                throw errorExpected(pos, "if statement or block");
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Stmt.If s = chain.get(i);
            last = new Stmt.If(s.pos(), s.init(), s.cond(), s.then(), last);
        }
        return (Stmt.If) last;
    }

    private record IfHeader(Stmt init, Expr cond) {
    }

    private IfHeader parseIfHeader() {
        if (tok == LBRACE) {
            throw error(pos, "missing condition in if statement");
        }
        int prevLev = exprLev;
        exprLev = -1;
        Stmt init = null;
        if (tok != SEMICOLON) {
            if (tok == VAR) {
                next();
                throw error(pos, "var declaration not allowed in if initializer");
            }
            init = parseSimpleStmt(false, false);
        }
        Stmt condStmt;
        if (tok != LBRACE) {
            if (tok != SEMICOLON) {
                throw errorExpected(pos, "';'");
            }
            int semi = pos;
            boolean newline = scanner.implicitSemi;
            next();
            if (tok == LBRACE) {
                throw error(semi, newline ? "unexpected newline, expecting { after if clause"
                        : "missing condition in if statement");
            }
            condStmt = parseSimpleStmt(false, false);
        } else {
            condStmt = init;
            init = null;
        }
        Expr cond = makeExpr(condStmt, "boolean expression");
        exprLev = prevLev;
        return new IfHeader(init, cond);
    }

    private Stmt parseSwitchStmt() {
        int p = expect(SWITCH);
        Stmt s1 = null;
        Stmt s2 = null;
        if (tok != LBRACE) {
            int prevLev = exprLev;
            exprLev = -1;
            if (tok != SEMICOLON) {
                s2 = parseSimpleStmt(false, false);
            }
            if (tok == SEMICOLON) {
                next();
                s1 = s2;
                s2 = null;
                if (tok != LBRACE) {
                    s2 = parseSimpleStmt(false, false);
                }
            }
            exprLev = prevLev;
        }
        boolean typeSwitch = isTypeSwitchGuard(s2);
        int lbrace = expect(LBRACE);
        List<Stmt> clauses = new ArrayList<>();
        while (tok == CASE || tok == DEFAULT) {
            int cp = pos;
            List<Expr> values = null;
            if (tok == CASE) {
                next();
                values = parseList();
            } else {
                next();
            }
            expect(COLON);
            clauses.add(new Stmt.CaseClause(cp, values, parseStmtList()));
        }
        int rbrace = expect(RBRACE);
        expectSemi();
        Stmt.Block body = new Stmt.Block(lbrace, clauses, rbrace);
        if (typeSwitch) {
            return new Stmt.TypeSwitch(p, s1, s2, body);
        }
        return new Stmt.Switch(p, s1, makeExpr(s2, "switch expression"), body);
    }

    private boolean isTypeSwitchGuard(Stmt s) {
        if (s instanceof Stmt.ExprStmt e) {
            return isTypeSwitchAssert(e.x());
        }
        if (s instanceof Stmt.Assign a && a.lhs().size() == 1 && a.rhs().size() == 1
                && isTypeSwitchAssert(a.rhs().get(0))) {
            if (a.op().equals("=")) {
                throw error(a.pos(), "expected ':=', found '='");
            }
            return a.op().equals(":=");
        }
        return false;
    }

    private static boolean isTypeSwitchAssert(Expr x) {
        return x instanceof Expr.TypeAssert t && t.type() == null;
    }

    private Stmt.Select parseSelectStmt() {
        int p = expect(SELECT);
        int lbrace = expect(LBRACE);
        List<Stmt> clauses = new ArrayList<>();
        while (tok == CASE || tok == DEFAULT) {
            clauses.add(parseCommClause());
        }
        int rbrace = expect(RBRACE);
        expectSemi();
        return new Stmt.Select(p, new Stmt.Block(lbrace, clauses, rbrace));
    }

    private Stmt.CommClause parseCommClause() {
        int p = pos;
        Stmt comm = null;
        if (tok == CASE) {
            next();
            List<Expr> lhs = parseList();
            if (tok == ARROW) {
                if (lhs.size() > 1) {
                    throw errorExpected(lhs.get(0).pos(), "1 expression");
                }
                next();
                comm = new Stmt.Send(lhs.get(0).pos(), lhs.get(0), parseExpr());
            } else if (tok == ASSIGN || tok == DEFINE) {
                if (lhs.size() > 2) {
                    throw errorExpected(lhs.get(0).pos(), "1 or 2 expressions");
                }
                String op = TEXT[tok];
                next();
                comm = new Stmt.Assign(lhs.get(0).pos(), lhs, op, List.of(parseExpr()));
            } else {
                if (lhs.size() > 1) {
                    throw errorExpected(lhs.get(0).pos(), "1 expression");
                }
                comm = new Stmt.ExprStmt(lhs.get(0));
            }
        } else {
            expect(DEFAULT);
        }
        expect(COLON);
        return new Stmt.CommClause(p, comm, parseStmtList());
    }

    private Stmt parseForStmt() {
        int p = expect(FOR);
        Stmt s1 = null;
        Stmt s2 = null;
        Stmt s3 = null;
        RangeHeader range = null;
        if (tok != LBRACE) {
            int prevLev = exprLev;
            exprLev = -1;
            if (tok != SEMICOLON) {
                if (tok == RANGE) {
                    next();
                    range = new RangeHeader(List.of(), null, parseExpr());
                } else {
                    rangeHeader = null;
                    s2 = parseSimpleStmt(true, false);
                    range = rangeHeader;
                    rangeHeader = null;
                }
            }
            if (range == null && tok == SEMICOLON) {
                next();
                s1 = s2;
                s2 = null;
                if (tok != SEMICOLON) {
                    s2 = parseSimpleStmt(false, false);
                }
                expectSemi();
                if (tok != LBRACE) {
                    s3 = parseSimpleStmt(false, false);
                }
            }
            exprLev = prevLev;
        }
        Stmt.Block body = parseBody();
        expectSemi();
        if (range != null) {
            List<Expr> lhs = range.lhs;
            if (lhs.size() > 2) {
                throw errorExpected(lhs.get(lhs.size() - 1).pos(), "at most 2 expressions");
            }
            Expr key = lhs.isEmpty() ? null : lhs.get(0);
            Expr value = lhs.size() < 2 ? null : lhs.get(1);
            return new Stmt.Range(p, key, value, range.op, range.x, body);
        }
        return new Stmt.For(p, s1, makeExpr(s2, "boolean or range expression"), s3, body);
    }

    // expressions

    private Expr parseExpr() {
        enter();
        Expr x = parseBinaryExpr(null, 1);
        depth--;
        return x;
    }

    private static int precedence(int t) {
        return switch (t) {
            case LOR -> 1;
            case LAND -> 2;
            case EQL, NEQ, LSS, LEQ, GTR, GEQ -> 3;
            case ADD, SUB, OR, XOR -> 4;
            case MUL, QUO, REM, SHL, SHR, AND, AND_NOT -> 5;
            default -> 0;
        };
    }

    private Expr parseBinaryExpr(Expr x, int prec1) {
        if (x == null) {
            x = parseUnaryExpr();
        }
        // a chain (a + b + c is (a + b) + c) is read in a loop: its length does not count as nesting
        while (true) {
            int op = tok;
            int prec = precedence(op);
            if (prec < prec1) {
                return x;
            }
            next();
            Expr y = parseBinaryExpr(null, prec + 1);
            x = new Expr.Binary(x.pos(), x, TEXT[op], y);
        }
    }

    private Expr parseUnaryExpr() {
        enter();
        Expr x;
        switch (tok) {
            case ADD, SUB, NOT, XOR, AND, TILDE -> {
                int p = pos;
                String op = TEXT[tok];
                next();
                x = new Expr.Unary(p, op, parseUnaryExpr());
            }
            case ARROW -> {
                int arrow = pos;
                next();
                Expr operand = parseUnaryExpr();
                if (operand instanceof Expr.ChanType ch) {
                    // <-chan T: the arrow belongs to the channel type
                    x = receiveChannel(ch, arrow);
                } else {
                    x = new Expr.Unary(arrow, "<-", operand);
                }
            }
            case MUL -> {
                int p = pos;
                next();
                x = new Expr.Star(p, parseUnaryExpr());
            }
            default -> x = parsePrimaryExpr(null);
        }
        depth--;
        return x;
    }

    /**
     * {@code <-} before a channel type makes it a receive-only one; before {@code chan<- chan T}
     * it becomes {@code <-chan (<-chan T)}, as go/parser reassociates it.
     */
    private Expr.ChanType receiveChannel(Expr.ChanType ch, int arrow) {
        if (ch.dir() == Expr.ChanDir.RECV) {
            throw error(ch.pos(), "expected 'chan'");
        }
        Expr value = ch.value();
        if (ch.dir() == Expr.ChanDir.SEND) {
            int innerArrow = skipTrivia(ch.pos() + "chan".length());
            if (!(value instanceof Expr.ChanType inner)) {
                throw error(innerArrow, "expected channel type");
            }
            value = receiveChannel(inner, innerArrow);
        }
        return new Expr.ChanType(arrow, Expr.ChanDir.RECV, value);
    }

    private Expr parsePrimaryExpr(Expr x) {
        if (x == null) {
            x = parseOperand();
        }
        while (true) {
            switch (tok) {
                case PERIOD -> {
                    next();
                    if (tok == IDENT) {
                        x = new Expr.Selector(x.pos(), x, parseIdent());
                    } else if (tok == LPAREN) {
                        next();
                        Expr type = null;
                        if (tok == TYPE) {
                            next();
                        } else {
                            type = parseType();
                        }
                        expect(RPAREN);
                        x = new Expr.TypeAssert(x.pos(), x, type);
                    } else {
                        throw errorExpected(pos, "selector or type assertion");
                    }
                }
                case LBRACK -> x = parseIndexOrSlice(x);
                case LPAREN -> x = parseCall(x);
                case LBRACE -> {
                    Expr t = unparen(x);
                    boolean literalType = switch (t) {
                        case Expr.Ident i -> exprLev >= 0;
                        case Expr.Selector s -> exprLev >= 0;
                        case Expr.Index i -> exprLev >= 0;
                        case Expr.ArrayType a -> true;
                        case Expr.StructType s -> true;
                        case Expr.MapType m -> true;
                        default -> false;
                    };
                    if (!literalType) {
                        return x;
                    }
                    if (t != x) {
                        throw error(t.pos(), "cannot parenthesize type in composite literal");
                    }
                    x = parseLiteralValue(x);
                }
                default -> {
                    return x;
                }
            }
        }
    }

    private Expr parseOperand() {
        switch (tok) {
            case IDENT -> {
                return parseIdent();
            }
            case INT, FLOAT, IMAG, CHAR, STRING -> {
                Expr.LitKind kind = switch (tok) {
                    case INT -> Expr.LitKind.INT;
                    case FLOAT -> Expr.LitKind.FLOAT;
                    case IMAG -> Expr.LitKind.IMAG;
                    case CHAR -> Expr.LitKind.CHAR;
                    default -> Expr.LitKind.STRING;
                };
                Expr x = new Expr.BasicLit(pos, kind, lit);
                next();
                return x;
            }
            case LPAREN -> {
                int lparen = pos;
                next();
                exprLev++;
                Expr x = parseExpr();
                exprLev--;
                expect(RPAREN);
                return new Expr.Paren(lparen, x);
            }
            case FUNC -> {
                Expr.FuncType type = parseFuncType();
                if (tok != LBRACE) {
                    return type;
                }
                exprLev++;
                Stmt.Block body = parseBody();
                exprLev--;
                return new Expr.FuncLit(type.pos(), type, body);
            }
            default -> {
                Expr t = tryIdentOrType();
                if (t == null) {
                    throw errorExpected(pos, "operand");
                }
                return t;
            }
        }
    }

    private Expr parseIndexOrSlice(Expr x) {
        expect(LBRACK);
        if (tok == RBRACK) {
            throw errorExpected(pos, "operand");
        }
        exprLev++;
        Expr[] index = new Expr[3];
        int[] colons = new int[2];
        List<Expr> args = null;
        if (tok != COLON) {
            index[0] = parseExpr();
        }
        int ncolons = 0;
        if (tok == COLON) {
            while (tok == COLON && ncolons < 2) {
                colons[ncolons] = pos;
                ncolons++;
                next();
                if (tok != COLON && tok != RBRACK && tok != EOF) {
                    index[ncolons] = parseExpr();
                }
            }
        } else if (tok == COMMA) {
            args = new ArrayList<>(3);
            args.add(index[0]);
            while (tok == COMMA) {
                next();
                if (tok != RBRACK && tok != EOF) {
                    args.add(parseType());
                }
            }
        }
        exprLev--;
        expect(RBRACK);
        if (ncolons > 0) {
            boolean slice3 = ncolons == 2;
            if (slice3 && index[1] == null) {
                throw error(colons[0], "middle index required in 3-index slice");
            }
            if (slice3 && index[2] == null) {
                throw error(colons[1], "final index required in 3-index slice");
            }
            return new Expr.Slice(x.pos(), x, index[0], index[1], index[2], slice3);
        }
        return new Expr.Index(x.pos(), x, args == null ? List.of(index[0]) : args);
    }

    private Expr.Call parseCall(Expr fun) {
        expect(LPAREN);
        exprLev++;
        List<Expr> args = new ArrayList<>();
        boolean ellipsis = false;
        while (tok != RPAREN && tok != EOF && !ellipsis) {
            args.add(parseExpr());
            if (tok == ELLIPSIS) {
                ellipsis = true;
                next();
            }
            if (!atComma("argument list", RPAREN)) {
                break;
            }
            next();
        }
        exprLev--;
        int rparen = expectClosing(RPAREN, "argument list");
        return new Expr.Call(fun.pos(), fun, args, ellipsis, rparen);
    }

    private Expr parseValue() {
        return tok == LBRACE ? parseLiteralValue(null) : parseExpr();
    }

    private Expr.CompositeLit parseLiteralValue(Expr type) {
        enter();
        int lbrace = expect(LBRACE);
        List<Expr> elements = new ArrayList<>();
        exprLev++;
        while (tok != RBRACE && tok != EOF) {
            Expr e = parseValue();
            if (tok == COLON) {
                next();
                e = new Expr.KeyValue(e.pos(), e, parseValue());
            }
            elements.add(e);
            if (!atComma("composite literal", RBRACE)) {
                break;
            }
            next();
        }
        exprLev--;
        int rbrace = expectClosing(RBRACE, "composite literal");
        depth--;
        return new Expr.CompositeLit(type != null ? type.pos() : lbrace, type, elements, rbrace);
    }

    // literals

    /** The value of a string literal the scanner has checked: quotes removed, escapes resolved. */
    static String unquote(String literal) {
        if (literal.charAt(0) == '`') {
            return literal.substring(1, literal.length() - 1).replace("\r", "");
        }
        if (literal.indexOf('\\') < 0) {
            return literal.substring(1, literal.length() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(literal.length());
        byte[] b = literal.getBytes(StandardCharsets.UTF_8);
        int i = 1;
        int n = b.length - 1;
        while (i < n) {
            if (b[i] != '\\') {
                out.write(b[i++]);
                continue;
            }
            char c = (char) b[i + 1];
            i += 2;
            switch (c) {
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case 'x' -> {
                    out.write(Integer.parseInt(ascii(b, i, 2), 16));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int len = c == 'u' ? 4 : 8;
                    byte[] utf8 = Character.toString(Integer.parseInt(ascii(b, i, len), 16))
                            .getBytes(StandardCharsets.UTF_8);
                    out.write(utf8, 0, utf8.length);
                    i += len;
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        out.write(Integer.parseInt(ascii(b, i - 1, 3), 8));
                        i += 2;
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] b, int from, int len) {
        return new String(b, from, len, StandardCharsets.ISO_8859_1);
    }
}
