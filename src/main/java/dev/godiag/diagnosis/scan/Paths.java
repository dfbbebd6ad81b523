package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Control-flow reasoning over the statement tree of one function, for checks that ask "on every
 * path": is there a way from a statement to the function's exit on which nothing "uses" a value
 * (calls cancel, closes a body)? It follows sequences, if/else, switch and select cases, loops,
 * break and continue (labels too), return, and calls that never return (panic, os.Exit,
 * log.Fatal, t.Fatal...). It is conservative: where it is unsure (goto, fallthrough, a definition
 * in an if's init) it finds no path, so a check stays silent.
 */
public final class Paths {

    /**
     * What makes a branch impossible for the value tracked: a condition that, when true (or false),
     * means there is nothing to release ({@code err != nil} after a failed call).
     */
    public interface Guard {
        /** TRUE: the branch where cond holds is dead; FALSE: the branch where it fails is; null: neither. */
        Boolean dead(Expr cond);

        Guard NONE = cond -> null;
    }

    /** A way out found: the return statement, or the closing brace the function falls off. */
    public record Exit(Node at, int pos) {
    }

    private final Predicate<Node> uses;
    private final Guard guard;
    private final Node stopAt;

    private Paths(Predicate<Node> uses, Guard guard, Node stopAt) {
        this.uses = uses;
        this.guard = guard;
        this.stopAt = stopAt;
    }

    /**
     * A way from just after {@code from} (a statement of a block or case body in {@code body}) out
     * of the function whose body is {@code body}, on which no statement satisfies {@code uses};
     * null when every way out uses the value, or when unsure. {@code uses} is asked about whole
     * simple statements and about the parts of compound ones (conditions, headers, case values)
     * evaluated before their branches. A naked return is a way out like any other: a check whose
     * value is a named result counts it in {@code uses}.
     */
    public static Exit unusedExit(Stmt.Block body, Stmt from, Predicate<Node> uses, Guard guard) {
        List<Node> chain = chain(body, from);
        if (chain == null) {
            return null;
        }
        Paths paths = new Paths(uses, guard, from);
        Flow state = new Flow();
        state.normal = true;
        // climb from the statement to the function body, following what runs after each level
        for (int i = chain.size() - 2; i >= 0; i--) {
            Node parent = chain.get(i);
            Node child = chain.get(i + 1);
            switch (parent) {
                case Stmt.Block b when child instanceof Stmt.CaseClause || child instanceof Stmt.CommClause -> {
                    // a switch's or select's body: the clauses do not run one after another
                }
                case Stmt.Block b -> {
                    if (state.normal) {
                        Flow rest = paths.sequence(b.stmts(), b.stmts().indexOf(child) + 1);
                        state.normal = rest.normal;
                        state.merge(rest);
                    }
                    if (i == 0 && state.normal && state.exit == null) {
                        state.exit = new Exit(b, b.end());
                    }
                }
                case Stmt.CaseClause c -> {
                    if (state.normal) {
                        Flow rest = paths.sequence(c.body(), c.body().indexOf(child) + 1);
                        if (rest.fallsThrough) {
                            return null;
                        }
                        state.normal = rest.normal;
                        state.merge(rest);
                    }
                }
                case Stmt.CommClause c -> {
                    if (child == c.comm()) {
                        return null;
                    }
                    if (state.normal) {
                        Flow rest = paths.sequence(c.body(), c.body().indexOf(child) + 1);
                        state.normal = rest.normal;
                        state.merge(rest);
                    }
                }
                case Stmt.If f -> {
                    if (child == f.init()) {
                        return null;
                    }
                    // the end of a branch is the end of the if
                }
                case Stmt.Switch s -> {
                    if (child != s.body()) {
                        return null;
                    }
                    state.normal |= state.breaks.remove("");
                }
                case Stmt.TypeSwitch s -> {
                    if (child != s.body()) {
                        return null;
                    }
                    state.normal |= state.breaks.remove("");
                }
                case Stmt.Select s -> state.normal |= state.breaks.remove("");
                case Stmt.For f -> {
                    if (child != f.body()) {
                        return null;
                    }
                    boolean again = state.normal | state.continues.remove("");
                    state.normal = state.breaks.remove("");
                    if (again && !paths.used(f.post()) && !paths.used(f.cond())) {
                        // the condition may end the loop; else the body runs again from its start,
                        // where reaching the statement itself ends a path
                        Flow loop = paths.loop(f);
                        state.merge(loop);
                        state.normal |= f.cond() != null || loop.normal;
                    }
                }
                case Stmt.Range r -> {
                    if (child != r.body()) {
                        return null;
                    }
                    boolean again = state.normal | state.continues.remove("");
                    state.normal = state.breaks.remove("") || again;
                    if (again) {
                        Flow loop = paths.sequence(r.body().stmts(), 0);
                        loop.breaks.remove(""); // they leave this range, which may end anyway
                        loop.continues.remove("");
                        state.merge(loop);
                    }
                }
                case Stmt.Labeled l -> {
                    String name = l.label().name();
                    state.normal |= state.breaks.remove(name);
                    if (state.continues.remove(name)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            if (state.exit != null) {
                return state.exit;
            }
        }
        return state.exit;
    }

    /** A way out of a function from the start of its body (a return, or its end), or null when it never returns. */
    public static Exit anyExit(Stmt.Block body) {
        Flow f = new Paths(n -> false, Guard.NONE, null).sequence(body.stmts(), 0);
        if (f.exit != null) {
            return f.exit;
        }
        return f.normal ? new Exit(body, body.end()) : null;
    }

    /** The nodes from body down to target (both included), following statements only; null when absent. */
    private static List<Node> chain(Stmt.Block body, Stmt target) {
        ArrayList<Node> path = new ArrayList<>();
        return find(body, target, path) ? path : null;
    }

    private static boolean find(Node node, Stmt target, List<Node> path) {
        path.add(node);
        if (node == target) {
            return true;
        }
        if (node instanceof Stmt && !(node instanceof Stmt.ExprStmt) && target.pos() >= node.pos()) {
            boolean[] found = {false};
            node.children(child -> {
                if (!found[0] && child instanceof Stmt s && find(s, target, path)) {
                    found[0] = true;
                }
            });
            if (found[0]) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }

    /** What can happen after entering a statement (list) with the value not yet used. */
    private static final class Flow {
        boolean normal;           // reaches its end
        boolean fallsThrough;     // ends in fallthrough
        final Set<String> breaks = new HashSet<>();    // "" unlabeled
        final Set<String> continues = new HashSet<>();
        Exit exit;                // a return reached unused

        void merge(Flow other) {
            breaks.addAll(other.breaks);
            continues.addAll(other.continues);
            if (exit == null) {
                exit = other.exit;
            }
        }

        static Flow stop() {
            return new Flow();
        }

        static Flow through() {
            Flow f = new Flow();
            f.normal = true;
            return f;
        }
    }

    private Flow sequence(List<Stmt> stmts, int from) {
        Flow out = Flow.through();
        for (int i = from; i < stmts.size() && out.normal; i++) {
            Flow f = flow(stmts.get(i));
            out.normal = f.normal;
            out.fallsThrough = f.fallsThrough;
            out.merge(f);
        }
        return out;
    }

    private boolean used(Node n) {
        return n != null && uses.test(n);
    }

    private Flow flow(Stmt s) {
        if (s == stopAt) {
            return Flow.stop(); // the statement again: a new value, another story
        }
        return switch (s) {
            case Stmt.Return r -> {
                if (used(r)) {
                    yield Flow.stop();
                }
                Flow f = Flow.stop();
                f.exit = new Exit(r, r.pos());
                yield f;
            }
            case Stmt.Block b -> sequence(b.stmts(), 0);
            case Stmt.Labeled l -> {
                Flow f = flow(l.stmt());
                String name = l.label().name();
                f.normal |= f.breaks.remove(name);
                f.continues.remove(name);
                yield f;
            }
            case Stmt.Branch b -> {
                Flow f = Flow.stop();
                String label = b.label() == null ? "" : b.label().name();
                switch (b.keyword()) {
                    case "break" -> f.breaks.add(label);
                    case "continue" -> f.continues.add(label);
                    case "fallthrough" -> f.fallsThrough = true;
                    default -> {
                        // goto: not followed, so no path
                    }
                }
                yield f;
            }
            case Stmt.If i -> ifFlow(i);
            case Stmt.Switch sw -> {
                if (used(sw.init()) || used(sw.tag())) {
                    yield Flow.stop();
                }
                yield cases(sw.body(), sw.tag() == null);
            }
            case Stmt.TypeSwitch ts -> {
                if (used(ts.init()) || used(ts.guard())) {
                    yield Flow.stop();
                }
                yield cases(ts.body(), false);
            }
            case Stmt.Select sel -> selectFlow(sel);
            case Stmt.For f -> {
                if (used(f.init()) || used(f.cond())) {
                    yield Flow.stop();
                }
                Flow loop = loop(f);
                loop.normal |= f.cond() != null; // the condition may fail at once
                yield loop;
            }
            case Stmt.Range r -> {
                if (used(r.x()) || used(r.key()) || used(r.value())) {
                    yield Flow.stop();
                }
                Flow body = sequence(r.body().stmts(), 0);
                Flow f = Flow.through(); // a range may run zero times
                f.exit = body.exit;
                body.breaks.remove("");
                body.continues.remove("");
                f.breaks.addAll(body.breaks);
                f.continues.addAll(body.continues);
                yield f;
            }
            case Stmt.ExprStmt e -> used(e) || neverReturns(e.x()) ? Flow.stop() : Flow.through();
            default -> used(s) ? Flow.stop() : Flow.through();
        };
    }

    private Flow ifFlow(Stmt.If i) {
        if (used(i.init()) || used(i.cond())) {
            return Flow.stop();
        }
        Boolean dead = guard.dead(i.cond());
        Flow then = Boolean.TRUE.equals(dead) ? Flow.stop() : flow(i.then());
        Flow otherwise = Boolean.FALSE.equals(dead) ? Flow.stop()
                : i.otherwise() == null ? Flow.through() : flow(i.otherwise());
        Flow f = new Flow();
        f.normal = then.normal || otherwise.normal;
        f.merge(then);
        f.merge(otherwise);
        return f;
    }

    /** The clauses of a switch: one runs (none without a default), break leaves the switch. */
    private Flow cases(Stmt.Block body, boolean tagless) {
        Flow f = new Flow();
        boolean hasDefault = false;
        for (Stmt s : body.stmts()) {
            if (!(s instanceof Stmt.CaseClause c)) {
                return Flow.stop();
            }
            hasDefault |= c.isDefault();
            if (c.values() != null && c.values().stream().anyMatch(this::used)) {
                return Flow.stop();
            }
            if (tagless && c.values() != null && c.values().size() == 1
                    && Boolean.TRUE.equals(guard.dead(c.values().get(0)))) {
                continue;
            }
            Flow clause = sequence(c.body(), 0);
            if (clause.fallsThrough) {
                return Flow.stop();
            }
            f.normal |= clause.normal || clause.breaks.remove("");
            f.merge(clause);
        }
        f.normal |= !hasDefault;
        return f;
    }

    private Flow selectFlow(Stmt.Select sel) {
        Flow f = new Flow();
        for (Stmt s : sel.body().stmts()) {
            if (!(s instanceof Stmt.CommClause c)) {
                return Flow.stop();
            }
            if (used(c.comm())) {
                continue;
            }
            Flow clause = sequence(c.body(), 0);
            f.normal |= clause.normal || clause.breaks.remove("");
            f.merge(clause);
        }
        return f; // select {} never ends
    }

    /** The body of a for loop run from its start, then again while it can: how the loop ends. */
    private Flow loop(Stmt.For f) {
        Flow b = sequence(f.body().stmts(), 0);
        Flow out = new Flow();
        out.exit = b.exit;
        boolean iterates = b.normal || b.continues.remove("");
        // a condition lets the loop end after an iteration; for {} ends only by break
        out.normal = b.breaks.remove("") || (iterates && f.cond() != null && !used(f.post()) && !used(f.cond()));
        out.breaks.addAll(b.breaks);
        out.continues.addAll(b.continues);
        return out;
    }

    /**
     * Calls after which nothing runs: panic, os.Exit, log.Fatal/Panic, runtime.Goexit, and the
     * testing methods that stop the test (t.Fatal, b.FailNow, t.Skip ...). Judged by name: a
     * method of that name on another type makes a path end early, which only silences a check.
     */
    static boolean neverReturns(Expr e) {
        if (!(e instanceof Expr.Call call)) {
            return false;
        }
        if (call.fun() instanceof Expr.Ident id) {
            return id.name().equals("panic");
        }
        if (call.fun() instanceof Expr.Selector sel) {
            String name = sel.sel().name();
            if (sel.x() instanceof Expr.Ident pkg) {
                String q = pkg.name() + "." + name;
                if (q.equals("os.Exit") || q.equals("runtime.Goexit") || q.equals("syscall.Exit")) {
                    return true;
                }
            }
            return switch (name) {
                case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "FailNow", "Skip", "Skipf",
                     "SkipNow", "Exit" -> true;
                default -> false;
            };
        }
        return false;
    }
}
