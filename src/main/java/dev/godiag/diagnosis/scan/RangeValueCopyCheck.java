package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;
import dev.godiag.model.gosyntax.Decl;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Stmt;

/**
 * {@code for _, v := range xs} where each element is a large value (a struct or array of the
 * package, {@value #THRESHOLD} bytes or more on a 64-bit platform): every iteration copies it into
 * v. Sizes come from the field types the source spells out; a type whose size cannot be known
 * (another package's struct) counts as nothing, so a reported size is exact or a lower bound.
 */
public final class RangeValueCopyCheck implements SourceCheck {
    static final long THRESHOLD = 256;
    private static final CheckInfo INFO = new CheckInfo("scan.range-value-copy", "code.range-value-copy",
            Severity.INFO, "a range value variable copying an element of " + THRESHOLD + " bytes or more per iteration");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public void check(FileScan scan) {
        for (Decl d : scan.file().decls()) {
            SyntaxPath.walk(d, (node, ancestors) -> {
                if (!(node instanceof Stmt.Range r) || !(r.value() instanceof Expr.Ident v) || v.name().equals("_")) {
                    return;
                }
                Expr ranged = LocalTypes.typeOf(scan, r.x(), LocalTypes.at(ancestors, r));
                Expr element = LocalTypes.elementType(scan, ranged);
                if (element == null) {
                    return;
                }
                LocalTypes.Size size = LocalTypes.sizeOf(scan, element);
                if (size.bytes() < THRESHOLD) {
                    return;
                }
                String type = SourceText.type(element);
                String xs = SourceText.show(r.x());
                String index = r.key() instanceof Expr.Ident k && !k.name().equals("_") ? k.name() : "i";
                scan.report(v, r, "each iteration of this range copies " + SourceText.a(type == null ? "value" : type) + " of "
                        + (size.exact() ? "" : "at least ") + size.bytes() + " bytes into " + v.name()
                        + (LocalTypes.underlying(scan, ranged) instanceof Expr.MapType ? "; store pointers in the map"
                        : "; range over the index and use " + (xs == null ? "the element" : xs + "[" + index + "]")
                        + " or a pointer to it"));
            });
        }
    }
}
