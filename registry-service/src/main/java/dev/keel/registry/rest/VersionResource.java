package dev.keel.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.problem.JsonProcessingExceptionMapper;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.registry.api.EvaluationView;
import dev.keel.registry.api.ModelNames;
import dev.keel.registry.api.PageView;
import dev.keel.registry.api.StageChangeRequest;
import dev.keel.registry.api.TransitionView;
import dev.keel.registry.api.UpdateVersionRequest;
import dev.keel.registry.api.VersionMetadata;
import dev.keel.registry.api.VersionView;
import dev.keel.registry.service.EvaluationService;
import dev.keel.registry.service.ModelArtifact;
import dev.keel.registry.service.StageService;
import dev.keel.registry.service.VersionService;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Encoding;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/models/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Versions")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "forbidden", value = Examples.FORBIDDEN)))
public class VersionResource {

    static final String CHECKSUM_HEADER = "X-Checksum-SHA256";
    private static final JsonProcessingExceptionMapper JSON_ERRORS = new JsonProcessingExceptionMapper();

    private final VersionService versions;
    private final StageService stages;
    private final EvaluationService evaluations;
    private final CurrentCaller caller;
    private final Paging paging;
    private final ObjectMapper mapper;
    private final Validator validator;

    public VersionResource(VersionService versions, StageService stages, EvaluationService evaluations,
                           CurrentCaller caller, Paging paging, ObjectMapper mapper, Validator validator) {
        this.versions = versions;
        this.stages = stages;
        this.evaluations = evaluations;
        this.caller = caller;
        this.paging = paging;
        this.mapper = mapper;
        this.validator = validator;
    }

    /** The multipart body of a registration, for the OpenAPI document. */
    @Schema(name = "VersionUpload")
    static class VersionUpload {
        @Schema(type = SchemaType.STRING, format = "binary", required = true,
                description = "The XGBoost model saved as JSON (save_model(\"model.json\"))")
        public String artifact;
        @Schema(implementation = VersionMetadata.class, description = "Optional metadata, as application/json")
        public VersionMetadata metadata;
    }

    /** The multipart body of an evaluation, for the OpenAPI document. */
    @Schema(name = "EvaluationUpload")
    static class EvaluationUpload {
        @Schema(type = SchemaType.STRING, format = "binary", required = true,
                description = "Labelled CSV with a header row: a column per feature of the version's schema, and the label")
        public String data;
        @Schema(description = "The label column (0/1 or true/false for a binary classifier, a class index for a multi-class "
                + "one, a number for a regression model); the last column when absent")
        public String target;
        @Schema(description = "A binary classifier's probability cut-off; the version's decision_threshold when absent",
                minimum = "0", maximum = "1")
        public Double threshold;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Register a new version", description = "Write role. Numbered 1, 2, 3... per model; creates "
            + "the model if needed. The artifact (XGBoost's JSON, or its UBJSON, which is kept as the same model in JSON) "
            + "must load in Keel's pure-Java XGBoost runtime. Without feature_schema "
            + "the feature names and types come from the model file. With metadata.training_run_id the upload is "
            + "idempotent: the same run's same artifact again answers the version it made (200), not a new one.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = VersionUpload.class),
            encoding = @Encoding(name = "metadata", contentType = MediaType.APPLICATION_JSON),
            examples = @ExampleObject(name = "metadata part", value = Examples.METADATA)))
    @APIResponse(responseCode = "201", description = "Registered; Location names the version",
            content = @Content(schema = @Schema(implementation = VersionView.class),
                    examples = @ExampleObject(name = "version", value = Examples.VERSION)))
    @APIResponse(responseCode = "200", description = "This training run's version was registered before (a retried "
            + "upload): the registered version, named by Content-Location",
            content = @Content(schema = @Schema(implementation = VersionView.class),
                    examples = @ExampleObject(name = "version", value = Examples.VERSION)))
    @APIResponse(responseCode = "400", description = "No artifact part, or metadata that is not the expected JSON")
    @APIResponse(responseCode = "409", description = "The training run named by metadata.training_run_id registered "
            + "a different artifact", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "The artifact is not a usable XGBoost model (JSON or UBJSON), or the metadata "
            + "does not fit it", content = @Content(mediaType = Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "bad artifact", value = Examples.BAD_ARTIFACT)))
    public Response register(@PathParam("name") @Pattern(regexp = ModelNames.PATTERN, message = ModelNames.MESSAGE) String name,
                             @RestForm("artifact") FileUpload artifact, @RestForm("metadata") String metadata,
                             @Context UriInfo uri) {
        ModelArtifact parsed = ModelArtifact.parse(read(artifact, "artifact"), "artifact");
        VersionService.Registration registration = versions.register(caller.project(), name, parsed, metadata(metadata),
                caller.actor());
        URI location = uri.getAbsolutePathBuilder().path(String.valueOf(registration.version().version())).build();
        return registration.created()
                ? Response.created(location).entity(registration.version()).build()
                : Response.ok(registration.version()).header(HttpHeaders.CONTENT_LOCATION, location).build();
    }

    @GET
    @Operation(summary = "List a model's versions",
            description = "Paged, newest first; baseline_stats is left out (GET the version for it).")
    @APIResponse(responseCode = "200", description = "A page of versions",
            content = @Content(schema = @Schema(implementation = PageView.class),
                    examples = @ExampleObject(name = "versions", value = Examples.VERSIONS)))
    @APIResponse(responseCode = "404", description = "No such model")
    public PageView<VersionView> list(@PathParam("name") String name, @QueryParam("page") Integer page,
                                      @QueryParam("size") Integer size) {
        return versions.list(caller.project(), name, paging.page(page), paging.size(size));
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "Get a version")
    @APIResponse(responseCode = "200", description = "The version",
            content = @Content(schema = @Schema(implementation = VersionView.class),
                    examples = @ExampleObject(name = "version", value = Examples.VERSION)))
    @APIResponse(responseCode = "404", description = "No such model or version")
    public VersionView get(@PathParam("name") String name, @PathParam("version") int version) {
        return versions.get(caller.project(), name, version);
    }

    @PATCH
    @Path("/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Change a version's decision threshold or description",
            description = "Write role. Predictions are positive when probability >= decision_threshold; a change is "
                    + "recorded in the model's history with its reason.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = UpdateVersionRequest.class),
            examples = @ExampleObject(name = "threshold", value = Examples.UPDATE_VERSION)))
    @APIResponse(responseCode = "200", description = "The updated version",
            content = @Content(schema = @Schema(implementation = VersionView.class),
                    examples = @ExampleObject(name = "version", value = Examples.VERSION)))
    @APIResponse(responseCode = "400", description = "Threshold outside [0, 1]")
    @APIResponse(responseCode = "404", description = "No such model or version")
    public VersionView update(@PathParam("name") String name, @PathParam("version") int version,
                              @Valid @NotNull UpdateVersionRequest request) {
        return versions.update(caller.project(), name, version, request, caller.actor());
    }

    @GET
    @Path("/{version}/artifact")
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    @Operation(summary = "Download a version's artifact",
            description = "The bytes as uploaded, with their SHA-256 in X-Checksum-SHA256 (hex), Digest (base64) and the ETag.")
    @APIResponse(responseCode = "200", description = "The XGBoost JSON model",
            headers = {@Header(name = CHECKSUM_HEADER, description = "SHA-256 of the body, hex", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Digest", description = "sha-256=<base64 of the SHA-256>", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "The SHA-256, hex, quoted", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.STRING, format = "binary"),
                    examples = @ExampleObject(name = "model", value = "{\"learner\": {\"feature_names\": [\"tenure_months\"], \"...\": \"...\"}, \"version\": [3, 1, 0]}")))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    @APIResponse(responseCode = "404", description = "No such model or version")
    public Response artifact(@PathParam("name") String name, @PathParam("version") int version, @Context Request request) {
        VersionService.StoredArtifact stored = versions.artifact(caller.project(), name, version);
        EntityTag tag = new EntityTag(stored.sha256());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder response = notModified != null ? notModified
                : Response.ok(stored.bytes(), MediaType.APPLICATION_JSON_TYPE)
                        .header(CHECKSUM_HEADER, stored.sha256())
                        .header("Digest", "sha-256=" + ModelArtifact.sha256Base64(stored.sha256()))
                        .header("Content-Disposition", "attachment; filename=\"" + stored.fileName() + "\"");
        return response.tag(tag).build();
    }

    @POST
    @Path("/{version}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Move a version to another stage",
            description = "Write role. Stages: staging, production, archived. Entering production runs the deployment "
                    + "gate (the artifact loads and predicts a smoke set made from the feature schema; recorded metrics "
                    + "meet the thresholds) and archives the previous production version, in one transaction. "
                    + "force=true (admin role, with a reason) promotes despite failed checks and is recorded as forced. "
                    + "expected_production_version (0: none) refuses the change with a 409 naming it when production "
                    + "has become another version since the caller decided.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StageChangeRequest.class),
            examples = @ExampleObject(name = "promote", value = Examples.STAGE_CHANGE)))
    @APIResponse(responseCode = "200", description = "Moved; the audit row with the gate's result",
            content = @Content(schema = @Schema(implementation = TransitionView.class),
                    examples = @ExampleObject(name = "promoted", value = Examples.TRANSITION)))
    @APIResponse(responseCode = "404", description = "No such model or version")
    @APIResponse(responseCode = "409", description = "The gate failed (every failed check listed), the version is already "
            + "in that stage, or production is not the expected_production_version",
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "gate failed", value = Examples.GATE_FAILED)))
    @APIResponse(responseCode = "422", description = "Stage 'none' asked for, or force without a reason")
    public TransitionView changeStage(@PathParam("name") String name, @PathParam("version") int version,
                                      @Valid @NotNull StageChangeRequest request) {
        return stages.changeStage(caller.project(), name, version, request, caller.get());
    }

    @POST
    @Path("/{version}/evaluate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Evaluate a version on labelled data",
            description = "Read role. By the model's task: a binary classifier's accuracy, precision, recall, F1, ROC-AUC and "
                    + "confusion matrix at the threshold; a multi-class one's accuracy, macro averages and class matrix; a "
                    + "regression model's MAE, RMSE and R². "
                    + "Columns are matched to the feature schema by name; extra columns are ignored; empty cells are missing values. "
                    + "Nothing is stored unless record=true (write role): then the figures become the version's recorded "
                    + "metrics, which the deployment gate checks, marked in metrics.measured_by_evaluation with who recorded "
                    + "them, when, and the CSV's SHA-256 and row count; a version without baseline_stats gets them from the "
                    + "CSV's feature columns, in training's format, for drift. A binary classifier is then measured at its "
                    + "decision_threshold. The same CSV (and target) again changes nothing (recorded: false). Refused (409) "
                    + "for a version in production or archived: the metrics it was promoted on are kept.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = EvaluationUpload.class)))
    @APIResponse(responseCode = "200", description = "The metrics; with record=true, as recorded on the version",
            content = @Content(schema = @Schema(implementation = EvaluationView.class),
                    examples = {@ExampleObject(name = "evaluation", value = Examples.EVALUATION),
                            @ExampleObject(name = "recorded", value = Examples.EVALUATION_RECORDED)}))
    @APIResponse(responseCode = "400", description = "No data part, a threshold that is not a number, or record other than "
            + "true or false")
    @APIResponse(responseCode = "404", description = "No such model or version")
    @APIResponse(responseCode = "409", description = "record=true for a version in production or archived",
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "served version", value = Examples.RECORD_REFUSED)))
    @APIResponse(responseCode = "422", description = "The CSV is empty, lacks a column, or has a bad cell (named by row and "
            + "column); a model of raw margins; a threshold for a model that is not a binary classifier, or, with "
            + "record=true, other than the version's decision_threshold",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad cell", value = Examples.BAD_CSV)))
    public EvaluationView evaluate(@PathParam("name") String name, @PathParam("version") int version,
                                   @Parameter(description = "true: record the measured metrics on the version (write role); "
                                           + "default false", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                   @QueryParam("record") String record,
                                   @RestForm("data") FileUpload data, @RestForm("target") String target,
                                   @RestForm("threshold") String threshold) {
        if (!record(record)) {
            return evaluations.evaluate(caller.project(), name, version, read(data, "data"), target, threshold(threshold));
        }
        caller.require(Role.WRITE);
        return evaluations.evaluateAndRecord(caller.project(), name, version, read(data, "data"), target,
                threshold(threshold), caller.actor());
    }

    private static boolean record(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw ProblemException.badRequest("record", "record: '" + value + "' is neither true nor false");
    }

    private static byte[] read(FileUpload upload, String part) {
        if (upload == null || upload.uploadedFile() == null) {
            throw ProblemException.badRequest(part, "The multipart body has no file part '" + part + "'");
        }
        try {
            return Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded " + part, e);
        }
    }

    private static Double threshold(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("threshold", "threshold: '" + value + "' is not a number");
        }
    }

    /** The metadata part, read and validated here so errors name it as {@code metadata.<path>}. */
    private VersionMetadata metadata(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        VersionMetadata metadata;
        try {
            metadata = mapper.readValue(json, VersionMetadata.class);
        } catch (JsonProcessingException e) {
            throw unreadableMetadata(e);
        }
        if (metadata == null) {
            return null;
        }
        Set<ConstraintViolation<VersionMetadata>> violations = validator.validate(metadata);
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream()
                    .map(v -> new Problem.FieldError("metadata." + snake(v.getPropertyPath().toString()), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field))
                    .toList();
            Problem.FieldError first = errors.get(0);
            throw new ProblemException(400, "Bad request", first.field() + ": " + first.message()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""), first.field(), errors);
        }
        return metadata;
    }

    /**
     * In common's words for a request body Jackson could not read (the JSON path of the bad value and
     * the JSON type expected, never Jackson's message, which names Java classes), the path starting at
     * the part: {@code metadata.metrics.f1}, a key given twice too. What is wrong with the part as a
     * whole (not JSON, more after the value) names the part.
     */
    private static ProblemException unreadableMetadata(JsonProcessingException e) {
        // Jackson wraps what the parser refuses inside a document; common then words the parser's refusal
        boolean located = e instanceof JsonMappingException && !(e.getCause() instanceof StreamReadException);
        if (e instanceof JsonMappingException mapping) {
            mapping.prependPath(VersionMetadata.class, "metadata");
        }
        Problem problem = (Problem) JSON_ERRORS.toResponse(e).getEntity();
        if (located && problem.field() != null) {
            return ProblemException.badRequest(problem.field(), problem.detail());
        }
        String detail = problem.detail().replace("Request body", "the part").replace("request body", "part");
        // the parser's own refusals name their path inside the part (a key given twice, a number out of range)
        return problem.field() != null
                ? ProblemException.badRequest("metadata." + problem.field(), "metadata." + detail)
                : ProblemException.badRequest("metadata", "metadata: " + detail);
    }

    // Bean Validation names Java properties (featureSchema[0].name); clients know the JSON names.
    private static String snake(String path) {
        return path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT)
                .replaceAll("<[^>]*>", "");
    }
}
