package dev.keel.agent.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** training-service's retraining endpoints; {@link TrainingClient} is the way in. */
@RegisterRestClient(configKey = "training")
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface TrainingApi {

    @POST
    @Path("/{name}/retrain")
    Response retrain(@PathParam("name") String model, @HeaderParam(Downstream.PROJECT_HEADER) String project,
                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                     @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body);

    @GET
    @Path("/{name}/retrain-schedule")
    Response retrainSchedule(@PathParam("name") String model, @HeaderParam(Downstream.PROJECT_HEADER) String project,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
