package dev.keel.inference.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/** The registry's endpoints inference reads; kept behind {@link RegistryGateway}. */
@RegisterRestClient(configKey = "registry")
@Path("/api/v1")
interface RegistryApi {

    @GET
    @Path("/production-versions")
    @Produces(MediaType.APPLICATION_JSON)
    RestResponse<ProductionVersions> productionVersions(@HeaderParam("Authorization") String authorization,
                                                        @HeaderParam("If-None-Match") String etag);

    @GET
    @Path("/models/{model}/versions/{version}/artifact")
    // the registry serves XGBoost JSON; an object store behind it may answer octet-stream
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    byte[] artifact(@HeaderParam("Authorization") String authorization, @PathParam("model") String model,
                    @PathParam("version") int version, @QueryParam("project") String project);
}
