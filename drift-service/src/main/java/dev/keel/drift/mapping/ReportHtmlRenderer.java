package dev.keel.drift.mapping;

import dev.keel.common.text.Html;
import dev.keel.drift.service.DriftReport;
import dev.keel.drift.service.FeatureReport;
import dev.keel.drift.stats.HistogramBucket;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A drift report as one self-contained HTML page for a person: the verdict first, then features
 * sorted by score with a small reference-vs-current histogram each, drawn as inline SVG. No
 * scripts, fonts or stylesheets from anywhere else, so it can be mailed or archived as is.
 */
public final class ReportHtmlRenderer {

    private static final String REFERENCE_COLOUR = "#8da0cb";
    private static final String CURRENT_COLOUR = "#fc8d62";

    private ReportHtmlRenderer() {
    }

    public static String render(DriftReport r) {
        StringBuilder h = new StringBuilder(16_384);
        String title = "Drift report " + r.id() + " — " + r.modelName() + " v" + r.modelVersion();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append("</title><style>")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1100px}")
                .append("h1{font-size:1.5rem;margin-bottom:.2rem}.sub{color:#666;margin-top:0}")
                .append(".cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1.2rem 0}")
                .append(".card{border:1px solid #ddd;border-radius:8px;padding:.7rem 1rem;min-width:150px}")
                .append(".card b{display:block;font-size:1.4rem}.card span{color:#666;font-size:.85rem}")
                .append(".verdict-yes{background:#fdecea;border-color:#e57373}.verdict-no{background:#edf7ed;border-color:#81c784}")
                .append("table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid #eee;text-align:left;vertical-align:middle}")
                .append("th{background:#f6f6f6;font-size:.85rem}td.num{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".sev{padding:.1rem .5rem;border-radius:10px;font-size:.8rem;font-weight:600}")
                .append(".sev-none{background:#e8f5e9;color:#2e7d32}.sev-warning{background:#fff3e0;color:#e65100}.sev-critical{background:#ffebee;color:#c62828}")
                .append(".yes{color:#c62828;font-weight:600}.no{color:#2e7d32}.legend{font-size:.85rem;color:#555}")
                .append(".sw{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;vertical-align:middle}")
                .append(".bar{background:#eee;width:90px;height:8px;border-radius:4px;display:inline-block;vertical-align:middle;margin-left:.4rem}")
                .append(".bar i{display:block;height:8px;border-radius:4px}")
                .append("tr.alt td{font-size:.8rem;color:#555;border-bottom:1px solid #eee;padding-top:0}")
                .append("</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"sub\">Project ").append(esc(r.project()))
                .append(" · ").append(window(r)).append(" · ").append(esc(r.trigger())).append(" report, created ")
                .append(r.createdAt() == null ? "" : DateTimeFormatter.ISO_INSTANT.format(r.createdAt())).append("</p>\n");

        h.append("<div class=\"cards\">");
        card(h, r.datasetDrift() ? "Drift detected" : "No dataset drift", String.format(Locale.ROOT,
                "%d of %d features drifted (%.0f%%; drift at ≥ %.0f%%)", r.driftedFeatures(), r.evaluatedFeatures(),
                r.driftShare() * 100, r.driftShareThreshold() * 100), r.datasetDrift() ? "verdict-yes" : "verdict-no");
        card(h, fmt(r.driftScore()), "drift score (largest feature score) · <span class=\"sev sev-"
                + r.severity().wireName() + "\">" + r.severity().wireName() + "</span>", "");
        card(h, String.format(Locale.ROOT, "%,d", r.currentRows()), "current rows", "");
        card(h, String.format(Locale.ROOT, "%,d", r.referenceRows()), "reference rows", "");
        h.append("</div>\n");

        h.append("<p class=\"legend\">Histograms: <span class=\"sw\" style=\"background:").append(REFERENCE_COLOUR)
                .append("\"></span>reference<span class=\"sw\" style=\"background:").append(CURRENT_COLOUR)
                .append("\"></span>current. Severity: warning at score ≥ ").append(fmt(r.warningThreshold()))
                .append(", critical at ≥ ").append(fmt(r.criticalThreshold())).append(".</p>\n");

        h.append("<table><thead><tr><th>Feature</th><th>Type</th><th>Method</th><th>Statistic</th><th>p-value</th>")
                .append("<th>Threshold</th><th>Score</th><th>Drifted</th><th>Reference vs current</th></tr></thead><tbody>\n");
        List<FeatureReport> sorted = r.features().stream()
                .sorted(Comparator.comparingDouble(FeatureReport::score).reversed().thenComparing(FeatureReport::name))
                .toList();
        for (FeatureReport f : sorted) {
            h.append("<tr><td><b>").append(esc(f.name())).append("</b></td><td>").append(esc(f.type())).append("</td>");
            if (f.method() == null) {
                h.append("<td colspan=\"6\">no current values (").append(f.currentMissing()).append(" missing)</td>");
            } else {
                h.append("<td>").append(esc(f.method())).append("</td><td class=\"num\">").append(stat(f.statistic()))
                        .append("</td><td class=\"num\">").append(f.pValue() == null ? "—" : fmt(f.pValue()))
                        .append("</td><td class=\"num\">").append(fmt(f.threshold())).append("</td><td class=\"num\">")
                        .append(fmt(f.score())).append(scoreBar(f.score(), r)).append("</td><td class=\"")
                        .append(f.drifted() ? "yes\">yes" : "no\">no").append("</td>");
            }
            h.append("<td>").append(svg(f.histogram())).append("</td></tr>\n");
            if (!f.alternatives().isEmpty()) {
                h.append("<tr class=\"alt\"><td></td><td colspan=\"8\">Other methods (score, at each one's default threshold): ");
                for (int i = 0; i < f.alternatives().size(); i++) {
                    FeatureReport.Alternative a = f.alternatives().get(i);
                    h.append(i == 0 ? "" : " · ").append(esc(a.method())).append(' ').append(fmt(a.score()))
                            .append(a.drifted() ? " <span class=\"yes\">drifted</span>" : "");
                }
                h.append("</td></tr>\n");
            }
        }
        h.append("</tbody></table>\n<p class=\"legend\">Scores are on [0, 1]: the KS statistic; the total variation "
                + "distance for chi-squared and Z-tests; the distance itself, capped at 1, for Wasserstein (÷ reference "
                + "std), Jensen–Shannon and PSI. “Drifted” is each method’s own test at its threshold.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void card(StringBuilder h, String big, String small, String cls) {
        h.append("<div class=\"card ").append(cls).append("\"><b>").append(esc(big)).append("</b><span>").append(small)
                .append("</span></div>");
    }

    private static String scoreBar(double score, DriftReport r) {
        String colour = score >= r.criticalThreshold() ? "#e53935" : score >= r.warningThreshold() ? "#fb8c00" : "#43a047";
        return String.format(Locale.ROOT, "<span class=\"bar\"><i style=\"width:%.0f%%;background:%s\"></i></span>",
                Math.min(1, score) * 100, colour);
    }

    /** Paired bars per bucket, both sides scaled to the tallest share. */
    static String svg(List<HistogramBucket> buckets) {
        int width = 220;
        int height = 48;
        if (buckets == null || buckets.isEmpty()) {
            return "";
        }
        double max = 1e-12;
        for (HistogramBucket b : buckets) {
            max = Math.max(max, Math.max(b.reference(), b.current()));
        }
        double slot = (double) width / buckets.size();
        double bar = Math.max(1, slot / 2 - 0.5);
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\">");
        for (int i = 0; i < buckets.size(); i++) {
            HistogramBucket b = buckets.get(i);
            double x = i * slot;
            double hr = b.reference() / max * (height - 2);
            double hc = b.current() / max * (height - 2);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                            + "<title>%s reference %.1f%%</title></rect>", x, height - hr, bar, hr, REFERENCE_COLOUR,
                    esc(b.label()), b.reference() * 100));
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                            + "<title>%s current %.1f%%</title></rect>", x + bar, height - hc, bar, hc, CURRENT_COLOUR,
                    esc(b.label()), b.current() * 100));
        }
        s.append("<line x1=\"0\" y1=\"").append(height - 0.5).append("\" x2=\"").append(width).append("\" y2=\"")
                .append(height - 0.5).append("\" stroke=\"#999\" stroke-width=\"1\"/></svg>");
        return s.toString();
    }

    private static String window(DriftReport r) {
        if (r.windowStart() == null) {
            return "current data from an uploaded CSV";
        }
        return "predictions " + DateTimeFormatter.ISO_INSTANT.format(r.windowStart()) + " → "
                + DateTimeFormatter.ISO_INSTANT.format(r.windowEnd());
    }

    private static String stat(Object statistic) {
        if (statistic instanceof Number n) {
            return fmt(n.doubleValue());
        }
        return statistic == null ? "—" : "Infinity".equals(statistic) ? "∞" : esc(statistic.toString());
    }

    private static String fmt(Double v) {
        if (v == null) {
            return "—";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        return Html.escape(s);
    }
}
