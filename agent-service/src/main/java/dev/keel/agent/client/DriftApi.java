package dev.keel.agent.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** drift-service's report endpoint; {@link DriftClient} is the way in. */
@RegisterRestClient(configKey = "drift")
@Path("/api/v1/drift/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface DriftApi {

    @POST
    Response create(@HeaderParam(Downstream.PROJECT_HEADER) String project,
                    @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Map<String, Object> body);
}
