package dev.godiag.analysis.profile;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Profile;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.List;

/** Which sample value a report uses, chosen as pprof's -sample_index does. */
public final class SampleIndex {
    private SampleIndex() {
    }

    /**
     * Resolves a sample index: "" means the profile's default_sample_type, else the last type; a
     * number is an index; a name matches a type, with "inuse_" optional (so "space" works for
     * inuse_space).
     */
    public static int resolve(Profile p, String sampleIndex) {
        List<ValueType> types = p.sampleTypes();
        if (types.isEmpty()) {
            throw new BadInputException("profile has no samples");
        }
        if (sampleIndex == null || sampleIndex.isEmpty()) {
            String dst = p.defaultSampleType();
            if (!dst.isEmpty()) {
                for (int i = 0; i < types.size(); i++) {
                    if (types.get(i).type().equals(dst)) {
                        return i;
                    }
                }
            }
            return types.size() - 1;
        }
        if (isInteger(sampleIndex)) {
            int i;
            try {
                i = Integer.parseInt(sampleIndex);
            } catch (NumberFormatException e) {
                i = -1;
            }
            if (i < 0 || i >= types.size()) {
                throw new BadInputException("sample_index " + sampleIndex + " is outside the range [0.."
                        + (types.size() - 1) + "]");
            }
            return i;
        }
        String noInuse = sampleIndex.startsWith("inuse_") ? sampleIndex.substring(6) : sampleIndex;
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i).type();
            if (t.equals(sampleIndex) || t.equals(noInuse)) {
                return i;
            }
        }
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.type()));
        throw new BadInputException("sample_index \"" + sampleIndex + "\" must be one of: " + names);
    }

    private static boolean isInteger(String s) {
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (i == s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * pprof's report total: the sum of |value| over all samples, or, when samples from a diff base
     * are present, over those alone (so percentages are relative to the base).
     */
    public static long total(Profile p, int index) {
        return total(p, index, -1);
    }

    /** The report total with pprof's -mean: the sum of |value| over the sum of the divisor (index 0). */
    public static long total(Profile p, int index, int divisorIndex) {
        var s = p.samples();
        long total = 0;
        long div = 0;
        long diffTotal = 0;
        long diffDiv = 0;
        boolean labels = s.hasLabels();
        for (int i = 0; i < s.size(); i++) {
            long v = Math.abs(s.value(i, index));
            long d = divisorIndex < 0 ? 0 : s.value(i, divisorIndex);
            total += v;
            div += d;
            if (labels && s.hasLabel(i, ProfileMerger.DIFF_BASE_LABEL, "true")) {
                diffTotal += v;
                diffDiv += d;
            }
        }
        if (diffTotal > 0) {
            total = diffTotal;
            div = diffDiv;
        }
        return div != 0 ? total / div : total;
    }
}
