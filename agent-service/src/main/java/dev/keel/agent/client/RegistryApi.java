package dev.keel.agent.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The registry's contract as the agent uses it; {@link RegistryClient} is the way in. */
@RegisterRestClient(configKey = "registry")
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface RegistryApi {

    @PATCH
    @Path("/{name}/versions/{version}")
    Response updateVersion(@PathParam("name") String model, @PathParam("version") int version,
                           @HeaderParam(Downstream.PROJECT_HEADER) String project,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Map<String, Object> body);

    @POST
    @Path("/{name}/rollback")
    Response rollback(@PathParam("name") String model, @HeaderParam(Downstream.PROJECT_HEADER) String project,
                      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Map<String, Object> body);
}
