// Command astdump parses Go files with go/parser and prints each syntax tree in preorder, one
// line per node, in the shape of godiag's syntax tree (go/ast nodes that godiag merges are
// printed merged): the oracle of godiag's Go parser.
//
// It reads file paths, one a line, from stdin; for each it prints "=== PATH", then either
// "ERROR line:col" (the first error go/parser reports) or the tree and the comments.
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"strconv"
	"strings"
)

type dumper struct {
	fset *token.FileSet
	w    *bufio.Writer
}

func main() {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer w.Flush()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		path := in.Text()
		if path == "" {
			continue
		}
		fmt.Fprintf(w, "=== %s\n", path)
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(w, "READ %v\n", err)
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
				fmt.Fprintf(w, "ERROR %d:%d\n", list[0].Pos.Line, list[0].Pos.Column)
			} else {
				fmt.Fprintf(w, "ERROR %v\n", err)
			}
			continue
		}
		d := &dumper{fset: fset, w: w}
		if recv := oddReceiver(f); recv != nil {
			// godiag's tree holds one receiver; go/parser leaves these to the type checker
			fmt.Fprintf(w, "ERROR %s receiver list\n", d.lc(recv.Pos()))
			continue
		}
		d.file(f)
	}
}

// oddReceiver is a method's receiver list that does not declare exactly one receiver.
func oddReceiver(f *ast.File) *ast.FieldList {
	for _, decl := range f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv != nil {
			if len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) > 1 {
				return fd.Recv
			}
		}
	}
	return nil
}

func (d *dumper) lc(p token.Pos) string {
	pos := d.fset.PositionFor(p, false)
	return fmt.Sprintf("%d:%d", pos.Line, pos.Column)
}

func (d *dumper) node(kind string, p token.Pos, extra string) {
	d.w.WriteString(kind)
	d.w.WriteByte(' ')
	d.w.WriteString(d.lc(p))
	if extra != "" {
		d.w.WriteByte(' ')
		d.w.WriteString(extra)
	}
	d.w.WriteByte('\n')
}

// text makes a literal or comment one line: carriage returns dropped (go/scanner drops most of
// them), newlines escaped.
func text(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\\", "\\\\")
	return strings.ReplaceAll(s, "\n", "\\n")
}

func (d *dumper) file(f *ast.File) {
	fmt.Fprintf(d.w, "File package=%s generated=%v imports=%d decls=%d\n",
		f.Name.Name, generated(f), len(f.Imports), len(f.Decls))
	d.expr(f.Name)
	for _, decl := range f.Decls {
		d.decl(decl)
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			d.node("Comment", c.Pos(), text(c.Text))
		}
	}
}

// generated is ast.IsGenerated's rule (Go 1.21), written out so that Go 1.19 builds this.
func generated(f *ast.File) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if c.Pos() > f.Package {
				return false
			}
			for _, line := range strings.Split(c.Text, "\n") {
				if strings.HasPrefix(line, "// Code generated ") && strings.HasSuffix(line, " DO NOT EDIT.") &&
					len(line) >= len("// Code generated ")+len(" DO NOT EDIT.") {
					return true
				}
			}
		}
	}
	return false
}

func (d *dumper) decl(decl ast.Decl) {
	switch x := decl.(type) {
	case *ast.GenDecl:
		d.node("GenDecl", x.Pos(), fmt.Sprintf("%s specs=%d", x.Tok, len(x.Specs)))
		for _, s := range x.Specs {
			d.spec(s)
		}
	case *ast.FuncDecl:
		d.node("FuncDecl", x.Pos(), fmt.Sprintf("recv=%v body=%v", x.Recv != nil, x.Body != nil))
		if x.Recv != nil {
			d.fields(x.Recv)
		}
		d.expr(x.Name)
		d.expr(x.Type)
		if x.Body != nil {
			d.stmt(x.Body)
		}
	default:
		d.w.WriteString(fmt.Sprintf("UNEXPECTED %T\n", decl))
	}
}

func (d *dumper) spec(spec ast.Spec) {
	switch x := spec.(type) {
	case *ast.ImportSpec:
		path, err := strconv.Unquote(x.Path.Value)
		if err != nil {
			path = "UNQUOTABLE " + x.Path.Value
		}
		d.node("ImportSpec", x.Pos(), fmt.Sprintf("name=%v path=%s", x.Name != nil, text(path)))
		if x.Name != nil {
			d.expr(x.Name)
		}
	case *ast.ValueSpec:
		d.node("ValueSpec", x.Pos(), fmt.Sprintf("names=%d type=%v values=%d", len(x.Names), x.Type != nil, len(x.Values)))
		for _, n := range x.Names {
			d.expr(n)
		}
		if x.Type != nil {
			d.expr(x.Type)
		}
		d.exprs(x.Values)
	case *ast.TypeSpec:
		d.node("TypeSpec", x.Pos(), fmt.Sprintf("typeparams=%d alias=%v", count(x.TypeParams), x.Assign.IsValid()))
		d.expr(x.Name)
		d.fields(x.TypeParams)
		d.expr(x.Type)
	}
}

func count(l *ast.FieldList) int {
	if l == nil {
		return 0
	}
	return len(l.List)
}

func (d *dumper) fields(l *ast.FieldList) {
	if l == nil {
		return
	}
	for _, f := range l.List {
		tag := "-"
		if f.Tag != nil {
			tag = text(f.Tag.Value)
		}
		d.node("Field", f.Pos(), fmt.Sprintf("names=%d type=%v tag=%s", len(f.Names), f.Type != nil, tag))
		for _, n := range f.Names {
			d.expr(n)
		}
		if f.Type != nil {
			d.expr(f.Type)
		}
	}
}

func (d *dumper) exprs(list []ast.Expr) {
	for _, e := range list {
		d.expr(e)
	}
}

func (d *dumper) expr(e ast.Expr) {
	switch x := e.(type) {
	case *ast.Ident:
		d.node("Ident", x.Pos(), x.Name)
	case *ast.BasicLit:
		d.node("BasicLit", x.Pos(), x.Kind.String()+" "+text(x.Value))
	case *ast.CompositeLit:
		d.node("CompositeLit", x.Pos(), fmt.Sprintf("type=%v elements=%d end=%s", x.Type != nil, len(x.Elts), d.lc(x.Rbrace)))
		if x.Type != nil {
			d.expr(x.Type)
		}
		d.exprs(x.Elts)
	case *ast.FuncLit:
		d.node("FuncLit", x.Pos(), "")
		d.expr(x.Type)
		d.stmt(x.Body)
	case *ast.ParenExpr:
		d.node("Paren", x.Pos(), "")
		d.expr(x.X)
	case *ast.SelectorExpr:
		d.node("Selector", x.Pos(), "")
		d.expr(x.X)
		d.expr(x.Sel)
	case *ast.IndexExpr:
		d.node("Index", x.Pos(), "indices=1")
		d.expr(x.X)
		d.expr(x.Index)
	case *ast.IndexListExpr:
		d.node("Index", x.Pos(), fmt.Sprintf("indices=%d", len(x.Indices)))
		d.expr(x.X)
		d.exprs(x.Indices)
	case *ast.SliceExpr:
		d.node("Slice", x.Pos(), fmt.Sprintf("low=%v high=%v max=%v three=%v", x.Low != nil, x.High != nil, x.Max != nil, x.Slice3))
		d.expr(x.X)
		for _, b := range []ast.Expr{x.Low, x.High, x.Max} {
			if b != nil {
				d.expr(b)
			}
		}
	case *ast.TypeAssertExpr:
		d.node("TypeAssert", x.Pos(), fmt.Sprintf("type=%v", x.Type != nil))
		d.expr(x.X)
		if x.Type != nil {
			d.expr(x.Type)
		}
	case *ast.CallExpr:
		d.node("Call", x.Pos(), fmt.Sprintf("args=%d ellipsis=%v end=%s", len(x.Args), x.Ellipsis.IsValid(), d.lc(x.Rparen)))
		d.expr(x.Fun)
		d.exprs(x.Args)
	case *ast.StarExpr:
		d.node("Star", x.Pos(), "")
		d.expr(x.X)
	case *ast.UnaryExpr:
		d.node("Unary", x.Pos(), x.Op.String())
		d.expr(x.X)
	case *ast.BinaryExpr:
		d.node("Binary", x.Pos(), x.Op.String())
		d.expr(x.X)
		d.expr(x.Y)
	case *ast.KeyValueExpr:
		d.node("KeyValue", x.Pos(), "")
		d.expr(x.Key)
		d.expr(x.Value)
	case *ast.ArrayType:
		d.node("ArrayType", x.Pos(), fmt.Sprintf("length=%v", x.Len != nil))
		if x.Len != nil {
			d.expr(x.Len)
		}
		d.expr(x.Elt)
	case *ast.StructType:
		d.node("StructType", x.Pos(), fmt.Sprintf("fields=%d", count(x.Fields)))
		d.fields(x.Fields)
	case *ast.FuncType:
		d.node("FuncType", x.Pos(), fmt.Sprintf("typeparams=%d params=%d results=%d",
			count(x.TypeParams), count(x.Params), count(x.Results)))
		d.fields(x.TypeParams)
		d.fields(x.Params)
		d.fields(x.Results)
	case *ast.InterfaceType:
		d.node("InterfaceType", x.Pos(), fmt.Sprintf("elements=%d", count(x.Methods)))
		d.fields(x.Methods)
	case *ast.MapType:
		d.node("MapType", x.Pos(), "")
		d.expr(x.Key)
		d.expr(x.Value)
	case *ast.ChanType:
		dir := "BOTH"
		if x.Dir == ast.SEND {
			dir = "SEND"
		} else if x.Dir == ast.RECV {
			dir = "RECV"
		}
		d.node("ChanType", x.Pos(), dir)
		d.expr(x.Value)
	case *ast.Ellipsis:
		d.node("Ellipsis", x.Pos(), fmt.Sprintf("element=%v", x.Elt != nil))
		if x.Elt != nil {
			d.expr(x.Elt)
		}
	default:
		d.w.WriteString(fmt.Sprintf("UNEXPECTED %T\n", e))
	}
}

func (d *dumper) stmts(list []ast.Stmt) {
	for _, s := range list {
		d.stmt(s)
	}
}

func (d *dumper) stmt(s ast.Stmt) {
	switch x := s.(type) {
	case *ast.DeclStmt:
		d.node("DeclStmt", x.Pos(), "")
		d.decl(x.Decl)
	case *ast.EmptyStmt:
		d.node("Empty", x.Pos(), "")
	case *ast.LabeledStmt:
		d.node("Labeled", x.Pos(), "")
		d.expr(x.Label)
		d.stmt(x.Stmt)
	case *ast.ExprStmt:
		d.node("ExprStmt", x.Pos(), "")
		d.expr(x.X)
	case *ast.SendStmt:
		d.node("Send", x.Pos(), "")
		d.expr(x.Chan)
		d.expr(x.Value)
	case *ast.IncDecStmt:
		d.node("IncDec", x.Pos(), x.Tok.String())
		d.expr(x.X)
	case *ast.AssignStmt:
		d.node("Assign", x.Pos(), fmt.Sprintf("%s lhs=%d rhs=%d", x.Tok, len(x.Lhs), len(x.Rhs)))
		d.exprs(x.Lhs)
		d.exprs(x.Rhs)
	case *ast.GoStmt:
		d.node("Go", x.Pos(), "")
		d.expr(x.Call)
	case *ast.DeferStmt:
		d.node("Defer", x.Pos(), "")
		d.expr(x.Call)
	case *ast.ReturnStmt:
		d.node("Return", x.Pos(), fmt.Sprintf("results=%d", len(x.Results)))
		d.exprs(x.Results)
	case *ast.BranchStmt:
		d.node("Branch", x.Pos(), fmt.Sprintf("%s label=%v", x.Tok, x.Label != nil))
		if x.Label != nil {
			d.expr(x.Label)
		}
	case *ast.BlockStmt:
		d.node("Block", x.Pos(), fmt.Sprintf("stmts=%d end=%s", len(x.List), d.lc(x.Rbrace)))
		d.stmts(x.List)
	case *ast.IfStmt:
		d.node("If", x.Pos(), fmt.Sprintf("init=%v else=%v", x.Init != nil, x.Else != nil))
		if x.Init != nil {
			d.stmt(x.Init)
		}
		d.expr(x.Cond)
		d.stmt(x.Body)
		if x.Else != nil {
			d.stmt(x.Else)
		}
	case *ast.CaseClause:
		values := "default"
		if x.List != nil {
			values = fmt.Sprintf("values=%d", len(x.List))
		}
		d.node("CaseClause", x.Pos(), fmt.Sprintf("%s body=%d", values, len(x.Body)))
		d.exprs(x.List)
		d.stmts(x.Body)
	case *ast.SwitchStmt:
		d.node("Switch", x.Pos(), fmt.Sprintf("init=%v tag=%v", x.Init != nil, x.Tag != nil))
		if x.Init != nil {
			d.stmt(x.Init)
		}
		if x.Tag != nil {
			d.expr(x.Tag)
		}
		d.stmt(x.Body)
	case *ast.TypeSwitchStmt:
		d.node("TypeSwitch", x.Pos(), fmt.Sprintf("init=%v", x.Init != nil))
		if x.Init != nil {
			d.stmt(x.Init)
		}
		d.stmt(x.Assign)
		d.stmt(x.Body)
	case *ast.CommClause:
		d.node("CommClause", x.Pos(), fmt.Sprintf("comm=%v body=%d", x.Comm != nil, len(x.Body)))
		if x.Comm != nil {
			d.stmt(x.Comm)
		}
		d.stmts(x.Body)
	case *ast.SelectStmt:
		d.node("Select", x.Pos(), "")
		d.stmt(x.Body)
	case *ast.ForStmt:
		d.node("For", x.Pos(), fmt.Sprintf("init=%v cond=%v post=%v", x.Init != nil, x.Cond != nil, x.Post != nil))
		if x.Init != nil {
			d.stmt(x.Init)
		}
		if x.Cond != nil {
			d.expr(x.Cond)
		}
		if x.Post != nil {
			d.stmt(x.Post)
		}
		d.stmt(x.Body)
	case *ast.RangeStmt:
		op := "-"
		if x.Tok != token.ILLEGAL {
			op = x.Tok.String()
		}
		d.node("Range", x.Pos(), fmt.Sprintf("key=%v value=%v op=%s", x.Key != nil, x.Value != nil, op))
		if x.Key != nil {
			d.expr(x.Key)
		}
		if x.Value != nil {
			d.expr(x.Value)
		}
		d.expr(x.X)
		d.stmt(x.Body)
	default:
		d.w.WriteString(fmt.Sprintf("UNEXPECTED %T\n", s))
	}
}
