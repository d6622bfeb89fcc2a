package dev.keel.agent.console;

import static dev.keel.agent.console.Services.query;
import static dev.keel.agent.console.Services.seg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.console.Services.Service;
import dev.keel.common.security.Role;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The Models pages: every model, one model's versions and history, promotion and rollback, a model
 * file trained elsewhere registered as a version, and a version evaluated on labelled data.
 */
@Path("/console/models")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class ModelsResource {

    /** The registry's own body limit (registry-service's quarkus.http.limits.max-body-size). */
    static final long REGISTRY_BODY_LIMIT = 64L << 20;

    static final int VERSIONS_PER_PAGE = 50;
    private static final int MODELS_PER_PAGE = 200;
    private static final Set<String> STAGES = Set.of("staging", "production", "archived");
    private static final Logger log = Logger.getLogger(ModelsResource.class);
    /** The registry's rule for model names (its ModelNames), checked here so a bad name never becomes a path. */
    private static final Pattern MODEL_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
    /** What an evaluation measures, by the registry's JSON names, in the order the result page lists them. */
    private static final Map<String, String> EVALUATION_METRICS = evaluationMetrics();

    private final Template models;
    private final Template model;
    private final Template evaluation;
    private final Services services;
    private final ConsoleUser user;
    private final Pages pages;

    public ModelsResource(@Location("console/models.html") Template models, @Location("console/model.html") Template model,
                          @Location("console/evaluation.html") Template evaluation, Services services, ConsoleUser user,
                          Pages pages) {
        this.models = models;
        this.model = model;
        this.evaluation = evaluation;
        this.services = services;
        this.user = user;
        this.pages = pages;
    }

    /**
     * The registry takes bodies up to its own limit (64M, its QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE), lower
     * than the console's: a larger file is refused here in words, not relayed to be cut off there
     * (which the console would report as a registry out of reach).
     */
    private static void withinRegistryLimit(long bytes, String back) {
        if (bytes > REGISTRY_BODY_LIMIT) {
            throw new ConsoleException(413, "File too large for the registry", "The registry takes up to "
                    + (REGISTRY_BODY_LIMIT >> 20) + " MB in one request; this one holds " + (bytes >> 20) + " MB.").back(back);
        }
    }

    @GET
    @Operation(summary = "Console: the project's models, by name, 200 a page")
    public Response list(@QueryParam("page") String page, @QueryParam("notice") String notice) {
        int p = Pages.pageNumber(page, "/console/models");
        JsonNode listed = services.get(Service.REGISTRY, "/api/v1/models" + query("page", p, "size", MODELS_PER_PAGE));
        long total = listed.path("total").asLong();
        long pageCount = (total + MODELS_PER_PAGE - 1) / MODELS_PER_PAGE;
        return pages.ok(models.data("models", pages.list(listed)).data("total", total).data("pageNumber", p + 1)
                .data("pages", pageCount).data("previous", p > 0 ? p - 1 : null).data("next", p + 1 < pageCount ? p + 1 : null)
                .data("section", "models").data("notice", notice));
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Console: one model, its versions side by side and its stage history")
    public Response show(@PathParam("name") String name, @QueryParam("page") String page,
                         @QueryParam("compare") List<Integer> compare, @QueryParam("notice") String notice) {
        int p = Pages.pageNumber(page, "/console/models/" + seg(name));
        String base = "/api/v1/models/" + seg(name);
        JsonNode info = services.get(Service.REGISTRY, base);
        JsonNode versions = services.get(Service.REGISTRY, base + "/versions" + query("page", p, "size", VERSIONS_PER_PAGE));
        JsonNode history = services.get(Service.REGISTRY, base + "/history" + query("size", 50));
        List<Map<String, Object>> versionList = pages.list(versions);
        List<Map<String, Object>> compared = new ArrayList<>();
        Set<Integer> wanted = compare == null ? Set.of() : new TreeSet<>(compare);
        for (Integer v : wanted) {
            if (compared.size() == 4) {
                break;
            }
            compared.add(versionList.stream().filter(m -> v.equals(m.get("version"))).findFirst()
                    .orElseGet(() -> pages.map(services.get(Service.REGISTRY, base + "/versions/" + v))));
        }
        long total = versions.path("total").asLong();
        long pageCount = (total + VERSIONS_PER_PAGE - 1) / VERSIONS_PER_PAGE;
        return pages.ok(model.data("model", pages.map(info)).data("versions", versionList).data("pageNumber", p + 1)
                .data("pages", pageCount).data("total", total)
                .data("newer", p > 0 ? p - 1 : null).data("older", p + 1 < pageCount ? p + 1 : null)
                .data("history", pages.list(history)).data("compared", compared).data("comparison", comparison(compared))
                .data("section", "models").data("notice", notice));
    }

    @POST
    @Path("/{name}/stage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: move a version to a stage (the registry's gate decides)")
    public Response stage(@PathParam("name") String name, @FormParam("csrf") String csrf, @FormParam("version") Integer version,
                          @FormParam("stage") String stage, @FormParam("reason") String reason, @FormParam("force") String force) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        String back = "/console/models/" + seg(name);
        if (version == null || stage == null || !STAGES.contains(stage)) {
            throw new ConsoleException(400, "Choose a version and a stage", "Pick the version to move and staging, production or archived.")
                    .back(back);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage", stage);
        body.put("reason", blankToNull(reason));
        body.put("force", "on".equals(force));
        ServiceException.returningTo(back,
                () -> services.post(Service.REGISTRY, "/api/v1/models/" + seg(name) + "/versions/" + version + "/stage", body));
        return Pages.seeOther(back, name + " v" + version + " is now in " + stage + ".");
    }

    @POST
    @Path("/{name}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: roll the model back to an earlier production version")
    public Response rollback(@PathParam("name") String name, @FormParam("csrf") String csrf, @FormParam("reason") String reason,
                             @FormParam("to_version") String toVersion) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        String back = "/console/models/" + seg(name);
        if (reason == null || reason.isBlank()) {
            throw new ConsoleException(400, "Say why", "A rollback needs a reason; it goes into the model's history.").back(back);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason.strip());
        body.put("to_version", toVersion == null || toVersion.isBlank() ? null : parseVersion(toVersion, back));
        JsonNode result = ServiceException.returningTo(back,
                () -> services.post(Service.REGISTRY, "/api/v1/models/" + seg(name) + "/rollback", body));
        return Pages.seeOther(back, "Rolled back from v" + result.path("from_version").asText() + " to v"
                + result.path("to_version").asText() + ".");
    }

    @POST
    @Path("/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Console: register a model file trained elsewhere (XGBoost JSON or UBJSON) as a new version")
    public Response upload(@RestForm("csrf") String csrf, @RestForm("name") String name, @RestForm("artifact") FileUpload artifact,
                           @RestForm("metadata_file") FileUpload metadataFile, @RestForm("metadata") String metadata,
                           @RestForm("from") String from) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        String back = "model".equals(from) && !blank(name) && MODEL_NAME.matcher(name.strip()).matches()
                ? "/console/models/" + seg(name.strip()) : "/console/models";
        if (blank(name)) {
            throw new ConsoleException(400, "Name the model",
                    "Give the name of the model this file is a version of: an existing model, or a new one.").back(back);
        }
        if (!MODEL_NAME.matcher(name.strip()).matches()) {
            throw new ConsoleException(400, "Not a model name", "'" + name.strip() + "' is not a model name: it "
                    + "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.").back("/console/models");
        }
        if (artifact == null || artifact.size() == 0) {
            throw new ConsoleException(400, "Choose the model file",
                    "No model file (artifact) was sent, or it was empty: choose the XGBoost model saved as JSON or UBJSON.")
                    .back(back);
        }
        boolean metadataFileSent = metadataFile != null && metadataFile.size() > 0;
        if (metadataFileSent && !blank(metadata)) {
            throw new ConsoleException(400, "Metadata twice", "Give the metadata as a file or in the text box, not both.")
                    .back(back);
        }
        withinRegistryLimit(artifact.size() + (metadataFileSent ? metadataFile.size() : 0)
                + (metadata == null ? 0 : metadata.length()), back);
        String model = name.strip();
        List<Services.Part> parts = new ArrayList<>();
        parts.add(Services.Part.file("artifact", fileName(artifact, "model.json"), MediaType.APPLICATION_OCTET_STREAM,
                artifact.uploadedFile()));
        if (metadataFileSent) {
            parts.add(Services.Part.file("metadata", null, MediaType.APPLICATION_JSON, metadataFile.uploadedFile()));
        } else if (!blank(metadata)) {
            parts.add(Services.Part.value("metadata", MediaType.APPLICATION_JSON, metadata.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode version = ServiceException.returningTo(back,
                () -> services.postMultipart(Service.REGISTRY, "/api/v1/models/" + seg(model) + "/versions", parts));
        String registered = model + " v" + version.path("version").asText();
        log.infof("console: key %s registered %s (%d bytes)", user.getKeyName(), registered, artifact.size());
        return Pages.seeOther("/console/models/" + seg(model), "Registered " + registered + " from "
                + fileName(artifact, "the uploaded file") + ".");
    }

    @POST
    @Path("/{name}/evaluate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Console: measure a version on a labelled CSV, and record the metrics if asked (write role)")
    public Response evaluate(@PathParam("name") String name, @RestForm("csrf") String csrf, @RestForm("version") String version,
                             @RestForm("data") FileUpload data, @RestForm("target") String target,
                             @RestForm("record") String record) {
        user.checkCsrf(csrf);
        boolean recordAsked = "on".equals(record) || "true".equals(record);
        if (recordAsked) {
            user.require(Role.WRITE);
        }
        String back = "/console/models/" + seg(name);
        if (blank(version)) {
            throw new ConsoleException(400, "Choose a version", "Pick the version to evaluate.").back(back);
        }
        int v = parseVersion(version, back);
        if (data == null || data.size() == 0) {
            throw new ConsoleException(400, "Choose a CSV file",
                    "No labelled CSV (data) was sent, or it was empty: a header row, a column per feature and the label.")
                    .back(back);
        }
        withinRegistryLimit(data.size(), back);
        List<Services.Part> parts = new ArrayList<>();
        parts.add(Services.Part.file("data", fileName(data, "data.csv"), "text/csv", data.uploadedFile()));
        if (!blank(target)) {
            parts.add(Services.Part.value("target", MediaType.TEXT_PLAIN + ";charset=UTF-8",
                    target.strip().getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode result = ServiceException.returningTo(back, () -> services.postMultipart(Service.REGISTRY,
                "/api/v1/models/" + seg(name) + "/versions/" + v + "/evaluate" + query("record", recordAsked ? "true" : null),
                parts));
        Map<String, Object> measured = pages.map(result);
        return pages.ok(evaluation.data("model", name).data("version", v).data("result", measured)
                .data("fileName", data.fileName()).data("recordAsked", recordAsked)
                .data("metrics", metricRows(measured.get("metrics"))).data("matrix", confusionMatrix(measured))
                .data("section", "models").data("notice", null));
    }

    @GET
    @Path("/{name}/versions/{version}/artifact")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Console: download a version's model file")
    public Response artifact(@PathParam("name") String name, @PathParam("version") int version) {
        Services.Raw raw = services.raw(Service.REGISTRY, "/api/v1/models/" + seg(name) + "/versions/" + version + "/artifact",
                MediaType.APPLICATION_OCTET_STREAM);
        String disposition = raw.contentDisposition() != null ? raw.contentDisposition()
                : "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "-v" + version + ".json\"";
        return Response.ok(raw.body(), raw.contentType()).header("Content-Disposition", disposition).build();
    }

    /** An evaluation's figures in a fixed order, those it measured only: a classifier's or a regression model's. */
    static List<Map<String, Object>> metricRows(Object metrics) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (metrics instanceof Map<?, ?> m) {
            EVALUATION_METRICS.forEach((key, label) -> {
                if (m.get(key) instanceof Number n) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", key);
                    row.put("label", label);
                    row.put("value", n);
                    rows.add(row);
                }
            });
        }
        return rows;
    }

    /**
     * A classifier's confusion matrix with its class labels (rows the true class, columns the
     * predicted one): a multi-class evaluation names its classes, a binary one's are 0 and 1.
     */
    static Map<String, Object> confusionMatrix(Map<String, Object> evaluation) {
        if (!(evaluation.get("metrics") instanceof Map<?, ?> m) || !(m.get("confusion_matrix") instanceof List<?> rows)
                || rows.isEmpty()) {
            return null;
        }
        List<?> classes = evaluation.get("classes") instanceof List<?> c && c.size() == rows.size() ? c
                : IntStream.range(0, rows.size()).boxed().toList();
        List<Map<String, Object>> matrix = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", classes.get(i));
            row.put("counts", rows.get(i));
            matrix.add(row);
        }
        return Map.of("classes", classes, "rows", matrix);
    }

    /** Rows for the side-by-side table: every metric and parameter any compared version has. */
    private static List<Map<String, Object>> comparison(List<Map<String, Object>> versions) {
        Set<String> metrics = new TreeSet<>();
        Set<String> params = new TreeSet<>();
        for (Map<String, Object> v : versions) {
            if (v.get("metrics") instanceof Map<?, ?> m) {
                m.forEach((k, value) -> {
                    if (value instanceof Number) {
                        metrics.add(k.toString());
                    }
                });
            }
            if (v.get("params") instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> params.add(k.toString()));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String metric : metrics) {
            rows.add(row("metric", metric, versions.stream().map(v -> nested(v, "metrics", metric)).toList()));
        }
        for (String param : params) {
            rows.add(row("parameter", param, versions.stream().map(v -> nested(v, "params", param)).toList()));
        }
        rows.add(row("other", "decision threshold", versions.stream().map(v -> v.get("decision_threshold")).toList()));
        rows.add(row("other", "features", versions.stream().map(v -> v.get("feature_schema") instanceof List<?> l
                ? (Object) l.size() : null).toList()));
        return rows;
    }

    private static Map<String, String> evaluationMetrics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("accuracy", "Accuracy");
        m.put("precision", "Precision");
        m.put("recall", "Recall");
        m.put("f1", "F1");
        m.put("roc_auc", "ROC-AUC");
        m.put("mae", "Mean absolute error (MAE)");
        m.put("rmse", "Root mean squared error (RMSE)");
        m.put("r2", "R²");
        m.put("threshold", "Decision threshold");
        return m;
    }

    private static Map<String, Object> row(String kind, String name, List<Object> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", kind);
        row.put("name", name);
        row.put("values", values);
        return row;
    }

    private static Object nested(Map<String, Object> v, String field, String key) {
        return v.get(field) instanceof Map<?, ?> m ? m.get(key) : null;
    }

    private static int parseVersion(String text, String back) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ConsoleException(400, "Not a version number", "'" + text + "' is not a version number.").back(back);
        }
    }

    /** The name the browser gave an uploaded file, or {@code otherwise} when it gave none. */
    private static String fileName(FileUpload upload, String otherwise) {
        return blank(upload.fileName()) ? otherwise : upload.fileName();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
