package dev.keel.inference.v2;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.features.FeatureSpec;
import dev.keel.common.features.FeatureType;
import dev.keel.common.model.InvalidFeatureException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.inference.edge.RequestIdFilter;
import dev.keel.inference.serving.ServedModel;
import dev.keel.inference.service.Prediction;
import dev.keel.inference.service.PredictionIds;
import dev.keel.inference.service.Predictor;
import dev.keel.inference.serving.ModelCatalog;
import dev.keel.inference.serving.ProductionModelWatcher;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The Open Inference Protocol (KServe V2) over REST, so clients written for KServe, MLServer or
 * Triton work unchanged. Outputs follow MLServer's XGBoost runtime: {@code predict} (the label, or
 * the value for regression) and {@code predict_proba} ([n, classes]). Each row is logged like a
 * simple-API prediction; the row request ids are returned in {@code parameters.request_ids}. The
 * infer endpoints run on the event loop, as the simple API's predictions do ({@code PredictResource}).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Open Inference Protocol (V2)")
public class OpenInferenceResource {

    private final Predictor predictor;
    private final ModelCatalog catalog;
    private final ProductionModelWatcher watcher;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public OpenInferenceResource(Predictor predictor, ModelCatalog catalog, ProductionModelWatcher watcher,
                                 CurrentCaller caller, ObjectMapper json) {
        this.json = json;
        this.predictor = predictor;
        this.catalog = catalog;
        this.watcher = watcher;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Server metadata")
    public Map<String, Object> server() {
        return Map.of("name", "keel-inference", "version", "0.1.0", "extensions", List.of("binary_tensor_data"));
    }

    @GET
    @Path("/health/live")
    @Operation(summary = "Server liveness")
    public Map<String, Object> live() {
        return Map.of("live", true);
    }

    @GET
    @Path("/health/ready")
    @Operation(summary = "Server readiness: something to serve, or a reachable registry")
    public Response ready() {
        boolean ready = !catalog.isEmpty() || watcher.registryReachable();
        return Response.status(ready ? 200 : 503).entity(Map.of("ready", ready)).build();
    }

    @GET
    @Path("/models/{name}")
    @RequiresRole(Role.READ)
    @Operation(summary = "Model metadata: inputs with names, datatypes and shapes")
    public ModelMetadata metadata(@PathParam("name") String name) {
        return metadata(served(name, null));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    @RequiresRole(Role.READ)
    @Operation(summary = "Metadata of a model version")
    public ModelMetadata metadata(@PathParam("name") String name, @PathParam("version") String version) {
        return metadata(served(name, version));
    }

    @GET
    @Path("/models/{name}/ready")
    @RequiresRole(Role.READ)
    @Operation(summary = "Model readiness")
    public Map<String, Object> modelReady(@PathParam("name") String name) {
        ServedModel served = served(name, null);
        return Map.of("name", served.name(), "ready", true);
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    @RequiresRole(Role.READ)
    @Operation(summary = "Model version readiness")
    public Map<String, Object> modelReady(@PathParam("name") String name, @PathParam("version") String version) {
        ServedModel served = served(name, version);
        return Map.of("name", served.name(), "ready", true);
    }

    /*
     * The body is read as bytes, whatever its Content-Type: tritonclient's aio client and KServe's
     * send JSON as application/octet-stream, the sync tritonclient sends none, and the binary
     * tensor extension puts raw values after the JSON header (BinaryTensors).
     */
    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.WILDCARD)
    @RequiresRole(Role.READ)
    @Operation(summary = "Inference with the production version (JSON, or the binary tensor data extension)")
    @RequestBody(description = "An inference request (JSON, any Content-Type), or with Inference-Header-Content-Length "
            + "its JSON header followed by the inputs' binary data", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = InferenceRequest.class)))
    @NonBlocking
    public Uni<InferenceResponse> infer(@PathParam("name") String name, byte[] body,
                                        @HeaderParam(BinaryTensors.HEADER_LENGTH) String headerLength,
                                        @HeaderParam(RequestIdFilter.HEADER) String callerRequestId) {
        return infer(servedForInference(name, null), body, headerLength, callerRequestId);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @RequiresRole(Role.READ)
    @Operation(summary = "Inference with a named version (the one being served)")
    @RequestBody(description = "An inference request (JSON, any Content-Type), or with Inference-Header-Content-Length "
            + "its JSON header followed by the inputs' binary data", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = InferenceRequest.class)))
    @NonBlocking
    public Uni<InferenceResponse> infer(@PathParam("name") String name, @PathParam("version") String version,
                                        byte[] body, @HeaderParam(BinaryTensors.HEADER_LENGTH) String headerLength,
                                        @HeaderParam(RequestIdFilter.HEADER) String callerRequestId) {
        return infer(servedForInference(name, version), body, headerLength, callerRequestId);
    }

    private Uni<InferenceResponse> infer(ServedModel served, byte[] body, String headerLength, String callerRequestId) {
        ProjectRef project = caller.project();
        InferenceRequest request;
        List<Map<String, Object>> rows;
        float[][] encoded;
        try {
            request = BinaryTensors.read(json, body, headerLength);
            checkOutputs(served, request);
            rows = TensorRows.rows(served, request.inputs());
            if (rows.size() > predictor.maxBatchRows()) {
                throw new TensorRows.BadTensor("a request holds at most " + predictor.maxBatchRows() + " rows; this one has "
                        + rows.size());
            }
            encoded = new float[rows.size()][];
            for (int i = 0; i < encoded.length; i++) {
                try {
                    encoded[i] = served.model().toRow(served.categories().encode(rows.get(i)), predictor.missingValues());
                } catch (InvalidFeatureException e) {
                    predictor.countRefused(project, served, e, rows.size());
                    throw new TensorRows.BadTensor("row " + i + ", input '" + e.field() + "': " + e.getMessage());
                }
            }
        } catch (TensorRows.BadTensor e) {
            predictor.countInvalid(served);
            throw e;
        }
        Predictor.Answer answer = predictor.predictRows(project, caller.actor(), served, encoded, rows);
        return answer.onceLogged(response(served, request, responseId(request, callerRequestId, answer.predictions()),
                answer.predictions()));
    }

    /** A 400 for an output the model does not offer, before anything is scored or logged. */
    private static void checkOutputs(ServedModel served, InferenceRequest request) {
        if (request.outputs() == null) {
            return;
        }
        boolean probabilistic = served.answersProbabilities();
        for (InferenceRequest.Output output : request.outputs()) {
            String name = output.name();
            if (name != null && !name.equals("predict") && !(probabilistic && name.equals("predict_proba"))) {
                throw new TensorRows.BadTensor("unknown output '" + name + "'; this model offers predict"
                        + (probabilistic ? " and predict_proba" : ""));
            }
        }
    }

    /**
     * The response's id: the request's own, else the caller's {@code X-Request-Id}, else the one
     * prediction's request id (so the body, the header and the prediction log name it alike), else,
     * for several rows, a new one.
     */
    private static String responseId(InferenceRequest request, String callerRequestId, List<Prediction> predictions) {
        if (request.id() != null) {
            return request.id();
        }
        if (RequestIdFilter.usable(callerRequestId)) {
            return callerRequestId;
        }
        return (predictions.size() == 1 ? predictions.get(0).requestId() : PredictionIds.next()).toString();
    }

    private static InferenceResponse response(ServedModel served, InferenceRequest request, String id,
                                              List<Prediction> predictions) {
        int n = predictions.size();
        List<String> wanted = request.outputs() == null ? List.of()
                : request.outputs().stream().map(InferenceRequest.Output::name).filter(Objects::nonNull).toList();
        List<InferenceResponse.Output> outputs = new ArrayList<>();
        if (wanted.isEmpty() || wanted.contains("predict")) {
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = predictions.get(i).prediction();
            }
            outputs.add(new InferenceResponse.Output("predict", List.of(n), "FP64", labels));
        }
        // a requested output is in the answer even for zero rows, with the shape the metadata gives it
        if (served.answersProbabilities() && (wanted.isEmpty() || wanted.contains("predict_proba"))) {
            int classes = probabilityClasses(served);
            double[] probabilities = new double[n * classes];
            for (int i = 0; i < n; i++) {
                Prediction p = predictions.get(i);
                if (p.probabilities() != null) {
                    for (int k = 0; k < classes; k++) {
                        probabilities[i * classes + k] = p.probabilities()[k];
                    }
                } else {
                    probabilities[i * 2] = 1.0 - p.probability();
                    probabilities[i * 2 + 1] = p.probability();
                }
            }
            outputs.add(new InferenceResponse.Output("predict_proba", List.of(n, classes), "FP64", probabilities));
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("request_ids", predictions.stream().map(Prediction::requestId).map(UUID::toString).toList());
        if (served.appliedThreshold() != null) {
            parameters.put("decision_threshold", served.appliedThreshold());
        }
        return new InferenceResponse(served.name(), Integer.toString(served.version()), id, parameters, outputs);
    }

    /** A binary classifier answers one probability, given as two columns; a multi-class one one per class. */
    private static int probabilityClasses(ServedModel served) {
        return served.model().outputWidth() > 1 ? served.model().outputWidth() : 2;
    }

    private static ModelMetadata metadata(ServedModel served) {
        List<FeatureSpec> schema = served.featureSchema();
        List<ModelMetadata.Tensor> inputs = new ArrayList<>();
        for (String feature : served.model().featureNames()) {
            FeatureType type = schema.stream().filter(f -> f.name().equals(feature)).map(FeatureSpec::type).findFirst()
                    .orElse(FeatureType.NUMERIC);
            String datatype = switch (type) {
                case NUMERIC -> "FP32";
                case CATEGORICAL -> "BYTES";
                case BOOLEAN -> "BOOL";
            };
            inputs.add(new ModelMetadata.Tensor(feature, datatype, List.of(-1)));
        }
        boolean probabilistic = served.answersProbabilities();
        List<ModelMetadata.Tensor> outputs = new ArrayList<>();
        outputs.add(new ModelMetadata.Tensor("predict", "FP64", List.of(-1)));
        if (probabilistic) {
            outputs.add(new ModelMetadata.Tensor("predict_proba", "FP64", List.of(-1, probabilityClasses(served))));
        }
        return new ModelMetadata(served.name(), List.of(Integer.toString(served.version())), "xgboost_json", inputs, outputs);
    }

    /** {@link #served}, counting an inference request for a model or version not served as such. */
    private ServedModel servedForInference(String name, String version) {
        try {
            return served(name, version);
        } catch (ModelNotServed e) {
            predictor.countNotServed(caller.project());
            throw e;
        }
    }

    private ServedModel served(String name, String version) {
        ServedModel served = catalog.find(caller.project().name(), name)
                .orElseThrow(() -> new ModelNotServed("model '" + name + "' is not being served"));
        if (version != null && !version.equals(Integer.toString(served.version()))) {
            throw new ModelNotServed("model '" + name + "' version '" + version + "' is not being served; version "
                    + served.version() + " is");
        }
        return served;
    }

    @ServerExceptionMapper
    public Response badTensor(TensorRows.BadTensor e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new V2Error(e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response notServed(ModelNotServed e) {
        return Response.status(404).type(MediaType.APPLICATION_JSON).entity(new V2Error(e.getMessage())).build();
    }

    static final class ModelNotServed extends RuntimeException {
        ModelNotServed(String message) {
            super(message);
        }
    }
}
