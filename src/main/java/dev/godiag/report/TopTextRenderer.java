package dev.godiag.report;

import dev.godiag.util.GoFormat;

/** pprof's -top text: the legend, then "flat flat% sum% cum cum%" rows, byte for byte. */
public final class TopTextRenderer {
    private TopTextRenderer() {
    }

    public static String render(TopView v) {
        StringBuilder sb = new StringBuilder(256 + v.rows().size() * 80);
        for (String l : v.legend()) {
            sb.append(l).append('\n');
        }
        sb.append("      flat  flat%   sum%        cum   cum%\n");
        for (TopView.Line line : v.rows()) {
            sb.append(GoFormat.padLeft(line.flat(), 10)).append(' ')
                    .append(line.flatPercent()).append(' ')
                    .append(line.sumPercent()).append(' ')
                    .append(GoFormat.padLeft(line.cum(), 10)).append(' ')
                    .append(line.cumPercent()).append("  ")
                    .append(line.row().name());
            if (!line.row().inlineLabel().isEmpty()) {
                sb.append(' ').append(line.row().inlineLabel());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
