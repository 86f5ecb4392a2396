package dev.pagoda.core.tier;

import java.util.Locale;

/**
 * Draws a {@link LayerTimeline} as an SVG: one row per layer, time left to right, with a bar for
 * the storage read, one for the copy and one for the compute, so that overlap (or its absence) is
 * visible at a glance. Hand-written SVG, no dependencies.
 */
public final class TimelineSvg {
    private static final int ROW = 18;
    private static final int BAR = 5;
    private static final int LEFT = 90;
    private static final int WIDTH = 900;
    private static final int TOP = 30;

    private TimelineSvg() {}

    /** The SVG document for {@code timeline}, titled {@code title}. */
    public static String render(LayerTimeline timeline, String title) {
        long min = 0;
        long max = 1;
        for (LayerTimeline.LayerSpans l : timeline.layers()) {
            for (LayerTimeline.Span s : new LayerTimeline.Span[] {l.read(), l.copy(), l.compute()}) {
                if (s.present()) {
                    min = Math.min(min, s.startNanos());
                    max = Math.max(max, s.endNanos());
                }
            }
        }
        // reads and copies prefetched during the previous pass may start long before this one (the
        // caller may have paused in between): show at most as much time before 0 as after it
        min = Math.max(min, -max);
        double scale = (double) WIDTH / (max - min);
        int height = TOP + ROW * timeline.layers().size() + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"monospace\" font-size=\"11\">%n", LEFT + WIDTH + 20, height));
        svg.append(String.format(Locale.ROOT, "  <text x=\"4\" y=\"14\">%s: read (orange), copy (blue), compute (green);"
                + " %.3f ms shown</text>%n", escape(title), (max - min) / 1e6));
        double zero = LEFT + (0 - min) * scale;
        svg.append(String.format(Locale.ROOT, "  <line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
                + "stroke-dasharray=\"2,2\"/>%n", zero, TOP - 6, zero, height - 24));
        for (LayerTimeline.LayerSpans l : timeline.layers()) {
            int y = TOP + ROW * l.layer();
            svg.append(String.format(Locale.ROOT, "  <g class=\"layer\" data-layer=\"%d\" data-tier=\"%s\">%n",
                    l.layer(), l.tier()));
            svg.append(String.format(Locale.ROOT, "    <text x=\"4\" y=\"%d\">blk.%d %s</text>%n", y + 12, l.layer(), l.tier()));
            bar(svg, "read", l.read(), y, "#e69f00", min, scale);
            bar(svg, "copy", l.copy(), y + BAR, "#0072b2", min, scale);
            bar(svg, "compute", l.compute(), y + 2 * BAR, "#009e73", min, scale);
            svg.append("  </g>\n");
        }
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\">0 = start of the pass</text>%n",
                LEFT, height - 8));
        return svg.append("</svg>\n").toString();
    }

    private static void bar(StringBuilder svg, String stage, LayerTimeline.Span s, int y, String colour, long min,
            double scale) {
        if (!s.present()) {
            return;
        }
        double x = LEFT + (Math.max(s.startNanos(), min) - min) * scale;
        double w = Math.max(0.5, (s.endNanos() - Math.max(s.startNanos(), min)) * scale);
        svg.append(String.format(Locale.ROOT, "    <rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                + "fill=\"%s\"><title>%s %.3f ms</title></rect>%n", stage, x, y, w, BAR, colour, stage,
                (s.endNanos() - s.startNanos()) / 1e6));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
