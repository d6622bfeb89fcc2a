package dev.keel.registry.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.rest.Timestamps;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.registry.api.ApiKeyView;
import dev.keel.registry.api.CreateApiKeyRequest;
import dev.keel.registry.api.CreateProjectRequest;
import dev.keel.registry.api.CreatedApiKeyView;
import dev.keel.registry.api.ProjectView;
import dev.keel.registry.api.UpdateProjectRequest;
import dev.keel.registry.service.ApiKeyService;
import dev.keel.registry.service.ProjectService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Projects and API keys")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "forbidden", value = Examples.FORBIDDEN)))
public class ProjectResource {

    private final ProjectService projects;
    private final ApiKeyService keys;
    private final CurrentCaller caller;

    public ProjectResource(ProjectService projects, ApiKeyService keys, CurrentCaller caller) {
        this.projects = projects;
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a project", description = "Bootstrap admin key only.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateProjectRequest.class),
            examples = @ExampleObject(name = "project", value = Examples.CREATE_PROJECT)))
    @APIResponse(responseCode = "201", description = "Created; Location names the project",
            content = @Content(schema = @Schema(implementation = ProjectView.class),
                    examples = @ExampleObject(name = "project", value = Examples.PROJECT)))
    @APIResponse(responseCode = "400", description = "Invalid name or body")
    @APIResponse(responseCode = "409", description = "A project of that name exists")
    @APIResponse(responseCode = "422", description = "Unknown metric or out-of-range value in gate_thresholds")
    public Response create(@Valid @NotNull CreateProjectRequest request, @jakarta.ws.rs.core.Context UriInfo uri) {
        caller.requireBootstrapAdmin();
        ProjectView created = projects.create(request, caller.actor());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List projects", description = "All projects for the bootstrap admin key; a project key sees its own.")
    @APIResponse(responseCode = "200", description = "The projects",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ProjectView.class),
                    examples = @ExampleObject(name = "projects", value = Examples.PROJECTS)))
    public List<ProjectView> list() {
        return projects.list(caller.get());
    }

    @GET
    @Path("/{project}")
    @Operation(summary = "Get a project")
    @APIResponse(responseCode = "200", description = "The project",
            content = @Content(schema = @Schema(implementation = ProjectView.class),
                    examples = @ExampleObject(name = "project", value = Examples.PROJECT)))
    @APIResponse(responseCode = "404", description = "No such project (bootstrap key)")
    public ProjectView get(@PathParam("project") String project) {
        return projects.get(caller.project(project));
    }

    @PATCH
    @Path("/{project}")
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Change a project's description or deployment-gate thresholds", description = "Admin role.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = UpdateProjectRequest.class),
            examples = @ExampleObject(name = "thresholds", value = Examples.UPDATE_PROJECT)))
    @APIResponse(responseCode = "200", description = "The updated project",
            content = @Content(schema = @Schema(implementation = ProjectView.class),
                    examples = @ExampleObject(name = "project", value = Examples.PROJECT)))
    @APIResponse(responseCode = "422", description = "Unknown metric or out-of-range value in gate_thresholds")
    public ProjectView update(@PathParam("project") String project, @Valid @NotNull UpdateProjectRequest request) {
        return projects.update(caller.project(project), request, caller.actor());
    }

    @POST
    @Path("/{project}/keys")
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Create an API key", description = "Admin role. The answer is the only time the key is shown; "
            + "the registry keeps only its SHA-256.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateApiKeyRequest.class),
            examples = @ExampleObject(name = "key", value = Examples.CREATE_KEY)))
    @APIResponse(responseCode = "201", description = "Created, with the secret key",
            content = @Content(schema = @Schema(implementation = CreatedApiKeyView.class),
                    examples = @ExampleObject(name = "key", value = Examples.CREATED_KEY)))
    @APIResponse(responseCode = "400", description = "Invalid name, role or expiry")
    @APIResponse(responseCode = "409", description = "The project has a key of that name")
    public Response createKey(@PathParam("project") String project, @Valid @NotNull CreateApiKeyRequest request,
                              @jakarta.ws.rs.core.Context UriInfo uri) {
        ProjectRef ref = caller.project(project);
        Timestamps.storable("expires_at", request.expiresAt());
        CreatedApiKeyView created = keys.create(ref, request, caller.actor());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build())
                .header("Cache-Control", "no-store")
                .entity(created).build();
    }

    @GET
    @Path("/{project}/keys")
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "List a project's API keys", description = "Admin role. Never shows the keys themselves.")
    @APIResponse(responseCode = "200", description = "The keys, oldest first",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyView.class),
                    examples = @ExampleObject(name = "keys", value = Examples.KEYS)))
    public List<ApiKeyView> listKeys(@PathParam("project") String project) {
        return keys.list(caller.project(project));
    }

    @DELETE
    @Path("/{project}/keys/{key}")
    @RequiresRole(Role.ADMIN)
    @Operation(summary = "Revoke an API key", description = "Admin role. This service stops accepting it at once; "
            + "other services within keel.auth.cache-ttl (30 s by default).")
    @APIResponse(responseCode = "204", description = "Revoked (also when it already was)")
    @APIResponse(responseCode = "404", description = "No key of that name")
    public Response revokeKey(@PathParam("project") String project, @PathParam("key") String key) {
        keys.revoke(caller.project(project), key, caller.actor());
        return Response.noContent().build();
    }
}
