package dev.keel.agent.console;

import static dev.keel.agent.console.Services.query;
import static dev.keel.agent.console.Services.seg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.console.Services.Service;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Predict page: a form made from the production version's feature schema, the answer with a
 * SHAP chart of why, and the model's recent predictions. Predictions go through inference-service
 * like any client's, so they are logged and rate-limited under the signed-in key.
 */
@Path("/console/predict")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class PredictResource {

    static final String FEATURE_PREFIX = "f.";

    private final Template predict;
    private final Services services;
    private final ConsoleUser user;
    private final Pages pages;

    public PredictResource(@Location("console/predict.html") Template predict, Services services, ConsoleUser user, Pages pages) {
        this.predict = predict;
        this.services = services;
        this.user = user;
        this.pages = pages;
    }

    @GET
    @Operation(summary = "Console: the prediction form of a served model")
    public Response form(@QueryParam("model") String model, @QueryParam("notice") String notice) {
        return pages.ok(page(served(model), Map.of()).data("notice", notice));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: predict one row and explain it")
    public Response predict(MultivaluedMap<String, String> form) {
        user.checkCsrf(form.getFirst("csrf"));
        String model = form.getFirst("model");
        if (model == null || model.isBlank()) {
            throw new ConsoleException(400, "Choose a model", "Pick the model to predict with.").back("/console/predict");
        }
        Map<String, String> entered = new LinkedHashMap<>();
        form.forEach((name, values) -> {
            if (name.startsWith(FEATURE_PREFIX) && !values.isEmpty()) {
                entered.put(name.substring(FEATURE_PREFIX.length()), values.get(0));
            }
        });
        Served served = served(model);
        TemplateInstance page = page(served, entered);
        List<Map<String, Object>> schema = served.schema();
        List<String> problems = new ArrayList<>();
        Map<String, Object> features = features(schema, entered, problems);
        if (!problems.isEmpty()) {
            return pages.status(422, page.data("problems", problems).data("notice", null));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("features", features);
        JsonNode answer;
        try {
            answer = services.post(Service.INFERENCE, "/api/v1/predict" + query("explain", true), body);
        } catch (ServiceException e) {
            List<String> reasons = new ArrayList<>();
            reasons.add(e.getMessage());
            if (e.body() != null && e.body().has("errors")) {
                e.body().get("errors").forEach(err -> reasons.add(err.path("field").asText() + ": " + err.path("message").asText()));
            }
            return pages.status(e.status() == 503 ? 503 : 422, page.data("problems", reasons).data("notice", null));
        }
        List<Charts.Bar> bars = new ArrayList<>();
        answer.path("contributions").fields().forEachRemaining(e -> bars.add(new Charts.Bar(e.getKey(), e.getValue().asDouble())));
        String of = answer.has("class_contributions") ? "the predicted class's margin (its score before softmax)"
                : answer.has("probability") ? "the margin (log-odds)" : "the predicted value";
        String chart = Charts.contributions("Why: each feature's SHAP contribution to " + of, bars);
        return pages.ok(page.data("answer", pages.map(answer)).data("shap", chart).data("notice", null));
    }

    /** What inference-service serves to this project, the chosen model's loaded version and its recent predictions. */
    private record Served(List<Map<String, Object>> models, String model, Map<String, Object> loaded,
                          List<Map<String, Object>> recent) {

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> schema() {
            return loaded.get("feature_schema") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        }
    }

    private Served served(String requested) {
        List<Map<String, Object>> models = pages.list(services.get(Service.INFERENCE, "/api/v1/models"));
        String model = requested != null && !requested.isBlank() ? requested
                : models.isEmpty() ? null : String.valueOf(models.get(0).get("model"));
        if (model == null) {
            return new Served(models, null, Map.of(), List.of());
        }
        return new Served(models, model, pages.map(services.get(Service.INFERENCE, "/api/v1/models/" + seg(model))),
                pages.list(services.get(Service.INFERENCE, "/api/v1/predictions" + query("model_name", model, "limit", 20))));
    }

    private TemplateInstance page(Served served, Map<String, String> entered) {
        return predict.data("served", served.models()).data("model", served.model()).data("loaded", served.loaded())
                .data("entered", entered).data("recent", served.recent()).data("problems", List.of()).data("answer", null)
                .data("shap", "").data("section", "predict");
    }

    /** The entered values typed by the schema; a blank field is left out (the model may allow missing values). */
    static Map<String, Object> features(List<Map<String, Object>> schema, Map<String, String> entered, List<String> problems) {
        Map<String, Object> features = new LinkedHashMap<>();
        for (Map<String, Object> spec : schema) {
            String name = String.valueOf(spec.get("name"));
            String value = entered.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            switch (String.valueOf(spec.get("type"))) {
                case "numeric" -> {
                    try {
                        features.put(name, Double.parseDouble(value.strip()));
                    } catch (NumberFormatException e) {
                        problems.add(name + ": '" + value + "' is not a number");
                    }
                }
                case "boolean" -> features.put(name, Boolean.parseBoolean(value.strip()));
                default -> features.put(name, value);
            }
        }
        return features;
    }
}
