package dev.keel.training.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.PartFilename;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The registry's REST contract as this service uses it. Package-private: the rest of the service
 * goes through {@link RegistryClient}, which adds timeouts, retries and error translation.
 * Methods answer {@link Response} so the bean decides what each status means.
 */
@RegisterRestClient(configKey = "registry")
@Path("/api/v1/models")
interface RegistryApi {

    /** The multipart body of a new version: the XGBoost JSON model and what to record with it. */
    class VersionUpload {
        @RestForm("artifact")
        @PartType(MediaType.APPLICATION_OCTET_STREAM)
        @PartFilename("model.json")
        public byte[] artifact;

        @RestForm("metadata")
        @PartType(MediaType.APPLICATION_JSON)
        public VersionMetadata metadata;
    }

    @POST
    @Path("/{name}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Response register(@PathParam("name") String model, @QueryParam("project") String project,
                      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, VersionUpload upload);

    @GET
    @Path("/{name}/production")
    @Produces(MediaType.APPLICATION_JSON)
    Response production(@PathParam("name") String model, @QueryParam("project") String project,
                        @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @GET
    @Path("/{name}/versions/{version}/artifact")
    @Produces(MediaType.WILDCARD)
    Response artifact(@PathParam("name") String model, @PathParam("version") int version,
                      @QueryParam("project") String project, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    @Path("/{name}/versions/{version}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response stage(@PathParam("name") String model, @PathParam("version") int version, @QueryParam("project") String project,
                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, StageChange change);
}
