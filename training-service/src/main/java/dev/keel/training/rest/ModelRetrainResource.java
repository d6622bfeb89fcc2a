package dev.keel.training.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.jobs.JobLeases;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.training.api.RetrainRequest;
import dev.keel.training.api.RetrainScheduleView;
import dev.keel.training.api.TrainingRunView;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.domain.IdempotentRequest;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.mapping.TrainingRunMapper;
import dev.keel.training.repository.ModelCatalog;
import dev.keel.training.service.RetrainScheduler;
import dev.keel.training.service.RetrainService;
import dev.keel.training.service.RunRecorder;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Optional;
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

@Path("/api/v1/models/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Retraining")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "forbidden", value = Examples.FORBIDDEN)))
public class ModelRetrainResource {

    private final RetrainService retrain;
    private final RetrainScheduler scheduler;
    private final ModelCatalog catalog;
    private final JobLeases leases;
    private final TrainingRunMapper mapper;
    private final CurrentCaller caller;
    private final TrainingConfig config;
    private final ObjectMapper json;

    public ModelRetrainResource(RetrainService retrain, RetrainScheduler scheduler, ModelCatalog catalog,
                                JobLeases leases, TrainingRunMapper mapper, CurrentCaller caller,
                                TrainingConfig config, ObjectMapper json) {
        this.retrain = retrain;
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.leases = leases;
        this.mapper = mapper;
        this.caller = caller;
        this.config = config;
        this.json = json;
    }

    @POST
    @Path("/retrain")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Retrain a model now",
            description = "Write role. The job the weekly schedule runs, on demand (the agent's retrain_model action "
                    + "calls it): it trains on dataset_id if given, else the model's configured source, else the dataset "
                    + "of its latest run, with the default search, then gates and registers like any run. With an "
                    + "Idempotency-Key (the agent sends one per action), sending the same request again answers the run "
                    + "the first one started (200) instead of starting another.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RetrainRequest.class),
            examples = @ExampleObject(name = "agent", value = Examples.RETRAIN)))
    @APIResponse(responseCode = "202", description = "Queued; Location names the run",
            content = @Content(schema = @Schema(implementation = TrainingRunView.class),
                    examples = @ExampleObject(name = "run", value = Examples.RUN)))
    @APIResponse(responseCode = "200", description = TrainingRunResource.IDEMPOTENT_REPLAY,
            content = @Content(schema = @Schema(implementation = TrainingRunView.class),
                    examples = @ExampleObject(name = "run", value = Examples.RUN)))
    @APIResponse(responseCode = "400", description = "A malformed body or Idempotency-Key", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "No dataset to train on, one that cannot be trained on, "
            + "or an Idempotency-Key sent before with another request",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", description = "The training queue is full",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "full", value = Examples.QUEUE_FULL)))
    @Parameter(name = IdempotentRequest.HEADER, in = ParameterIn.HEADER, description = TrainingRunResource.IDEMPOTENCY_KEY,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255))
    public Response retrain(@PathParam("name") String name, @Valid RetrainRequest request, @Context HttpHeaders headers,
                            @Context UriInfo uri) {
        RetrainRequest r = request == null ? new RetrainRequest(null, null, null) : request;
        IdempotentRequest idempotent = IdempotentRequest.of(headers.getRequestHeader(IdempotentRequest.HEADER),
                "POST /api/v1/models/" + name + "/retrain " + TrainingRunResource.canonical(json, r));
        RunTrigger trigger = r.trigger() == null ? RunTrigger.MANUAL : r.trigger();
        if (trigger == RunTrigger.SCHEDULE) {
            throw ProblemException.unprocessable("trigger", "trigger: schedule is the scheduler's own; use manual or agent");
        }
        ProjectRef project = caller.project();
        String actor = r.reason() == null || r.reason().isBlank() ? caller.actor() : caller.actor() + ": " + r.reason().strip();
        RunRecorder.Created run = retrain.retrain(project.id(), project.name(), name, r.datasetId(), trigger, actor,
                idempotent);
        return TrainingRunResource.answer(run, mapper, uri);
    }

    @GET
    @Path("/retrain-schedule")
    @Operation(summary = "When a model is retrained",
            description = "Its cron (UTC) and where it comes from (config, the registry's retrain_cron, or the default), "
                    + "its data source (auto, latest, feedback or dataset:<id>) and where that comes from (config, the "
                    + "registry's retrain_source, or the default), whether it has data now (a retraining without a "
                    + "dataset_id would start), and the next and last firings.")
    @APIResponse(responseCode = "200", description = "The schedule", content = @Content(schema = @Schema(implementation = RetrainScheduleView.class),
            examples = @ExampleObject(name = "schedule", value = "{\"model\": \"heart-disease\", \"cron\": \"0 0 2 ? * SUN\", "
                    + "\"cron_source\": \"default\", \"data_source\": \"auto\", \"data_source_origin\": \"default\", \"data_available\": true, \"enabled\": true, "
                    + "\"next_run_at\": \"2025-11-30T02:00:00Z\", \"last_run_at\": \"2025-11-23T02:00:00Z\"}")))
    @APIResponse(responseCode = "404", description = "No such registered model in this project")
    public RetrainScheduleView schedule(@PathParam("name") String name) {
        ProjectRef project = caller.project();
        ModelCatalog.ScheduledModel model = catalog.find(project.id(), name)
                .orElseThrow(() -> ProblemException.notFound("Registered model", name));
        String key = project.name() + "/" + name;
        Optional<TrainingConfig.ModelSchedule> own = Optional.ofNullable(config.schedule().models().get(key));
        String cron = scheduler.cronOf(model);
        String cronSource = own.flatMap(TrainingConfig.ModelSchedule::cron).isPresent() ? "config"
                : model.retrainCron() != null && !model.retrainCron().isBlank() ? "registry" : "default";
        RetrainService.Source source = retrain.sourceOf(project.id(), project.name(), name);
        return new RetrainScheduleView(name, cron, cronSource, source.source().toString(), source.origin(),
                retrain.hasData(project.id(), name, source.source()), config.schedule().enabled(),
                scheduler.nextFiring(cron, Instant.now()).orElse(null), leases.lastRun("retrain:" + key).orElse(null));
    }
}
