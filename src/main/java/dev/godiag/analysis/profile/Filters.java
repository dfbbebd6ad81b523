package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The user's sample filters, applied in pprof's order (its applyFocus): by name, show_from, by
 * tag, tag visibility, prune_from. Empty strings mean "not set".
 */
public record Filters(String focus, String ignore, String hide, String show, String showFrom, String tagFocus,
                      String tagIgnore, String tagShow, String tagHide, String pruneFrom) {
    public static final Filters NONE = new Filters("", "", "", "", "", "", "", "", "", "");

    public Filters {
        focus = nz(focus);
        ignore = nz(ignore);
        hide = nz(hide);
        show = nz(show);
        showFrom = nz(showFrom);
        tagFocus = nz(tagFocus);
        tagIgnore = nz(tagIgnore);
        tagShow = nz(tagShow);
        tagHide = nz(tagHide);
        pruneFrom = nz(pruneFrom);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The "Active filters:" entries pprof lists, in its order. */
    public List<String> active() {
        List<String> out = new ArrayList<>();
        add(out, "focus", focus);
        add(out, "ignore", ignore);
        add(out, "hide", hide);
        add(out, "show", show);
        add(out, "show_from", showFrom);
        add(out, "tagfocus", tagFocus);
        add(out, "tagignore", tagIgnore);
        add(out, "tagshow", tagShow);
        add(out, "taghide", tagHide);
        return out;
    }

    private static void add(List<String> out, String k, String v) {
        if (!v.isEmpty()) {
            out.add(k + "=" + v);
        }
    }

    /**
     * Applies the filters. Warnings pprof would print ("Focus expression matched no samples")
     * are added to warnings.
     */
    public Profile apply(Profile p, List<String> warnings) {
        Pattern focusRx = SampleFilter.compile("focus", focus);
        Pattern ignoreRx = SampleFilter.compile("ignore", ignore);
        Pattern hideRx = SampleFilter.compile("hide", hide);
        Pattern showRx = SampleFilter.compile("show", show);
        Pattern showFromRx = SampleFilter.compile("show_from", showFrom);
        Map<String, String> numUnits = SampleFilter.numLabelUnits(p);
        SampleFilter.TagMatch tagFocusM = SampleFilter.compileTagFilter("tagfocus", tagFocus, numUnits, warnings);
        SampleFilter.TagMatch tagIgnoreM = SampleFilter.compileTagFilter("tagignore", tagIgnore, numUnits, warnings);
        Pattern pruneRx = SampleFilter.compile("prune_from", pruneFrom);
        SampleFilter.compile("tagshow", tagShow);
        SampleFilter.compile("taghide", tagHide);

        SampleFilter.Filtered byName = SampleFilter.byName(p, focusRx, ignoreRx, hideRx, showRx);
        warn(warnings, focusRx == null || byName.matches().focus(), "Focus");
        warn(warnings, ignoreRx == null || byName.matches().ignore(), "Ignore");
        warn(warnings, hideRx == null || byName.matches().hide(), "Hide");
        warn(warnings, showRx == null || byName.matches().show(), "Show");
        Profile out = byName.profile();
        if (showFromRx != null) {
            SampleFilter.ShowFrom sf = SampleFilter.showFrom(out, showFromRx);
            warn(warnings, sf.matched(), "ShowFrom");
            out = sf.profile();
        }
        if (tagFocusM != null || tagIgnoreM != null) {
            SampleFilter.TagFiltered tf = SampleFilter.byTag(out, tagFocusM, tagIgnoreM);
            warn(warnings, tagFocusM == null || tf.focusMatched(), "TagFocus");
            warn(warnings, tagIgnoreM == null || tf.ignoreMatched(), "TagIgnore");
            out = tf.profile();
        }
        if (pruneRx != null) {
            out = FramePruner.pruneFrom(out, pruneRx);
        }
        return out;
    }

    private static void warn(List<String> warnings, boolean matched, String option) {
        if (!matched) {
            warnings.add(option + " expression matched no samples");
        }
    }
}
