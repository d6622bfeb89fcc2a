package dev.keel.drift.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Timestamps;
import dev.keel.drift.service.MonitorService;
import dev.keel.drift.stats.FeatureDrift;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Seed 004's drift-detection API, kept field for field. Unlike the seed's, {@code /monitor/predict}
 * needs a project's API key (any role), as every /api/ path does: it answers with a project's
 * feature names and baseline and moves its drift gauges. Health and metrics stay open.
 */
@Path("/monitor")
@Tag(name = "Monitor (seed 004 contract)")
public class MonitorResource {

    private final MonitorService monitor;
    private final PrometheusMeterRegistry prometheus;

    public MonitorResource(MonitorService monitor, PrometheusMeterRegistry prometheus) {
        this.monitor = monitor;
        this.prometheus = prometheus;
    }

    /** The seed's request; {@code timestamp} is ISO-8601, with or without an offset (then UTC). */
    public record PredictRequest(Map<String, Object> features, String modelVersion, String timestamp) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PredictResponse(boolean driftDetected, double driftScore, String severity,
                                  Map<String, Double> featureScores, String timestamp) {
    }

    public record HealthResponse(String status, boolean baselineDataLoaded, String timestamp) {
    }

    @POST
    @Path("/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an observation to the model version's window and answer its drift")
    @APIResponse(responseCode = "200", description = "Drift of the window including this observation")
    @APIResponse(responseCode = "400", description = "Malformed body, model_version or timestamp")
    @APIResponse(responseCode = "401", description = "No API key, or an unknown or revoked one")
    @APIResponse(responseCode = "403", description = "model_version names another project than the key's")
    @APIResponse(responseCode = "422", description = "Unknown model version, unknown or missing features, a feature "
            + "that is not a number where one is needed, or an infinite one")
    public PredictResponse predict(PredictRequest request) {
        if (request == null || request.features() == null) {
            throw ProblemException.badRequest("features", "features is required: an object of feature name to value");
        }
        if (request.modelVersion() == null) {
            throw ProblemException.badRequest("model_version", "model_version is required: [project/]model[:version]");
        }
        if (request.timestamp() != null) {
            parseTimestamp(request.timestamp());
        }
        MonitorService.Observation o = monitor.observe(request.modelVersion(), request.features());
        Map<String, Double> scores = new LinkedHashMap<>();
        for (FeatureDrift f : o.drift().features()) {
            scores.put(f.name(), round(f.score()));
        }
        return new PredictResponse(o.driftDetected(), round(o.drift().driftScore()), o.severity().wireName(), scores,
                now());
    }

    @GET
    @Path("/health")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Service health and whether any baseline is available")
    @APIResponse(responseCode = "200", description = "Healthy")
    @APIResponse(responseCode = "503", description = "The database cannot be reached")
    public Response health() {
        try {
            return Response.ok(new HealthResponse("healthy", monitor.baselineDataLoaded(), now())).build();
        } catch (RuntimeException e) {
            return Response.status(503).entity(new HealthResponse("unhealthy", false, now())).build();
        }
    }

    @GET
    @Path("/metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    @Operation(summary = "Prometheus metrics (the same registry as /q/metrics), drift scores as gauges")
    public String metrics() {
        return prometheus.scrape();
    }

    /** The instant of an ISO-8601 {@code timestamp}; 400 naming it when malformed or outside the years 0001 to 9999. */
    static Instant parseTimestamp(String text) {
        try {
            return Timestamps.storable("timestamp", OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Timestamps.storable("timestamp", LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                throw ProblemException.badRequest("timestamp", "timestamp '" + text
                        + "' is not an ISO-8601 date-time such as 2023-05-29T10:30:00Z");
            }
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
