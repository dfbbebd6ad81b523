package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Field;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

import java.util.ArrayList;
import java.util.List;

/**
 * godiag's syntax tree printed as testdata/gen/astdump prints go/parser's: one line per node in
 * preorder, its kind, line:col and what the tree says about it, then the comments.
 */
final class TreeDump {
    private final GoFile file;
    private final List<String> lines = new ArrayList<>();

    private TreeDump(GoFile file) {
        this.file = file;
    }

    static List<String> of(GoFile file) {
        TreeDump d = new TreeDump(file);
        d.lines.add("File package=" + file.packageName().name() + " generated=" + file.generated()
                + " imports=" + file.imports().size() + " decls=" + file.decls().size());
        Node.walk(file.packageName(), d::node);
        for (Decl decl : file.decls()) {
            Node.walk(decl, d::node);
        }
        for (GoFile.Comment c : file.comments()) {
            d.line("Comment", c.pos(), text(c.text()));
        }
        return d.lines;
    }

    static String text(String s) {
        return s.replace("\r", "").replace("\\", "\\\\").replace("\n", "\\n");
    }

    private String lc(int pos) {
        return file.line(pos) + ":" + file.column(pos);
    }

    private void line(String kind, int pos, String extra) {
        lines.add(extra.isEmpty() ? kind + " " + lc(pos) : kind + " " + lc(pos) + " " + extra);
    }

    private void node(Node n) {
        switch (n) {
            case Expr.Ident x -> line("Ident", x.pos(), x.name());
            case Expr.BasicLit x -> line("BasicLit", x.pos(), x.kind() + " " + text(x.value()));
            case Expr.CompositeLit x -> line("CompositeLit", x.pos(), "type=" + (x.type() != null)
                    + " elements=" + x.elements().size() + " end=" + lc(x.end()));
            case Expr.FuncLit x -> line("FuncLit", x.pos(), "");
            case Expr.Paren x -> line("Paren", x.pos(), "");
            case Expr.Selector x -> line("Selector", x.pos(), "");
            case Expr.Index x -> line("Index", x.pos(), "indices=" + x.indices().size());
            case Expr.Slice x -> line("Slice", x.pos(), "low=" + (x.low() != null) + " high=" + (x.high() != null)
                    + " max=" + (x.max() != null) + " three=" + x.threeIndex());
            case Expr.TypeAssert x -> line("TypeAssert", x.pos(), "type=" + (x.type() != null));
            case Expr.Call x -> line("Call", x.pos(), "args=" + x.args().size() + " ellipsis=" + x.ellipsis()
                    + " end=" + lc(x.end()));
            case Expr.Star x -> line("Star", x.pos(), "");
            case Expr.Unary x -> line("Unary", x.pos(), x.op());
            case Expr.Binary x -> line("Binary", x.pos(), x.op());
            case Expr.KeyValue x -> line("KeyValue", x.pos(), "");
            case Expr.ArrayType x -> line("ArrayType", x.pos(), "length=" + (x.length() != null));
            case Expr.StructType x -> line("StructType", x.pos(), "fields=" + x.fields().size());
            case Expr.FuncType x -> line("FuncType", x.pos(), "typeparams=" + x.typeParams().size()
                    + " params=" + x.params().size() + " results=" + x.results().size());
            case Expr.InterfaceType x -> line("InterfaceType", x.pos(), "elements=" + x.elements().size());
            case Expr.MapType x -> line("MapType", x.pos(), "");
            case Expr.ChanType x -> line("ChanType", x.pos(), x.dir().name());
            case Expr.Ellipsis x -> line("Ellipsis", x.pos(), "element=" + (x.element() != null));
            case Stmt.DeclStmt x -> line("DeclStmt", x.pos(), "");
            case Stmt.Empty x -> line("Empty", x.pos(), "");
            case Stmt.Labeled x -> line("Labeled", x.pos(), "");
            case Stmt.ExprStmt x -> line("ExprStmt", x.pos(), "");
            case Stmt.Send x -> line("Send", x.pos(), "");
            case Stmt.IncDec x -> line("IncDec", x.pos(), x.increment() ? "++" : "--");
            case Stmt.Assign x -> line("Assign", x.pos(), x.op() + " lhs=" + x.lhs().size() + " rhs=" + x.rhs().size());
            case Stmt.Go x -> line("Go", x.pos(), "");
            case Stmt.Defer x -> line("Defer", x.pos(), "");
            case Stmt.Return x -> line("Return", x.pos(), "results=" + x.results().size());
            case Stmt.Branch x -> line("Branch", x.pos(), x.keyword() + " label=" + (x.label() != null));
            case Stmt.Block x -> line("Block", x.pos(), "stmts=" + x.stmts().size() + " end=" + lc(x.end()));
            case Stmt.If x -> line("If", x.pos(), "init=" + (x.init() != null) + " else=" + (x.otherwise() != null));
            case Stmt.CaseClause x -> line("CaseClause", x.pos(),
                    (x.isDefault() ? "default" : "values=" + x.values().size()) + " body=" + x.body().size());
            case Stmt.Switch x -> line("Switch", x.pos(), "init=" + (x.init() != null) + " tag=" + (x.tag() != null));
            case Stmt.TypeSwitch x -> line("TypeSwitch", x.pos(), "init=" + (x.init() != null));
            case Stmt.CommClause x -> line("CommClause", x.pos(), "comm=" + (x.comm() != null) + " body=" + x.body().size());
            case Stmt.Select x -> line("Select", x.pos(), "");
            case Stmt.For x -> line("For", x.pos(), "init=" + (x.init() != null) + " cond=" + (x.cond() != null)
                    + " post=" + (x.post() != null));
            case Stmt.Range x -> line("Range", x.pos(), "key=" + (x.key() != null) + " value=" + (x.value() != null)
                    + " op=" + (x.op() == null ? "-" : x.op()));
            case Decl.GenDecl x -> line("GenDecl", x.pos(), x.keyword() + " specs=" + x.specs().size());
            case Decl.FuncDecl x -> line("FuncDecl", x.pos(), "recv=" + (x.receiver() != null) + " body=" + (x.body() != null));
            case Decl.ImportSpec x -> line("ImportSpec", x.pos(), "name=" + (x.name() != null) + " path=" + text(x.path()));
            case Decl.ValueSpec x -> line("ValueSpec", x.pos(), "names=" + x.names().size() + " type=" + (x.type() != null)
                    + " values=" + x.values().size());
            case Decl.TypeSpec x -> line("TypeSpec", x.pos(), "typeparams=" + x.typeParams().size() + " alias=" + x.alias());
            case Field x -> line("Field", x.pos(), "names=" + x.names().size() + " type=" + (x.type() != null)
                    + " tag=" + (x.tag() == null ? "-" : text(x.tag())));
        }
    }
}
