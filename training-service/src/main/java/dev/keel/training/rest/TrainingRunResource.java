package dev.keel.training.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Paging;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.training.api.PageView;
import dev.keel.training.api.StartRunRequest;
import dev.keel.training.api.TrainingRunView;
import dev.keel.training.domain.IdempotentRequest;
import dev.keel.training.domain.RunStatus;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.mapping.TrainingRunMapper;
import dev.keel.training.service.RunRecorder;
import dev.keel.training.service.TrainingRunService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/training-runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Training runs")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "forbidden", value = Examples.FORBIDDEN)))
public class TrainingRunResource {

    private final TrainingRunService runs;
    private final TrainingRunMapper mapper;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public TrainingRunResource(TrainingRunService runs, TrainingRunMapper mapper, CurrentCaller caller, ObjectMapper json) {
        this.runs = runs;
        this.mapper = mapper;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Start a training run",
            description = "Write role. Queued on the bounded worker pool; follow it with GET /api/v1/training-runs/{id}. "
                    + "Candidates of the chosen families are cross-validated (stratified 5 folds), the best by mean F1 is "
                    + "refitted and scored on a stratified held-out split, registered, and promoted only if it passes the "
                    + "quality gate and beats production. With an Idempotency-Key, sending the same request again "
                    + "answers the run the first one started (200) instead of starting another.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StartRunRequest.class),
            examples = @ExampleObject(name = "run", value = Examples.START_RUN)))
    @APIResponse(responseCode = "202", description = "Queued; Location names the run",
            content = @Content(schema = @Schema(implementation = TrainingRunView.class),
                    examples = @ExampleObject(name = "run", value = Examples.RUN)))
    @APIResponse(responseCode = "200", description = IDEMPOTENT_REPLAY,
            content = @Content(schema = @Schema(implementation = TrainingRunView.class),
                    examples = @ExampleObject(name = "run", value = Examples.RUN)))
    @APIResponse(responseCode = "400", description = "A malformed body, an unknown family or strategy, or a malformed Idempotency-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "A bad model name, a dataset that does not exist or cannot be trained on, "
            + "or an Idempotency-Key sent before with another request",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", description = "The training queue is full",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "full", value = Examples.QUEUE_FULL)))
    @Parameter(name = IdempotentRequest.HEADER, in = ParameterIn.HEADER, description = IDEMPOTENCY_KEY,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255))
    public Response start(@Valid @NotNull StartRunRequest request, @Context HttpHeaders headers, @Context UriInfo uri) {
        IdempotentRequest idempotent = IdempotentRequest.of(headers.getRequestHeader(IdempotentRequest.HEADER),
                "POST /api/v1/training-runs " + canonical(json, request));
        RunTrigger trigger = request.trigger() == null ? RunTrigger.MANUAL : request.trigger();
        if (trigger == RunTrigger.SCHEDULE) {
            throw ProblemException.unprocessable("trigger", "trigger: schedule is the scheduler's own; use manual or agent");
        }
        ProjectRef project = caller.project();
        RunRecorder.Created run = runs.start(project.id(), idempotent, () -> new TrainingRunService.StartRun(project.id(),
                request.modelName(), request.datasetId(), request.families(),
                request.search() == null ? null : request.search().strategy(),
                request.search() == null ? null : request.search().budget(), trigger, caller.actor()));
        return answer(run, mapper, uri);
    }

    @GET
    @Operation(summary = "List the project's training runs", description = "Paged, newest first; without per-candidate metrics or the ROC curve.")
    @APIResponse(responseCode = "200", description = "A page of runs")
    @APIResponse(responseCode = "400", description = "An unknown status", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public PageView<TrainingRunView> list(@QueryParam("model") String model, @QueryParam("status") String status,
                                          @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        RunStatus wanted;
        try {
            wanted = status == null ? null : RunStatus.fromWireName(status);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("status", "status: must be one of queued, running, succeeded, failed, "
                    + "rejected, cancelled");
        }
        int p = Paging.page(page);
        int s = Paging.size(size);
        long project = caller.project().id();
        var items = runs.list(project, model, wanted, p, s).stream().map(r -> mapper.toView(r, false)).toList();
        return new PageView<>(items, p, s, runs.count(project, model, wanted));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a run, with its live progress",
            description = "Phase, candidates done / total, best so far, elapsed and estimated remaining time while it "
                    + "runs; every candidate's per-fold metrics, the chosen parameters, test metrics, the final "
                    + "model's ROC curve on the test rows (roc_curve: up to 101 [false positive rate, true positive "
                    + "rate] points from [0, 0] to [1, 1]) and the gate's verdict once it has them.")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(schema = @Schema(implementation = TrainingRunView.class),
                    examples = {@ExampleObject(name = "running", value = Examples.RUN),
                            @ExampleObject(name = "finished", value = Examples.FINISHED_RUN)}))
    @APIResponse(responseCode = "404", description = "No such run in this project")
    public TrainingRunView get(@PathParam("id") long id) {
        return mapper.toView(runs.get(caller.project().id(), id), true);
    }

    @POST
    @Path("/{id}/cancel")
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Cancel a queued or running run",
            description = "Write role. A running run stops at its next boosting round, on whichever replica runs it.")
    @APIResponse(responseCode = "200", description = "Cancelled", content = @Content(schema = @Schema(implementation = TrainingRunView.class)))
    @APIResponse(responseCode = "404", description = "No such run in this project")
    @APIResponse(responseCode = "409", description = "The run has already finished", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public TrainingRunView cancel(@PathParam("id") long id) {
        return mapper.toView(runs.cancel(caller.project().id(), id, caller.actor()), true);
    }

    static final String IDEMPOTENCY_KEY = "Optional, 1 to 255 visible ASCII characters (e.g. a UUID): the same key "
            + "with the same request again in this project answers the run the first request started, so a request "
            + "whose answer was lost can be sent again without starting a second run";
    static final String IDEMPOTENT_REPLAY = "The run an earlier request with the same Idempotency-Key started, as it is "
            + "now; Content-Location names it";

    /** 202 with Location for a run just queued; 200 with Content-Location for one an earlier request with the same key started. */
    static Response answer(RunRecorder.Created run, TrainingRunMapper mapper, UriInfo uri) {
        TrainingRunView view = mapper.toView(run.run(), true);
        URI location = uri.getBaseUriBuilder().path("api/v1/training-runs").path(String.valueOf(view.id())).build();
        return run.isNew() ? Response.accepted(view).location(location).build()
                : Response.ok(view).header(HttpHeaders.CONTENT_LOCATION, location).build();
    }

    /** The request as JSON, equal for equal requests: what an Idempotency-Key's fingerprint is taken of. */
    static String canonical(ObjectMapper json, Object request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request read from JSON is written back as JSON", e);
        }
    }
}
