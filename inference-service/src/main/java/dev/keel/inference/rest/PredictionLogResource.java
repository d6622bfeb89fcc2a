package dev.keel.inference.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.inference.service.PredictionHistory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's project's prediction log, read back for a console: the latest predictions, newest first. */
@Path("/api/v1/predictions")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.READ)
@Tag(name = "Prediction log")
public class PredictionLogResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;

    private static final String EXAMPLE = """
            [{"request_id": "5b0f3c9e-8a51-4f0e-9d55-0c1c1f7b9a21", "model": "heart-disease", "version": 3,
              "prediction": 1.0, "probability": 0.83, "latency_ms": 0.412, "predicted_at": "2026-12-02T19:41:07.318Z",
              "api_key_name": "console",
              "features": {"age": 54, "sex": 1, "cp": "asymptomatic", "chol": 246, "thalach": 150}}]""";

    private final PredictionHistory history;
    private final CurrentCaller caller;

    public PredictionLogResource(PredictionHistory history, CurrentCaller caller) {
        this.history = history;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The project's most recent logged predictions, newest first",
            description = "Rows of the prediction log once the writer has flushed them (within the flush "
                    + "interval, 100 ms by default); a prediction made while PostgreSQL was away appears when its "
                    + "spill file is replayed.")
    @APIResponse(responseCode = "200", description = "Up to limit predictions",
            content = @Content(examples = @ExampleObject(name = "one prediction", value = EXAMPLE)))
    @APIResponse(responseCode = "400", description = "limit is not a whole number from 1 to 200",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "401", description = "No valid API key")
    public List<LoggedPredictionView> recent(
            @Parameter(description = "Only this model's predictions") @QueryParam("model_name") String modelName,
            @Parameter(description = "How many, 1 to 200", schema = @Schema(type = SchemaType.INTEGER,
                    defaultValue = "20", minimum = "1", maximum = "200")) @QueryParam("limit") String limit)
            throws SQLException {
        String model = modelName == null || modelName.isBlank() ? null : modelName;
        return history.recent(caller.project().id(), model, limit(limit)).stream().map(LoggedPredictionView::of).toList();
    }

    // taken as text, so "abc" is a 400 naming limit rather than JAX-RS' bare 404 for an unconvertible parameter
    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("limit", "limit: must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "limit: must be from 1 to " + MAX_LIMIT);
        }
        return n;
    }
}
