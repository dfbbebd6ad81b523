package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;

/** Where a node ends: the syntax tree keeps start offsets, and ends only where a brace closes. */
final class Spans {
    private Spans() {
    }

    /** The offset of the node's last token, or of the last token known to be in it. */
    static int end(Node node) {
        int[] max = {node.pos()};
        Node.walk(node, n -> max[0] = Math.max(max[0], switch (n) {
            case Stmt.Block b -> b.end();
            case Expr.Call c -> c.end();
            case Expr.CompositeLit c -> c.end();
            default -> n.pos();
        }));
        return max[0];
    }
}
