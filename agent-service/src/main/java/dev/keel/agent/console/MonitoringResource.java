package dev.keel.agent.console;

import static dev.keel.agent.console.Services.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.console.Charts.Point;
import dev.keel.agent.console.Charts.Series;
import dev.keel.agent.console.Services.Service;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Drift and Quality pages: drift reports and scores over time, realised and estimated quality over time. */
@Path("/console")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class MonitoringResource {

    /** Features drawn in the per-feature drift chart: the ones drifting most in the latest report. */
    static final int FEATURES_CHARTED = 8;

    private final Template drift;
    private final Template quality;
    private final Services services;
    private final Pages pages;

    public MonitoringResource(@Location("console/drift.html") Template drift, @Location("console/quality.html") Template quality,
                              Services services, Pages pages) {
        this.drift = drift;
        this.quality = quality;
        this.services = services;
        this.pages = pages;
    }

    @GET
    @Path("/drift")
    @Operation(summary = "Console: a model's drift reports and drift score per feature over time")
    public Response drift(@QueryParam("model") String requested) {
        List<String> models = modelNames();
        String model = chosen(requested, models);
        List<Map<String, Object>> reports = model == null ? List.of()
                : pages.list(services.get(Service.DRIFT, "/api/v1/drift/reports" + query("model_name", model, "limit", 100)));
        return pages.ok(drift.data("models", models).data("model", model).data("reports", reports)
                .data("overall", overallChart(reports)).data("perFeature", featureChart(reports))
                .data("section", "drift").data("notice", null));
    }

    @GET
    @Path("/drift/reports/{id: [0-9]+}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Console: one drift report as drift-service renders it")
    public Response report(@PathParam("id") long id) {
        Services.Raw raw = services.raw(Service.DRIFT, "/api/v1/drift/reports/" + id + ".html", MediaType.TEXT_HTML);
        return Response.ok(raw.body(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:").build();
    }

    @GET
    @Path("/quality")
    @Operation(summary = "Console: a model's quality over time, realised from feedback and estimated without labels")
    public Response quality(@QueryParam("model") String requested) {
        List<String> models = modelNames();
        String model = chosen(requested, models);
        List<Map<String, Object>> buckets = model == null ? List.of()
                : pages.list(services.get(Service.DRIFT, "/api/v1/performance" + query("model_name", model, "limit", 500)));
        List<Map<String, Object>> realized = buckets.stream().filter(b -> "realized".equals(b.get("kind"))).toList();
        List<Map<String, Object>> estimated = buckets.stream().filter(b -> "estimated".equals(b.get("kind"))).toList();
        List<Map<String, Object>> traffic = estimated.isEmpty() ? realized : estimated;
        String realizedChart = Charts.timeChart("Realised quality from feedback labels", List.of(
                series("F1", 0, realized, "f1"), series("accuracy", 1, realized, "accuracy"), series("ROC-AUC", 2, realized, "roc_auc")),
                0.0, 1.0);
        String errorChart = Charts.timeChart("Realised error of a regression model from feedback labels", List.of(
                series("MAE", 0, realized, "mae"), series("RMSE", 1, realized, "rmse")), 0.0, null);
        String estimatedChart = Charts.timeChart("Estimated quality where labels are missing (confidence-based)", List.of(
                series("estimated F1", 0, estimated, "f1"), series("estimated accuracy", 1, estimated, "accuracy"),
                series("estimated ROC-AUC", 2, estimated, "roc_auc")), 0.0, 1.0);
        String trafficChart = Charts.timeChart("Predicted-positive rate and low-confidence share", List.of(
                series("predicted-positive rate", 3, traffic, "positive_rate"),
                series("low-confidence share", 4, traffic, "low_confidence_share")), 0.0, 1.0);
        List<Map<String, Object>> latest = new ArrayList<>(buckets);
        latest.sort(Comparator.comparing((Map<String, Object> b) -> String.valueOf(b.get("bucket_start"))).reversed());
        return pages.ok(quality.data("models", models).data("model", model).data("buckets", latest.stream().limit(48).toList())
                .data("realizedChart", realizedChart).data("errorChart", errorChart).data("estimatedChart", estimatedChart)
                .data("trafficChart", trafficChart).data("regression", realized.stream().anyMatch(b -> b.get("rmse") != null))
                .data("section", "quality").data("notice", null));
    }

    /** Every model's name, for the picker: the registry's pages of 200 read in turn (10,000 at most). */
    private List<String> modelNames() {
        List<String> names = new ArrayList<>();
        for (int p = 0; p < 50; p++) {
            JsonNode page = services.get(Service.REGISTRY, "/api/v1/models" + query("page", p, "size", 200));
            page.path("items").forEach(m -> names.add(m.path("name").asText()));
            if (page.path("items").size() < 200 || names.size() >= page.path("total").asLong()) {
                break;
            }
        }
        return names;
    }

    private static String chosen(String requested, List<String> models) {
        return requested != null && !requested.isBlank() ? requested : models.isEmpty() ? null : models.get(0);
    }

    private static String overallChart(List<Map<String, Object>> reports) {
        return Charts.timeChart("Drift score and share of drifted features per report", List.of(
                series("drift score", 0, reports, "drift_score"), series("drifted share", 1, reports, "drift_share")), 0.0, null);
    }

    /** One line per feature (those drifting most in the latest report), from each report's feature_scores. */
    static String featureChart(List<Map<String, Object>> reports) {
        if (reports.isEmpty()) {
            return "";
        }
        Map<String, List<Point>> byFeature = new LinkedHashMap<>();
        List<Map<String, Object>> oldestFirst = new ArrayList<>(reports);
        oldestFirst.sort(Comparator.comparing(r -> String.valueOf(r.get("created_at"))));
        for (Map<String, Object> r : oldestFirst) {
            Instant at = Format.instant(r.get("created_at"));
            if (at != null && r.get("feature_scores") instanceof Map<?, ?> scores) {
                scores.forEach((f, v) -> {
                    if (v instanceof Number n) {
                        byFeature.computeIfAbsent(String.valueOf(f), k -> new ArrayList<>()).add(new Point(at, n.doubleValue()));
                    }
                });
            }
        }
        List<String> charted = byFeature.keySet().stream()
                .sorted(Comparator.comparingDouble((String f) -> last(byFeature.get(f))).reversed()).limit(FEATURES_CHARTED).toList();
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < charted.size(); i++) {
            series.add(new Series(charted.get(i), Charts.PALETTE.get(i % Charts.PALETTE.size()), byFeature.get(charted.get(i))));
        }
        return Charts.timeChart("Drift score per feature over time", series, 0.0, null);
    }

    private static double last(List<Point> points) {
        return points.get(points.size() - 1).value();
    }

    private static Series series(String name, int color, List<Map<String, Object>> rows, String field) {
        List<Point> points = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Instant at = Format.instant(row.containsKey("bucket_start") ? row.get("bucket_start") : row.get("created_at"));
            if (at != null && row.get(field) instanceof Number n) {
                points.add(new Point(at, n.doubleValue()));
            }
        }
        points.sort(Comparator.comparing(Point::at));
        return new Series(name, Charts.PALETTE.get(color), points);
    }
}
