package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;
import java.util.Set;

/**
 * The response of an HTTP client call whose body some path of the function leaves open: no
 * {@code defer resp.Body.Close()} after the error check, and a return (an error status, an early
 * exit) before any Close, or before a read to the end (io.ReadAll, io.Copy), which frees the
 * connection too. A response or body handed to other code (returned, passed, stored) is
 * that code's to close: silent. The client must be known to be net/http's: the package functions,
 * http.DefaultClient, a local or parameter of type (*)http.Client, or a field declared so in the
 * package.
 */
public final class HttpBodyNotClosedCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.http-body-not-closed",
            "goroutines.http-body-not-closed", Severity.WARNING,
            "an HTTP response body not closed on every path");
    private static final String CLIENT = "net/http.Client";
    private static final Set<String> FUNCTIONS = Set.of("net/http.Get", "net/http.Post", "net/http.Head",
            "net/http.PostForm");
    private static final Set<String> METHODS = Set.of("Do", "Get", "Post", "Head", "PostForm");
    /** Functions that read a body without closing it or keeping it past the call's result. */
    private static final Set<String> READERS = Set.of("io.ReadAll", "io/ioutil.ReadAll", "io.Copy", "io.CopyN",
            "io.CopyBuffer", "io.ReadFull", "io.ReadAtLeast", "io.LimitReader", "encoding/json.NewDecoder",
            "encoding/xml.NewDecoder", "bufio.NewReader", "bufio.NewReaderSize", "bufio.NewScanner",
            "mime/multipart.NewReader", "net/http.MaxBytesReader", "io.TeeReader");

    /** Reads a body to its end (or to an error, which closes the connection). */
    private static final Set<String> DRAINS = Set.of("io.ReadAll", "io/ioutil.ReadAll", "io.Copy", "io.CopyBuffer");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            if (d instanceof Decl.FuncDecl fn && fn.body() != null) {
                SyntaxPath.walk(fn, (node, ancestors) -> {
                    Names.Def def = Names.definition(node, ancestors);
                    if (def != null && def.lhs().size() == 2) {
                        String what = httpCall(scan, def.call(), ancestors);
                        if (what != null) {
                            check(scan, def, what, ancestors);
                        }
                    }
                });
            }
        }
    }

    private static void check(FileScan scan, Names.Def def, String what, List<Node> ancestors) {
        Node function = SyntaxPath.enclosingFunction(ancestors);
        String resp = def.name(0);
        if (resp == null) {
            return;
        }
        int line = scan.file().line(def.call().pos());
        if (resp.equals("_")) {
            if (expectsFailure(def, ancestors)) {
                return; // a test of a request that must fail: a response would fail the test
            }
            scan.report(def.call(), def.stmt(), "the response of " + what + " at line " + line
                    + " is discarded, so its body is never closed");
            return;
        }
        if (!Names.declares(function, resp) || Names.isNamedResult(function, resp) || escapes(scan, function, resp)) {
            return;
        }
        String err = def.name(1);
        Paths.Guard failed = cond -> noResponse(cond, err, resp) ? Boolean.TRUE
                : hasResponse(cond, err, resp) ? Boolean.FALSE : null;
        Paths.Exit exit = Paths.unusedExit(Names.body(function), def.stmt(),
                n -> closes(scan, n, resp) || reassigns(n, resp), failed);
        if (exit != null) {
            scan.report(def.call(), def.stmt(), "the response of " + what + " at line " + line
                    + " is not closed when the function returns at line " + scan.file().line(exit.pos())
                    + ": close it with defer " + resp + ".Body.Close() after the error check");
        }
    }

    /** Whether the condition holding means there is no response: err != nil, resp == nil, or a conjunction with one. */
    private static boolean noResponse(Expr cond, String err, String resp) {
        Expr c = Names.unparen(cond);
        if (c instanceof Expr.Binary b && b.op().equals("&&")) {
            return noResponse(b.x(), err, resp) || noResponse(b.y(), err, resp);
        }
        return c instanceof Expr.Binary b && isNil(b.y())
                && ((b.op().equals("!=") && Names.isIdent(b.x(), err)) || (b.op().equals("==") && Names.isIdent(b.x(), resp)));
    }

    /** Whether the condition failing means there is no response: err == nil, resp != nil, or a disjunction with one. */
    private static boolean hasResponse(Expr cond, String err, String resp) {
        Expr c = Names.unparen(cond);
        if (c instanceof Expr.Binary b && b.op().equals("||")) {
            return hasResponse(b.x(), err, resp) || hasResponse(b.y(), err, resp);
        }
        return c instanceof Expr.Binary b && isNil(b.y())
                && ((b.op().equals("==") && Names.isIdent(b.x(), err)) || (b.op().equals("!=") && Names.isIdent(b.x(), resp)));
    }

    /**
     * Whether the condition tested right after the call (in the if holding it, or the next
     * statement) expects an error: {@code err == nil} (alone or in a disjunction),
     * {@code !errors.Is(err, ...)}.
     */
    private static boolean expectsFailure(Names.Def def, List<Node> ancestors) {
        String err = def.name(1);
        if (err == null || err.equals("_")) {
            return false;
        }
        int at = def.stmt() instanceof Stmt.DeclStmt ? ancestors.size() - 3 : ancestors.size() - 1;
        Node holder = at >= 0 ? ancestors.get(at) : null;
        Expr cond = null;
        if (holder instanceof Stmt.If i && i.init() == def.stmt()) {
            cond = i.cond();
        } else {
            List<Stmt> list = switch (holder) {
                case Stmt.Block b -> b.stmts();
                case Stmt.CaseClause c -> c.body();
                case Stmt.CommClause c -> c.body();
                case null, default -> List.of();
            };
            int k = list.indexOf(def.stmt());
            if (k >= 0 && k + 1 < list.size() && list.get(k + 1) instanceof Stmt.If next && next.init() == null) {
                cond = next.cond();
            }
        }
        if (cond == null) {
            return false;
        }
        Expr c = Names.unparen(cond);
        if (hasResponse(c, err, "")) {
            return true; // err == nil, perhaps || a wrong error: the test fails with a response
        }
        return c instanceof Expr.Unary not && not.op().equals("!") && Names.unparen(not.x()) instanceof Expr.Call is
                && is.fun() instanceof Expr.Selector sel && Names.isIdent(sel.x(), "errors")
                && (sel.sel().name().equals("Is") || sel.sel().name().equals("As"))
                && !is.args().isEmpty() && Names.isIdent(is.args().get(0), err);
    }

    /** "http.Get", "client.Do"... when the call is an HTTP client request, else null. */
    private static String httpCall(FileScan scan, Expr.Call call, List<Node> ancestors) {
        String callee = scan.callee(call);
        if (callee != null) {
            return FUNCTIONS.contains(callee) ? "http." + callee.substring("net/http.".length()) : null;
        }
        if (!(call.fun() instanceof Expr.Selector s) || !METHODS.contains(s.sel().name())) {
            return null;
        }
        Expr client = Names.unparen(s.x());
        String method = s.sel().name();
        if ("net/http.DefaultClient".equals(scan.qualified(client))) {
            return "http.DefaultClient." + method;
        }
        if (client instanceof Expr.Ident id && isClientVariable(scan, id, ancestors)) {
            return id.name() + "." + method;
        }
        if (client instanceof Expr.Selector field && scan.pkg().fieldAlwaysOf(field.sel().name(), "http", "Client")) {
            return field.sel().name() + "." + method;
        }
        return null;
    }

    private static boolean isClientVariable(FileScan scan, Expr.Ident id, List<Node> ancestors) {
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            Node a = ancestors.get(i);
            if (!(a instanceof Expr.FuncLit) && !(a instanceof Decl.FuncDecl)) {
                continue;
            }
            Expr type = Names.declaredType(a, id.name());
            if (type != null) {
                return LocalTypes.isNamed(scan, type, CLIENT);
            }
            Expr[] init = {null};
            Names.ownStatements(Names.body(a), n -> {
                if (n instanceof Stmt.Assign as && as.op().equals(":=") && as.lhs().size() == as.rhs().size()) {
                    for (int k = 0; k < as.lhs().size(); k++) {
                        if (Names.isIdent(as.lhs().get(k), id.name())) {
                            init[0] = as.rhs().get(k);
                        }
                    }
                }
            });
            if (init[0] != null) {
                return isClientValue(scan, init[0]);
            }
            if (Names.declares(a, id.name())) {
                return false;
            }
        }
        return false;
    }

    /** &http.Client{...}, http.Client{...}, new(http.Client), http.DefaultClient. */
    private static boolean isClientValue(FileScan scan, Expr value) {
        return LocalTypes.isNewValue(scan, value, CLIENT)
                || "net/http.DefaultClient".equals(scan.qualified(Names.unparen(value)));
    }

    /** Whether the response or its body is handed to other code anywhere in the function. */
    private static boolean escapes(FileScan scan, Node function, String resp) {
        for (Names.Ref ref : Names.refs(function, resp)) {
            Node parent = ref.parent();
            if (parent instanceof Expr.Selector s && s.x() == ref.ident()) {
                if (s.sel().name().equals("Body") && bodyEscapes(scan, s, ref.above(1), ref.above(2))) {
                    return true;
                }
                continue; // resp.StatusCode, resp.Header...
            }
            if (parent instanceof Expr.Binary b && (b.op().equals("==") || b.op().equals("!="))
                    && (isNil(b.x()) || isNil(b.y()))) {
                continue;
            }
            if (ref.assigned()) {
                continue; // assigned a response: a definition, followed as such
            }
            return true;
        }
        return false;
    }

    /** resp.Body given away: anything but a method call on it, a comparison, or a known reader's argument. */
    private static boolean bodyEscapes(FileScan scan, Expr.Selector body, Node parent, Node grandparent) {
        if (parent instanceof Expr.Selector method && method.x() == body) {
            return false; // resp.Body.Close(), resp.Body.Read(...)
        }
        if (parent instanceof Expr.Binary b && (b.op().equals("==") || b.op().equals("!="))) {
            return false;
        }
        if (parent instanceof Expr.Call c && c.args().contains(body)) {
            String callee = scan.callee(c);
            return callee == null || !READERS.contains(callee);
        }
        return true;
    }

    /**
     * A call of resp.Body.Close() anywhere under the node, a deferred closure's included, or a read
     * of the body to its end (io.ReadAll, io.Copy): net/http frees the connection at EOF as at Close.
     */
    private static boolean closes(FileScan scan, Node n, String resp) {
        boolean[] found = {false};
        Node.walk(n, x -> {
            if (x instanceof Expr.Call c && c.fun() instanceof Expr.Selector close && close.sel().name().equals("Close")
                    && isBody(close.x(), resp)) {
                found[0] = true;
            }
            if (x instanceof Expr.Call c && DRAINS.contains(String.valueOf(scan.callee(c)))
                    && c.args().stream().anyMatch(a -> isBody(a, resp))) {
                found[0] = true;
            }
        });
        return found[0];
    }

    private static boolean isBody(Expr e, String resp) {
        return Names.unparen(e) instanceof Expr.Selector body && body.sel().name().equals("Body")
                && Names.isIdent(body.x(), resp);
    }

    /** A statement that assigns the variable a new response: the old one's story ends there. */
    private static boolean reassigns(Node n, String resp) {
        return n instanceof Stmt.Assign a && a.lhs().stream().anyMatch(e -> Names.isIdent(e, resp));
    }

    private static boolean isNil(Expr e) {
        return Names.isIdent(e, "nil");
    }
}
