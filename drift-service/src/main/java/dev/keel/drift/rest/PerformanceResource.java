package dev.keel.drift.rest;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Timestamps;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.service.PerformanceBucket;
import dev.keel.drift.service.PerformanceService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Realized and estimated performance of a project's model versions per time bucket. */
@Path("/api/v1/performance")
@Tag(name = "Performance")
public class PerformanceResource {

    /** Most buckets one request may compute or list, so a typo in a date cannot start a scan of years. */
    static final int MAX_BUCKETS = 10_000;
    private static final int DEFAULT_LISTED = 1000;

    private final PerformanceService performance;
    private final ModelVersionRepository versions;
    private final CurrentCaller caller;
    private final DriftConfig config;

    public PerformanceResource(PerformanceService performance, ModelVersionRepository versions, CurrentCaller caller,
                               DriftConfig config) {
        this.performance = performance;
        this.versions = versions;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("/compute")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Compute and store the realized and estimated performance buckets of a model version",
            description = "Scored by the model's objective: a binary classifier's confusion matrix, metrics and ROC-AUC "
                    + "(and the confidence-based estimate), a multi-class one's accuracy and macro averages, a regression "
                    + "model's MAE and RMSE.")
    @APIResponse(responseCode = "200", description = "The range computed (widened to whole buckets) and its buckets")
    @APIResponse(responseCode = "400", description = "Missing model_name, a malformed instant (or one outside the years 0001 "
            + "to 9999), from not before to, or too long a range")
    @APIResponse(responseCode = "404", description = "No such model or version (the field is named)")
    @APIResponse(responseCode = "422", description = "A version whose predictions are raw margins (binary:logitraw)")
    public PerformanceService.Computation compute(PerformanceComputeRequest request) {
        if (request == null || request.modelName() == null || request.modelName().isBlank()) {
            throw ProblemException.badRequest("model_name", "model_name is required");
        }
        if (request.modelVersion() != null && request.modelVersion() < 1) {
            throw ProblemException.badRequest("model_version", "model_version must be ≥ 1");
        }
        ProjectRef project = caller.project();
        Instant to = instant("to", request.to()).orElseGet(Instant::now);
        Instant from = instant("from", request.from()).orElse(to.minus(config.performance().lookback()));
        checkRange(from, to);
        ModelVersionRef version = version(project.id(), request.modelName(), request.modelVersion());
        return performance.compute(version, from, to);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.READ)
    @Operation(summary = "List stored performance buckets starting in [from, to), by model, version, start and kind")
    @APIResponse(responseCode = "200", description = "The buckets, realized and estimated")
    @APIResponse(responseCode = "400", description = "A malformed instant (or one outside the years 0001 to 9999) or kind, "
            + "or from not before to")
    @APIResponse(responseCode = "404", description = "No such model or version (the field is named)")
    public List<PerformanceBucket> list(@QueryParam("model_name") String modelName,
                                        @QueryParam("model_version") Integer modelVersion,
                                        @QueryParam("kind") String kind,
                                        @QueryParam("from") String fromText,
                                        @QueryParam("to") String toText,
                                        @QueryParam("limit") String limitText) {
        ProjectRef project = caller.project();
        Instant to = instant("to", toText).orElseGet(Instant::now);
        Instant from = instant("from", fromText).orElse(to.minus(config.performance().lookback()));
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("to", "to must be after from");
        }
        int limit = ListLimit.parse(limitText, DEFAULT_LISTED, MAX_BUCKETS);
        Optional<PerformanceBucket.Kind> kindFilter = Optional.empty();
        if (kind != null && !kind.isBlank()) {
            try {
                kindFilter = Optional.of(PerformanceBucket.Kind.of(kind.strip()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("kind", "kind must be realized or estimated");
            }
        }
        if (modelVersion != null && (modelName == null || modelName.isBlank())) {
            throw ProblemException.badRequest("model_name", "model_version needs model_name");
        }
        if (modelName != null && !modelName.isBlank()) {
            if (modelVersion != null) {
                version(project.id(), modelName, modelVersion);
            } else if (!versions.modelExists(project.id(), modelName)) {
                throw notFound("model_name", "Model '" + modelName + "' does not exist in project " + project.name());
            }
        }
        return performance.list(project.id(), Optional.ofNullable(modelName).filter(m -> !m.isBlank()),
                Optional.ofNullable(modelVersion), kindFilter, from, to, limit);
    }

    private ModelVersionRef version(long projectId, String model, Integer version) {
        return versions.find(projectId, model, Optional.ofNullable(version)).orElseThrow(() -> {
            if (!versions.modelExists(projectId, model)) {
                return notFound("model_name", "Model '" + model + "' does not exist");
            }
            return version == null
                    ? notFound("model_version", "Model '" + model + "' has no production version; name one")
                    : notFound("model_version", "Model version '" + model + ":" + version + "' does not exist");
        });
    }

    private void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("to", "to must be after from");
        }
        long buckets = (performance.alignUp(to).getEpochSecond() - performance.alignDown(from).getEpochSecond())
                / performance.bucketSeconds();
        if (buckets > MAX_BUCKETS) {
            throw ProblemException.badRequest("from", String.format(Locale.ROOT,
                    "[from, to) spans %d buckets of %s; at most %d per request", buckets,
                    config.performance().bucket(), MAX_BUCKETS));
        }
    }

    private static Optional<Instant> instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Timestamps.storable(field, Instant.parse(text.strip())));
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, field + " must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
        }
    }

    private static ProblemException notFound(String field, String detail) {
        return new ProblemException(404, "Not found", detail, field, null);
    }
}
