package dev.keel.training.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Paging;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.training.api.DatasetView;
import dev.keel.training.api.PageView;
import dev.keel.training.api.SyntheticDatasetRequest;
import dev.keel.training.data.HeartDiseaseGenerator;
import dev.keel.training.entity.DatasetEntity;
import dev.keel.training.mapping.DatasetMapper;
import dev.keel.training.service.DatasetService;
import dev.keel.training.service.SyntheticDatasets;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datasets")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "forbidden", value = Examples.FORBIDDEN)))
public class DatasetResource {

    static final String CSV = "text/csv";

    private final DatasetService datasets;
    private final SyntheticDatasets synthetic;
    private final DatasetMapper mapper;
    private final CurrentCaller caller;

    public DatasetResource(DatasetService datasets, SyntheticDatasets synthetic, DatasetMapper mapper, CurrentCaller caller) {
        this.datasets = datasets;
        this.synthetic = synthetic;
        this.mapper = mapper;
        this.caller = caller;
    }

    /** The multipart form of an upload, for the OpenAPI document. */
    @Schema(name = "DatasetUpload")
    static class DatasetUpload {
        @Schema(type = SchemaType.STRING, format = "binary", required = true, description = "The CSV, with a header row")
        public String file;
        @Schema(description = "The dataset's name; the file name when absent")
        public String name;
        @Schema(description = "The target column; the last column when absent")
        public String target;
        @Schema(description = "The class to predict as 1; for 0/1 targets 1, for true/false true, else the last alphabetically")
        public String positiveClass;
    }

    @POST
    @Consumes({CSV, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Upload a CSV dataset as the request body",
            description = "Write role. Streamed: hashed (SHA-256), validated and profiled in one pass and stored only "
                    + "if something can be trained on it. Up to quarkus.http.limits.max-body-size (1 GiB by default).")
    @RequestBody(required = true, content = @Content(mediaType = CSV,
            schema = @Schema(type = SchemaType.STRING, format = "binary"),
            examples = @ExampleObject(name = "csv", value = "age,sex,chol,thal,target\n63,1,233,fixed,1\n41,0,204,normal,0\n")))
    @APIResponse(responseCode = "201", description = "Stored; Location names the dataset",
            content = @Content(schema = @Schema(implementation = DatasetView.class),
                    examples = @ExampleObject(name = "dataset", value = Examples.DATASET)))
    @APIResponse(responseCode = "422", description = "Nothing can be trained on it: empty, ragged rows, no such target, "
            + "one class, text in a numeric column, a missing label; names the column and line",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad csv", value = Examples.BAD_CSV)))
    public Response upload(InputStream body,
                           @Parameter(description = "The dataset's name; default 'dataset'") @QueryParam("name") String name,
                           @Parameter(description = "The target column; the last column when absent") @QueryParam("target") String target,
                           @Parameter(description = "The class to predict as 1") @QueryParam("positive_class") String positiveClass,
                           @Context UriInfo uri) {
        return created(store(name == null || name.isBlank() ? "dataset" : name, target, positiveClass, body), uri);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Upload a CSV dataset as a form (curl -F file=@data.csv)",
            description = "Write role. The same as the raw upload; the file part is spooled to disk by the server first.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = DatasetUpload.class)))
    @APIResponse(responseCode = "201", description = "Stored; Location names the dataset",
            content = @Content(schema = @Schema(implementation = DatasetView.class),
                    examples = @ExampleObject(name = "dataset", value = Examples.DATASET)))
    @APIResponse(responseCode = "400", description = "No file part")
    @APIResponse(responseCode = "422", description = "Nothing can be trained on it; names the column and line",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad csv", value = Examples.BAD_CSV)))
    public Response uploadForm(@RestForm("file") FileUpload file, @RestForm("name") String name,
                               @RestForm("target") String target, @RestForm("positive_class") String positiveClass,
                               @Context UriInfo uri) {
        if (file == null) {
            throw ProblemException.badRequest("file", "file: the form needs a 'file' part holding the CSV");
        }
        String datasetName = name != null && !name.isBlank() ? name
                : file.fileName() != null && !file.fileName().isBlank() ? file.fileName() : "dataset";
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return created(store(datasetName, target, positiveClass, in), uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @POST
    @Path("/synthetic")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Generate and store a synthetic heart-disease dataset",
            description = "Write role. The 13 features of the UCI heart-disease schema and a binary target, from a seed; "
                    + "drift shifts named features (see GET /api/v1/synthetic/heart-disease). Validated like an upload.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyntheticDatasetRequest.class),
            examples = @ExampleObject(name = "synthetic", value = "{\"name\": \"heart-demo\", \"rows\": 5000, \"seed\": 7}")))
    @APIResponse(responseCode = "201", description = "Stored; Location names the dataset",
            content = @Content(schema = @Schema(implementation = DatasetView.class)))
    @APIResponse(responseCode = "400", description = "rows outside 20..2000000, a blank name, an unknown feature in drift "
            + "or a shift that is not a finite number (names drift.<feature>)")
    public Response synthetic(@Valid @NotNull SyntheticDatasetRequest request, @Context UriInfo uri) {
        Map<String, Double> drift = request.drift() == null ? Map.of() : request.drift();
        checkDrift(drift);
        if (request.name() != null && request.name().isBlank()) {
            throw ProblemException.badRequest("name", "name: must not be blank; leave it out for heart-synthetic-<rows>");
        }
        String name = request.name() != null ? request.name() : "heart-synthetic-" + request.rows();
        DatasetEntity dataset;
        try {
            dataset = synthetic.generate(caller.project().id(), name, request.rows(), request.seed() == null ? 42 : request.seed(),
                    drift, caller.actor());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("drift", "drift: " + e.getMessage());
        }
        return created(dataset, uri);
    }

    /**
     * JSON carries {@code null} for a shift, and Jackson reads {@code 1e400} and {@code "NaN"} as
     * non-finite doubles; none is a shift (a null one failed in the generator as a 500).
     */
    private static void checkDrift(Map<String, Double> drift) {
        for (Map.Entry<String, Double> shift : drift.entrySet()) {
            if (!HeartDiseaseGenerator.FEATURES.contains(shift.getKey())) {
                throw ProblemException.badRequest("drift", "drift: unknown feature '" + shift.getKey() + "'; the features are "
                        + HeartDiseaseGenerator.FEATURES);
            }
            if (shift.getValue() == null || !Double.isFinite(shift.getValue())) {
                String field = "drift." + shift.getKey();
                throw ProblemException.badRequest(field, field + ": must be a finite number, not " + shift.getValue());
            }
        }
    }

    @GET
    @Operation(summary = "List the project's datasets", description = "Paged, newest first.")
    @APIResponse(responseCode = "200", description = "A page of datasets")
    public PageView<DatasetView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        ProjectRef project = caller.project();
        int p = Paging.page(page);
        int s = Paging.size(size);
        return new PageView<>(datasets.list(project.id(), p, s).stream().map(mapper::toView).toList(), p, s,
                datasets.count(project.id()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a dataset's record: columns, types, validation report")
    @APIResponse(responseCode = "200", description = "The dataset",
            content = @Content(schema = @Schema(implementation = DatasetView.class),
                    examples = @ExampleObject(name = "dataset", value = Examples.DATASET)))
    @APIResponse(responseCode = "404", description = "No such dataset in this project")
    public DatasetView get(@PathParam("id") long id) {
        return mapper.toView(datasets.get(caller.project().id(), id));
    }

    @GET
    @Path("/{id}/content")
    @Produces(CSV)
    @Operation(summary = "Download a dataset's CSV as uploaded", description = "Streamed; its SHA-256 is the fingerprint.")
    @APIResponse(responseCode = "200", description = "The CSV")
    @APIResponse(responseCode = "404", description = "No such dataset in this project")
    public Response content(@PathParam("id") long id) {
        var dataset = datasets.snapshot(caller.project().id(), id);
        StreamingOutput body = out -> {
            try (InputStream in = datasets.content(dataset)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, CSV).header("X-Checksum-SHA256", dataset.fingerprint())
                .header("Content-Length", dataset.sizeBytes()).build();
    }

    private DatasetEntity store(String name, String target, String positiveClass, InputStream body) {
        ProjectRef project = caller.project();
        if (name.length() > 200) {
            throw ProblemException.badRequest("name", "name: at most 200 characters");
        }
        return datasets.upload(new DatasetService.Upload(project.id(), name, target, positiveClass, caller.actor()), body);
    }

    private Response created(DatasetEntity dataset, UriInfo uri) {
        return Response.created(uri.getBaseUriBuilder().path("api/v1/datasets").path(String.valueOf(dataset.id)).build())
                .entity(mapper.toView(dataset)).build();
    }
}
