package dev.keel.inference.rest;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.inference.config.InferenceConfig;
import dev.keel.inference.serving.ModelCatalog;
import dev.keel.inference.service.Predictor;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Keel's simple JSON prediction API: named features in, prediction and probability out.
 *
 * <p>The prediction endpoints run on the event loop ({@code @NonBlocking}): the body is read whole
 * before they are called, the model takes microseconds, the API key is checked from its cache
 * (a miss is looked up on a worker thread, see {@code ApiKeyFilter}) and the prediction log is
 * handed a record without waiting. Dispatching such requests to a worker thread cost more than the
 * prediction itself.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequiresRole(Role.READ)
@Tag(name = "Predictions")
public class PredictResource {

    private final Predictor predictor;
    private final ModelCatalog catalog;
    private final CurrentCaller caller;
    private final boolean noopEnabled;

    public PredictResource(Predictor predictor, ModelCatalog catalog, CurrentCaller caller, InferenceConfig config) {
        this.predictor = predictor;
        this.catalog = catalog;
        this.caller = caller;
        this.noopEnabled = config.noopEnabled();
    }

    @POST
    @Path("/predict")
    @Operation(summary = "Predict one row with the model's production version")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "heart", value = Examples.PREDICT_REQUEST)))
    @APIResponse(responseCode = "200", description = "The prediction",
            content = @Content(examples = @ExampleObject(name = "heart", value = Examples.PREDICT_RESPONSE)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing model/features field")
    @APIResponse(responseCode = "401", description = "No valid API key")
    @APIResponse(responseCode = "404", description = "The model has no production version being served")
    @APIResponse(responseCode = "422", description = "A feature is unknown, missing, of the wrong type or an unseen category",
            content = @Content(examples = @ExampleObject(name = "unknown feature", value = Examples.INVALID_FEATURE)))
    @APIResponse(responseCode = "429", description = "Rate limit of the API key exceeded; see Retry-After")
    @NonBlocking
    public Uni<PredictResponse> predict(PredictRequest request, @QueryParam("explain") Boolean explain) {
        PredictRequest.check(request);
        ProjectRef project = caller.project();
        Predictor.Answer answer = predictor.predict(project, caller.actor(), request.model(), request.features(),
                Boolean.TRUE.equals(explain));
        return answer.onceLogged(PredictResponse.of(answer));
    }

    @POST
    @Path("/predict/batch")
    @Operation(summary = "Predict many rows with one version of the model; each row gets its own request id")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "two rows", value = Examples.BATCH_REQUEST)))
    @APIResponse(responseCode = "200", description = "One prediction per row, in order")
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing model/instances field")
    @APIResponse(responseCode = "404", description = "The model has no production version being served")
    @APIResponse(responseCode = "422", description = "A row is invalid (the field names its index) or the batch is too large")
    @NonBlocking
    public Uni<BatchPredictResponse> predictBatch(@Valid @NotNull BatchPredictRequest request,
                                                  @QueryParam("explain") Boolean explain) {
        ProjectRef project = caller.project();
        String actor = caller.actor();
        if (Boolean.TRUE.equals(explain)) {
            // SHAP takes milliseconds a row, seconds for a large batch: on the event loop that would stall
            // every other connection it serves (liveness probes included), so such a batch goes to a worker,
            // and its answer comes back to the request's event loop (onceLogged answers on the context it runs on)
            Context requestContext = Vertx.currentContext();
            Uni<Predictor.Answer> scored = Uni.createFrom()
                    .item(() -> predictor.predictBatch(project, actor, request.model(), request.instances(), true))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
            return (requestContext == null ? scored : scored.emitOn(command -> requestContext.runOnContext(ignored -> command.run())))
                    .flatMap(answer -> answer.onceLogged(BatchPredictResponse.of(answer)));
        }
        Predictor.Answer answer = predictor.predictBatch(project, actor, request.model(), request.instances(), false);
        return answer.onceLogged(BatchPredictResponse.of(answer));
    }

    @GET
    @Path("/models")
    @Operation(summary = "The models this replica serves for the caller's project")
    public List<LoadedModelView> served() {
        String project = caller.project().name();
        return catalog.all().stream().filter(m -> m.project().equals(project)).map(LoadedModelView::of).toList();
    }

    @GET
    @Path("/models/{name}")
    @Operation(summary = "What this replica serves for a model: version, feature schema, loaded-at, checksum")
    @APIResponse(responseCode = "200", description = "The loaded version")
    @APIResponse(responseCode = "404", description = "The model has no production version being served")
    public LoadedModelView model(@PathParam("name") String name) {
        return LoadedModelView.of(predictor.served(caller.project(), name));
    }

    @POST
    @Path("/noop")
    @Operation(summary = "Benchmark floor: parses the body and answers, predicting nothing (off unless KEEL_INFERENCE_NOOP_ENABLED)")
    @NonBlocking
    public Map<String, Object> noop(PredictRequest request) {
        if (!noopEnabled) {
            throw new ProblemException(404, "Not Found", "No resource at this path", null, null);
        }
        return Map.of("model", request.model(), "prediction", 0);
    }
}
