package dev.keel.registry.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.security.CurrentCaller;
import dev.keel.registry.api.ProductionVersionsView;
import dev.keel.registry.service.DeploymentService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The list inference polls to know what to serve. */
@Path("/api/v1/production-versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Serving")
public class DeploymentResource {

    private final DeploymentService deployments;
    private final CurrentCaller caller;

    public DeploymentResource(DeploymentService deployments, CurrentCaller caller) {
        this.deployments = deployments;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Every production version",
            description = "All projects' with the bootstrap admin key, the key's own project's otherwise. A strong ETag "
                    + "covers the whole list: poll with If-None-Match and get 304 until a promotion, rollback or "
                    + "threshold change.")
    @APIResponse(responseCode = "200", description = "The production versions, by project and model",
            content = @Content(schema = @Schema(implementation = ProductionVersionsView.class),
                    examples = @ExampleObject(name = "production versions", value = Examples.PRODUCTION_VERSIONS)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    @APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
    public Response productionVersions(@Context Request request) {
        return ConditionalResponses.ok(request, deployments.productionVersions(caller.get()));
    }
}
