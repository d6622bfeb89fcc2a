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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Models pages: every model, one model's versions and history, promotion and rollback. */
@Path("/console/models")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class ModelsResource {

    static final int VERSIONS_PER_PAGE = 50;
    private static final int MODELS_PER_PAGE = 200;
    private static final Set<String> STAGES = Set.of("staging", "production", "archived");

    private final Template models;
    private final Template model;
    private final Services services;
    private final ConsoleUser user;
    private final Pages pages;

    public ModelsResource(@Location("console/models.html") Template models, @Location("console/model.html") Template model,
                          Services services, ConsoleUser user, Pages pages) {
        this.models = models;
        this.model = model;
        this.services = services;
        this.user = user;
        this.pages = pages;
    }

    @GET
    @Operation(summary = "Console: the project's models, by name, 200 a page")
    public Response list(@QueryParam("page") Integer page, @QueryParam("notice") String notice) {
        int p = page == null || page < 0 ? 0 : page;
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
    public Response show(@PathParam("name") String name, @QueryParam("page") Integer page,
                         @QueryParam("compare") List<Integer> compare, @QueryParam("notice") String notice) {
        int p = page == null || page < 0 ? 0 : page;
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

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
