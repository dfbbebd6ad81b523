package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.List;

/**
 * A value holding a sync.Mutex, RWMutex, WaitGroup, Once, Cond, Map or Pool (itself, or in a
 * field of the package's own struct types, not through a pointer) copied: a value receiver, a
 * by-value parameter, an assignment from a variable or a dereference, a range value variable, an
 * argument passed by value. The copy has its own lock state, so the original's lock no longer
 * guards what the copy touches. Types of other packages are not looked into.
 */
public final class LockCopyCheck implements SourceCheck {
    private static final CheckInfo INFO = new CheckInfo("scan.lock-copy", "code.lock-copy",
            Severity.WARNING, "a value holding a sync.Mutex (or another sync type) copied");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        // a lock comes from sync, here or through a type of the package that holds one
        if (!scan.imports("sync") && scan.pkg().types().values().stream()
                .noneMatch(t -> LocalTypes.lockIn(scan, new Expr.Ident(t.pos(), t.name().name())) != null)) {
            return;
        }
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                switch (node) {
                    case Decl.FuncDecl fn -> {
                        if (fn.receiver() != null) {
                            receiver(scan, fn);
                        }
                        params(scan, fn.type(), SyntaxPath.functionName(fn));
                    }
                    case Expr.FuncLit fl -> params(scan, fl.type(), "the function literal");
                    case Stmt.Assign a -> assign(scan, a, ancestors);
                    case Decl.ValueSpec v when ancestors.size() > 1 -> {
                        for (int i = 0; i < v.values().size() && i < v.names().size(); i++) {
                            copied(scan, v.values().get(i), v.names().get(i).name(), ancestors);
                        }
                    }
                    case Stmt.Range r when r.value() instanceof Expr.Ident v && !v.name().equals("_") -> {
                        Expr element = LocalTypes.elementType(scan,
                                LocalTypes.typeOf(scan, r.x(), LocalTypes.at(ancestors, r)));
                        String lock = element == null ? null : LocalTypes.lockIn(scan, element);
                        if (lock != null) {
                            scan.report(v, r, "the range value " + v.name() + " is a copy of each " + holding(element, lock)
                                    + ", so locking it locks a copy; range over the index and"
                                    + " use a pointer to the element");
                        }
                    }
                    case Expr.Call c -> arguments(scan, c, ancestors);
                    default -> {
                    }
                }
            });
        }
    }

    private static void receiver(FileScan scan, Decl.FuncDecl fn) {
        Expr t = fn.receiver().type();
        if (t instanceof Expr.Star || (t instanceof Expr.Paren p && p.x() instanceof Expr.Star)) {
            return;
        }
        String lock = LocalTypes.lockIn(scan, t);
        if (lock != null) {
            String type = SyntaxPath.receiverTypeName(t);
            scan.report(fn.receiver(), fn, SyntaxPath.functionName(fn) + " has a value receiver, so each call copies the "
                    + holding(t, lock) + " and locks the copy; use a pointer receiver (*" + type + ")");
        }
    }

    private static void params(FileScan scan, Expr.FuncType type, String function) {
        for (Field f : type.params()) {
            String lock = LocalTypes.lockIn(scan, f.type());
            if (lock == null) {
                continue;
            }
            String name = f.names().isEmpty() ? "a parameter" : "parameter " + f.names().get(0).name();
            scan.report(f, null, name + " of " + function + " takes " + SourceText.a(typeName(f.type())) + " by value, copying "
                    + (lock.startsWith("field ") ? "its " + lock : "it") + " on every call; pass a pointer");
        }
    }

    private static void assign(FileScan scan, Stmt.Assign a, List<Node> ancestors) {
        if (a.lhs().size() != a.rhs().size() || !(a.op().equals("=") || a.op().equals(":="))) {
            return;
        }
        for (int i = 0; i < a.rhs().size(); i++) {
            Expr lhs = a.lhs().get(i);
            if (lhs instanceof Expr.Ident id && id.name().equals("_")) {
                continue;
            }
            String target = SourceText.show(lhs);
            copied(scan, a.rhs().get(i), target == null ? "the left side" : target, LocalTypes.at(ancestors, a));
        }
    }

    /** Reports the value if it is an existing lock-holding value (a variable, field, element or dereference). */
    private static void copied(FileScan scan, Expr value, String into, List<Node> ancestors) {
        if (!existing(value)) {
            return;
        }
        Expr type = LocalTypes.typeOf(scan, value, ancestors);
        String lock = type == null ? null : LocalTypes.lockIn(scan, type);
        if (lock != null) {
            scan.report(value, null, "assigning " + shown(value) + " to " + into + " copies " + SourceText.a(holding(type, lock))
                    + "; copy a pointer, or only the fields without the lock");
        }
    }

    private static void arguments(FileScan scan, Expr.Call c, List<Node> ancestors) {
        if (c.fun() instanceof Expr.Ident f && LocalTypes.resolve(scan, f.name(), ancestors) == null
                && !scan.pkg().functions().containsKey(f.name()) && !scan.pkg().types().containsKey(f.name())) {
            return; // a builtin (len, new, ...) does not copy its operand into a value
        }
        String callee = SourceText.show(c.fun());
        for (Expr arg : c.args()) {
            if (!existing(arg)) {
                continue;
            }
            Expr type = LocalTypes.typeOf(scan, arg, ancestors);
            String lock = type == null ? null : LocalTypes.lockIn(scan, type);
            if (lock != null) {
                scan.report(arg, null, "passing " + shown(arg) + " to " + (callee == null ? "this call" : callee)
                        + " by value copies " + SourceText.a(holding(type, lock)) + "; pass a pointer");
            }
        }
    }

    /** An expression that denotes an existing value (so using it as a value copies it). */
    private static boolean existing(Expr e) {
        return switch (e) {
            case Expr.Paren p -> existing(p.x());
            case Expr.Ident id -> !id.name().equals("nil") && !id.name().equals("_");
            case Expr.Selector s -> true;
            case Expr.Index i -> true;
            case Expr.Star s -> true;
            default -> false;
        };
    }

    private static String shown(Expr e) {
        if (e instanceof Expr.Star s && SourceText.show(s.x()) != null) {
            return "*" + SourceText.show(s.x());
        }
        String name = SourceText.show(e);
        return name == null ? "this value" : name;
    }

    private static String typeName(Expr type) {
        String name = SourceText.type(type);
        if (name == null) {
            name = SyntaxPath.receiverTypeName(type); // List for List[T]
        }
        return name == null ? "value" : name;
    }

    /** "counter with its field mu (sync.Mutex)", or "sync.Mutex" for the lock itself. */
    private static String holding(Expr type, String lock) {
        return lock.startsWith("field ") ? typeName(type) + " with its " + lock : lock;
    }
}
