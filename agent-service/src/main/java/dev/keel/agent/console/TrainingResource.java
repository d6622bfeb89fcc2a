package dev.keel.agent.console;

import static dev.keel.agent.console.Services.query;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The Training pages: upload or generate data, check it, start a run, watch it, see its results. */
@Path("/console/training")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class TrainingResource {

    static final List<String> FAMILIES = List.of("gradient_boosting", "leaf_wise", "random_forest", "logistic_regression");
    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "rejected", "cancelled");

    private final Template training;
    private final Template dataset;
    private final Template run;
    private final Services services;
    private final ConsoleUser user;
    private final Pages pages;

    public TrainingResource(@Location("console/training.html") Template training, @Location("console/dataset.html") Template dataset,
                            @Location("console/run.html") Template run, Services services, ConsoleUser user, Pages pages) {
        this.training = training;
        this.dataset = dataset;
        this.run = run;
        this.services = services;
        this.user = user;
        this.pages = pages;
    }

    @GET
    @Operation(summary = "Console: datasets and training runs")
    public Response overview(@QueryParam("notice") String notice) {
        JsonNode runs = services.get(Service.TRAINING, "/api/v1/training-runs" + query("size", 25));
        JsonNode datasets = services.get(Service.TRAINING, "/api/v1/datasets" + query("size", 25));
        return pages.ok(training.data("runs", pages.list(runs)).data("datasets", pages.list(datasets))
                .data("section", "training").data("notice", notice));
    }

    @POST
    @Path("/datasets")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Console: upload a CSV; its validation report is shown next")
    public Response upload(@RestForm("csrf") String csrf, @RestForm("file") FileUpload file, @RestForm("name") String name,
                           @RestForm("target") String target, @RestForm("positive_class") String positiveClass) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        if (file == null || file.size() == 0) {
            throw new ConsoleException(400, "Choose a CSV file", "No file was sent, or it was empty.").back("/console/training");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String datasetName = blank(name) ? stripExtension(file.fileName()) : name.strip();
        JsonNode created = ServiceException.returningTo("/console/training", () -> services.postBytes(Service.TRAINING,
                "/api/v1/datasets" + query("name", datasetName, "target", blank(target) ? null : target.strip(),
                        "positive_class", blank(positiveClass) ? null : positiveClass.strip()), "text/csv", bytes));
        return Pages.seeOther("/console/training/datasets/" + created.path("id").asLong(), "Uploaded and checked.");
    }

    @POST
    @Path("/datasets/synthetic")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: generate a synthetic heart-disease dataset to try training on")
    public Response synthetic(@FormParam("csrf") String csrf, @FormParam("rows") Long rows, @FormParam("name") String name,
                              @FormParam("seed") Long seed) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", blank(name) ? "synthetic-heart-disease" : name.strip());
        body.put("rows", rows == null ? 2000 : rows);
        body.put("seed", seed);
        JsonNode created = ServiceException.returningTo("/console/training",
                () -> services.post(Service.TRAINING, "/api/v1/datasets/synthetic", body));
        return Pages.seeOther("/console/training/datasets/" + created.path("id").asLong(), "Generated and checked.");
    }

    @GET
    @Path("/datasets/{id}")
    @Operation(summary = "Console: a dataset's validation report, and a run to start on it")
    public Response dataset(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Map<String, Object> data = pages.map(services.get(Service.TRAINING, "/api/v1/datasets/" + id));
        return pages.ok(dataset.data("dataset", data).data("families", FAMILIES).data("section", "training")
                .data("suggestedName", suggestedModelName(String.valueOf(data.get("name")))).data("notice", notice));
    }

    @POST
    @Path("/runs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: start a training run")
    public Response start(@FormParam("csrf") String csrf, @FormParam("dataset_id") Long datasetId,
                          @FormParam("model_name") String modelName, @FormParam("families") List<String> families,
                          @FormParam("strategy") String strategy, @FormParam("budget") Integer budget) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        String back = datasetId == null ? "/console/training" : "/console/training/datasets/" + datasetId;
        if (datasetId == null || blank(modelName)) {
            throw new ConsoleException(400, "Name the model", "A run needs a dataset and the name of the model it trains.").back(back);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", modelName.strip());
        body.put("dataset_id", datasetId);
        List<String> chosen = families == null ? List.of() : families.stream().filter(FAMILIES::contains).toList();
        if (!chosen.isEmpty()) {
            body.put("families", chosen);
        }
        if (!blank(strategy) || budget != null) {
            Map<String, Object> search = new LinkedHashMap<>();
            search.put("strategy", blank(strategy) ? null : strategy);
            search.put("budget", budget);
            body.put("search", search);
        }
        JsonNode started = ServiceException.returningTo(back, () -> services.post(Service.TRAINING, "/api/v1/training-runs", body));
        return Pages.seeOther("/console/training/runs/" + started.path("id").asLong(), "Run started.");
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "Console: a run's live progress, then its results")
    public Response run(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Map<String, Object> data = pages.map(services.get(Service.TRAINING, "/api/v1/training-runs/" + id));
        boolean finished = FINISHED.contains(String.valueOf(data.get("status")));
        Map<String, Object> progress = data.get("progress") instanceof Map<?, ?> m ? cast(m) : Map.of();
        int done = number(progress.get("candidates_done"));
        int total = number(progress.get("candidates_total"));
        return pages.ok(run.data("run", data).data("finished", finished).data("done", done).data("total", total)
                .data("families", familyScores(data.get("candidates"))).data("roc", roc(data.get("roc_curve")))
                .data("section", "training").data("notice", notice));
    }

    @POST
    @Path("/runs/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: cancel a queued or running run")
    public Response cancel(@PathParam("id") long id, @FormParam("csrf") String csrf) {
        user.checkCsrf(csrf);
        user.require(Role.WRITE);
        ServiceException.returningTo("/console/training/runs/" + id,
                () -> services.post(Service.TRAINING, "/api/v1/training-runs/" + id + "/cancel", Map.of()));
        return Pages.seeOther("/console/training/runs/" + id, "Cancellation asked for.");
    }

    /** Per family: how many candidates were tried and the best one's cross-validated scores. */
    static List<Map<String, Object>> familyScores(Object candidates) {
        if (!(candidates instanceof List<?> list)) {
            return List.of();
        }
        Map<String, Map<String, Object>> best = new LinkedHashMap<>();
        Map<String, Integer> tried = new LinkedHashMap<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> c)) {
                continue;
            }
            String family = String.valueOf(c.get("family"));
            tried.merge(family, 1, Integer::sum);
            Map<String, Object> current = best.get(family);
            if (current == null || decimal(c.get("mean_f1")) > decimal(current.get("mean_f1"))) {
                best.put(family, cast(c));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        best.forEach((family, c) -> {
            Map<String, Object> row = new LinkedHashMap<>(c);
            row.put("tried", tried.get(family));
            rows.add(row);
        });
        rows.sort(Comparator.comparingDouble((Map<String, Object> r) -> decimal(r.get("mean_f1"))).reversed());
        return rows;
    }

    private static String roc(Object curve) {
        if (!(curve instanceof List<?> points) || points.isEmpty()) {
            return "";
        }
        List<double[]> xy = new ArrayList<>();
        for (Object p : points) {
            if (p instanceof List<?> pair && pair.size() == 2) {
                xy.add(new double[] {decimal(pair.get(0)), decimal(pair.get(1))});
            }
        }
        return Charts.roc("ROC curve on the held-out test rows", xy);
    }

    static String suggestedModelName(String datasetName) {
        String base = datasetName == null ? "" : datasetName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        return base.isEmpty() ? "my-model" : base;
    }

    private static String stripExtension(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "dataset";
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static double decimal(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NEGATIVE_INFINITY;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
