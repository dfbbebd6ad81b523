package dev.godiag.analysis.profile;

import dev.godiag.util.GoFormat;
import dev.godiag.util.GoPaths;

/**
 * What identifies a report node at the chosen granularity (pprof's graph.NodeInfo): two frames
 * with equal NodeInfo are one row.
 */
public record NodeInfo(String name, String origName, long address, String file, long startLine, long lineno,
                       long columnno, String objfile) {

    /** The row name pprof prints: address, function, file:line[:column], or the binary. */
    public String printableName() {
        StringBuilder sb = new StringBuilder();
        if (address != 0) {
            String hex = Long.toHexString(address);
            sb.append("0".repeat(Math.max(0, 16 - hex.length()))).append(hex);
        }
        if (!name.isEmpty()) {
            space(sb).append(name);
        }
        if (lineno != 0) {
            space(sb).append(file).append(':').append(lineno);
            if (columnno != 0) {
                sb.append(':').append(columnno);
            }
        } else if (!file.isEmpty()) {
            space(sb).append(file);
        } else if (!name.isEmpty()) {
            // the function name says it all
        } else if (!objfile.isEmpty()) {
            space(sb).append('[').append(GoPaths.base(objfile)).append(']');
        } else {
            space(sb).append("<unknown>");
        }
        return sb.toString();
    }

    private static StringBuilder space(StringBuilder sb) {
        if (!sb.isEmpty()) {
            sb.append(' ');
        }
        return sb;
    }

    /** Orders as pprof's comparePrintableName: by address when both have distinct ones, else by name. */
    static int comparePrintable(NodeInfo a, String aName, NodeInfo b, String bName) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.address != 0 && b.address != 0 && a.address != b.address) {
            return Long.compareUnsigned(a.address, b.address);
        }
        return GoFormat.compareGo(aName, bName);
    }

    /** Go's fmt.Sprint of the NodeInfo struct: pprof's last tie-breaker between nodes. */
    String goSprint() {
        return "{" + name + " " + origName + " " + Long.toUnsignedString(address) + " " + file + " " + startLine
                + " " + lineno + " " + columnno + " " + objfile + "}";
    }
}
