package dev.keel.registry.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.registry.api.CreateModelRequest;
import dev.keel.registry.api.DeploymentView;
import dev.keel.registry.api.ModelView;
import dev.keel.registry.api.PageView;
import dev.keel.registry.api.RollbackRequest;
import dev.keel.registry.api.RollbackView;
import dev.keel.registry.api.TransitionView;
import dev.keel.registry.api.UpdateModelRequest;
import dev.keel.registry.service.DeploymentService;
import dev.keel.registry.service.ModelService;
import dev.keel.registry.service.StageService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Models")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "forbidden", value = Examples.FORBIDDEN)))
public class ModelResource {

    private final ModelService models;
    private final StageService stages;
    private final DeploymentService deployments;
    private final CurrentCaller caller;
    private final Paging paging;

    public ModelResource(ModelService models, StageService stages, DeploymentService deployments, CurrentCaller caller,
                         Paging paging) {
        this.models = models;
        this.stages = stages;
        this.deployments = deployments;
        this.caller = caller;
        this.paging = paging;
    }

    @POST
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Register a model", description = "Write role. Uploading its first version creates a model too.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateModelRequest.class),
            examples = @ExampleObject(name = "model", value = Examples.CREATE_MODEL)))
    @APIResponse(responseCode = "201", description = "Created; Location names the model",
            content = @Content(schema = @Schema(implementation = ModelView.class),
                    examples = @ExampleObject(name = "model", value = Examples.MODEL)))
    @APIResponse(responseCode = "400", description = "Invalid name or body")
    @APIResponse(responseCode = "409", description = "The project has a model of that name")
    @APIResponse(responseCode = "422", description = "Invalid gate_thresholds, retrain_cron or retrain_source")
    public Response create(@Valid @NotNull CreateModelRequest request, @Context UriInfo uri) {
        if (request.gateThresholds() != null) {
            caller.require(Role.ADMIN);
        }
        ModelView created = models.create(caller.project(), request, caller.actor());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List models", description = "Paged, by name; name filters by a case-insensitive substring.")
    @APIResponse(responseCode = "200", description = "A page of models",
            content = @Content(schema = @Schema(implementation = PageView.class),
                    examples = @ExampleObject(name = "models", value = Examples.MODELS)))
    @APIResponse(responseCode = "400", description = "Bad page or size")
    public PageView<ModelView> list(@QueryParam("name") String name, @QueryParam("page") Integer page,
                                    @QueryParam("size") Integer size) {
        return models.list(caller.project(), name, paging.page(page), paging.size(size));
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get a model")
    @APIResponse(responseCode = "200", description = "The model",
            content = @Content(schema = @Schema(implementation = ModelView.class),
                    examples = @ExampleObject(name = "model", value = Examples.MODEL)))
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = Examples.NOT_FOUND)))
    public ModelView get(@PathParam("name") String name) {
        return models.get(caller.project(), name);
    }

    @PATCH
    @Path("/{name}")
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Change a model's description, tags, gate thresholds or retraining",
            description = "Write role; changing gate_thresholds needs the admin role. An empty gate_thresholds object "
                    + "removes the model's overrides. retrain_cron (UTC, Quartz or five fields) and retrain_source "
                    + "(auto, latest, feedback or dataset:<id>) set when and from what training-service retrains it; "
                    + "an empty string goes back to the default.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = UpdateModelRequest.class),
            examples = @ExampleObject(name = "update", value = Examples.UPDATE_MODEL)))
    @APIResponse(responseCode = "200", description = "The updated model",
            content = @Content(schema = @Schema(implementation = ModelView.class),
                    examples = @ExampleObject(name = "model", value = Examples.MODEL)))
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "422", description = "Unknown metric or out-of-range value in gate_thresholds, "
            + "an invalid retrain_cron or retrain_source")
    public ModelView update(@PathParam("name") String name, @Valid @NotNull UpdateModelRequest request) {
        if (request.gateThresholds() != null) {
            caller.require(Role.ADMIN);
        }
        return models.update(caller.project(), name, request);
    }

    @DELETE
    @Path("/{name}")
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Delete a model with its versions, artifacts and history",
            description = "Admin role. Refused while a version is in production.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "409", description = "A version is in production")
    public Response delete(@PathParam("name") String name) {
        models.delete(caller.project(), name, caller.actor());
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/rollback")
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Roll production back",
            description = "Write role. Production goes back to the version that was production before the current one, "
                    + "or to to_version, a version that was production before, in one transaction; the current one is "
                    + "archived. The restored artifact must load and predict; metric thresholds are not re-checked. A "
                    + "version that never served goes to production through the gate (its stage endpoint), not here. "
                    + "With from_version, only if that version is production now (a guard against acting on a stale "
                    + "view, or rolling back twice).")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RollbackRequest.class),
            examples = @ExampleObject(name = "rollback", value = Examples.ROLLBACK)))
    @APIResponse(responseCode = "200", description = "Rolled back",
            content = @Content(schema = @Schema(implementation = RollbackView.class),
                    examples = @ExampleObject(name = "rollback", value = Examples.ROLLBACK_RESULT)))
    @APIResponse(responseCode = "404", description = "No such model or version")
    @APIResponse(responseCode = "409", description = "Nothing to roll back to, to_version was never in production, its "
            + "artifact cannot be served, or from_version is not the production version")
    public RollbackView rollback(@PathParam("name") String name, @Valid @NotNull RollbackRequest request) {
        return stages.rollback(caller.project(), name, request, caller.get());
    }

    @GET
    @Path("/{name}/history")
    @Operation(summary = "A model's audit trail", description = "Every stage change, rollback, threshold change and recorded evaluation, newest first.")
    @APIResponse(responseCode = "200", description = "A page of audit rows",
            content = @Content(schema = @Schema(implementation = PageView.class),
                    examples = @ExampleObject(name = "history", value = Examples.HISTORY)))
    @APIResponse(responseCode = "404", description = "No such model")
    public PageView<TransitionView> history(@PathParam("name") String name, @QueryParam("page") Integer page,
                                            @QueryParam("size") Integer size) {
        return stages.history(caller.project(), name, paging.page(page), paging.size(size));
    }

    @GET
    @Path("/{name}/production")
    @Operation(summary = "The production version, as serving needs it",
            description = "Carries a strong ETag; send it back in If-None-Match to get 304 while nothing changed.")
    @APIResponse(responseCode = "200", description = "The production version",
            content = @Content(schema = @Schema(implementation = DeploymentView.class),
                    examples = @ExampleObject(name = "production", value = Examples.DEPLOYMENT)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    @APIResponse(responseCode = "404", description = "No such model, or no version in production")
    public Response production(@PathParam("name") String name, @Context Request request) {
        return ConditionalResponses.ok(request, deployments.inStage(caller.project(), name, "production"));
    }

    @GET
    @Path("/{name}/stages/{stage}")
    @Operation(summary = "The newest version in a stage",
            description = "stage is none, staging, production, archived, or latest (the newest version whatever its "
                    + "stage). Carries a strong ETag like /production.")
    @APIResponse(responseCode = "200", description = "The version",
            content = @Content(schema = @Schema(implementation = DeploymentView.class),
                    examples = @ExampleObject(name = "staging", value = Examples.DEPLOYMENT)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    @APIResponse(responseCode = "400", description = "Unknown stage")
    @APIResponse(responseCode = "404", description = "No such model, or no version in that stage")
    public Response inStage(@PathParam("name") String name, @PathParam("stage") String stage, @Context Request request) {
        return ConditionalResponses.ok(request, deployments.inStage(caller.project(), name, stage));
    }
}
