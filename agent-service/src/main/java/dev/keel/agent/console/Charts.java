package dev.keel.agent.console;

import dev.keel.common.text.Html;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The console's charts as inline SVG, drawn on the server: no script is needed to read them, and each
 * carries a title and a description for screen readers. Values are plain numbers; labels are escaped.
 */
public final class Charts {

    /** One line of a time chart. */
    public record Series(String name, String color, List<Point> points) {
    }

    public record Point(Instant at, double value) {
    }

    /** One bar: a label and a signed value. */
    public record Bar(String label, double value) {
    }

    /** Colours that stay apart for the common kinds of colour blindness (Okabe–Ito). */
    public static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
            "#000000", "#F0E442");

    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final int WIDTH = 720;

    private Charts() {
    }

    /** Lines over time on a shared y scale ({@code yMin}/{@code yMax} null: fitted to the data). */
    public static String timeChart(String title, List<Series> series, Double yMin, Double yMax) {
        List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return "";
        }
        int height = 260;
        int left = 56;
        int right = WIDTH - 16;
        int top = 16;
        int bottom = height - 48;
        long t0 = drawn.stream().flatMap(s -> s.points().stream()).map(Point::at).min(Comparator.naturalOrder()).orElseThrow().getEpochSecond();
        long t1 = drawn.stream().flatMap(s -> s.points().stream()).map(Point::at).max(Comparator.naturalOrder()).orElseThrow().getEpochSecond();
        double lo = yMin != null ? yMin : drawn.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::value).min().orElse(0);
        double hi = yMax != null ? yMax : drawn.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::value).max().orElse(1);
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        double span = Math.max(1, t1 - t0);
        StringBuilder svg = open(title, height);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double y = bottom - (bottom - top) * i / 4.0;
            svg.append(line(left, y, right, y, "#ddd"))
               .append(text(left - 6, y + 4, "end", format(v)));
        }
        svg.append(text(left, height - 28, "start", DAY_TIME.format(Instant.ofEpochSecond(t0))))
           .append(text(right, height - 28, "end", DAY_TIME.format(Instant.ofEpochSecond(t1)) + " UTC"));
        double legendX = left;
        for (Series s : drawn) {
            StringBuilder path = new StringBuilder();
            for (Point p : s.points()) {
                double x = left + (right - left) * (p.at().getEpochSecond() - t0) / span;
                double y = bottom - (bottom - top) * (clamp(p.value(), lo, hi) - lo) / (hi - lo);
                path.append(path.isEmpty() ? "M" : " L").append(num(x)).append(',').append(num(y));
                svg.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y)).append("\" r=\"2.5\" fill=\"")
                   .append(s.color()).append("\"><title>").append(escape(s.name())).append(' ')
                   .append(DAY_TIME.format(p.at())).append(": ").append(format(p.value())).append("</title></circle>");
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color())
               .append("\" stroke-width=\"2\"/>");
            svg.append("<rect x=\"").append(num(legendX)).append("\" y=\"").append(height - 14).append("\" width=\"12\" height=\"4\" fill=\"")
               .append(s.color()).append("\"/>").append(text(legendX + 16, height - 9, "start", s.name()));
            legendX += 24 + 7 * s.name().length();
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars around zero, largest magnitude first: SHAP contributions of one prediction. */
    public static String contributions(String title, List<Bar> bars) {
        if (bars.isEmpty()) {
            return "";
        }
        List<Bar> sorted = new ArrayList<>(bars);
        sorted.sort(Comparator.comparingDouble((Bar b) -> Math.abs(b.value())).reversed());
        int row = 22;
        int height = 24 + row * sorted.size();
        int labelWidth = 170;
        double max = sorted.stream().mapToDouble(b -> Math.abs(b.value())).max().orElse(1);
        if (max == 0) {
            max = 1;
        }
        double zero = labelWidth + (WIDTH - labelWidth - 70) / 2.0;
        double half = (WIDTH - labelWidth - 70) / 2.0;
        StringBuilder svg = open(title, height);
        svg.append(line(zero, 4, zero, height - 4, "#999"));
        int y = 12;
        for (Bar b : sorted) {
            double w = half * Math.abs(b.value()) / max;
            double x = b.value() >= 0 ? zero : zero - w;
            String color = b.value() >= 0 ? "#D55E00" : "#0072B2";
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(y).append("\" width=\"").append(num(Math.max(w, 1)))
               .append("\" height=\"").append(row - 6).append("\" fill=\"").append(color).append("\"><title>")
               .append(escape(b.label())).append(": ").append(format(b.value())).append("</title></rect>")
               .append(text(labelWidth - 8, y + 12, "end", b.label()))
               .append(text(b.value() >= 0 ? x + w + 4 : x - 4, y + 12, b.value() >= 0 ? "start" : "end", format(b.value())));
            y += row;
        }
        return svg.append("</svg>").toString();
    }

    /** An ROC curve from (false-positive rate, true-positive rate) points, with the diagonal of chance. */
    public static String roc(String title, List<double[]> points) {
        if (points.isEmpty()) {
            return "";
        }
        int size = 300;
        int pad = 40;
        double inner = size - 2.0 * pad;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ")
                .append(size).append(' ').append(size).append("\" width=\"").append(size).append("\" height=\"").append(size)
                .append("\" aria-label=\"").append(escape(title)).append("\"><title>").append(escape(title)).append("</title>");
        svg.append("<rect x=\"").append(pad).append("\" y=\"").append(pad).append("\" width=\"").append(num(inner))
           .append("\" height=\"").append(num(inner)).append("\" fill=\"none\" stroke=\"#999\"/>")
           .append(line(pad, size - pad, size - pad, pad, "#bbb"));
        StringBuilder path = new StringBuilder();
        for (double[] p : points) {
            double x = pad + inner * p[0];
            double y = size - pad - inner * p[1];
            path.append(path.isEmpty() ? "M" : " L").append(num(x)).append(',').append(num(y));
        }
        svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\"/>")
           .append(text(size / 2.0, size - 10, "middle", "false positive rate"))
           .append("<text x=\"12\" y=\"").append(size / 2).append("\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
           .append(size / 2).append(")\">true positive rate</text>")
           .append(text(pad, size - pad + 14, "middle", "0")).append(text(size - pad, size - pad + 14, "middle", "1"));
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title, int height) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" width=\"100%\" style=\"max-width:").append(WIDTH).append("px\" aria-label=\"")
                .append(escape(title)).append("\"><title>").append(escape(title)).append("</title>");
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" stroke=\"" + color + "\"/>";
    }

    private static String text(double x, double y, String anchor, String content) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"12\" text-anchor=\"" + anchor + "\">" + escape(content) + "</text>";
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** A value for a label: whole numbers from 10 up, else three decimals (String.format is too slow for thousands of points). */
    static String format(double v) {
        if (Math.abs(v) >= 1000 || v == Math.rint(v) && Math.abs(v) >= 10) {
            return Long.toString(Math.round(v));
        }
        return java.math.BigDecimal.valueOf(Math.round(v * 1000), 3).toPlainString();
    }

    /** A coordinate, to a tenth of a pixel. */
    private static String num(double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 10), 1).toPlainString();
    }

    static String escape(String s) {
        return Html.escape(s);
    }
}
