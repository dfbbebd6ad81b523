package dev.godiag.analysis.profile;

/**
 * How frames become report nodes.
 *
 * @param granularity what a node stands for
 * @param noInlines   attribute inlined frames to their outermost caller (pprof's -noinlines)
 * @param showColumns keep column numbers at line granularity (pprof's -showcolumns)
 * @param trimPath    path prefixes to cut from file names (pprof's -trim_path), may be empty
 */
public record NodeOptions(Granularity granularity, boolean noInlines, boolean showColumns, String trimPath) {
    public static final NodeOptions DEFAULT = new NodeOptions(Granularity.FUNCTIONS, false, false, "");

    public NodeOptions {
        trimPath = trimPath == null ? "" : trimPath;
    }
}
