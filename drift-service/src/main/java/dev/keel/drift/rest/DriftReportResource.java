package dev.keel.drift.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Timestamps;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.mapping.ReportHtmlRenderer;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.PredictionWindow;
import dev.keel.drift.service.CsvCurrentData;
import dev.keel.drift.service.DriftReport;
import dev.keel.drift.service.DriftReportService;
import dev.keel.drift.service.PolicyResolver;
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
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Drift reports of a project's model versions: computed on request, by schedule, read as JSON or HTML. */
@Path("/api/v1/drift/reports")
@Tag(name = "Drift reports")
public class DriftReportResource {

    private final DriftReportService reports;
    private final CurrentCaller caller;
    private final DriftConfig config;

    public DriftReportResource(DriftReportService reports, CurrentCaller caller, DriftConfig config) {
        this.reports = reports;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Compute and store a drift report over logged predictions")
    @APIResponse(responseCode = "201", description = "The report; Location names it")
    @APIResponse(responseCode = "400", description = "Malformed request, window (an instant outside the years 0001 to 9999 "
            + "too) or threshold (not a finite number from 0 to 1 for a p-value test, to 1000 for a distance)")
    @APIResponse(responseCode = "404", description = "No such model or version")
    @APIResponse(responseCode = "422", description = "No baseline, no predictions in the window, or an invalid method choice")
    public Response create(DriftReportRequest request, @Context UriInfo uri) {
        if (request == null || request.modelName() == null || request.modelName().isBlank()) {
            throw ProblemException.badRequest("model_name", "model_name is required");
        }
        if (request.modelVersion() != null && request.modelVersion() < 1) {
            throw ProblemException.badRequest("model_version", "model_version must be ≥ 1");
        }
        ProjectRef project = caller.project();
        ModelVersionRef version = reports.version(project.id(), request.modelName(), request.modelVersion());
        DriftReport report = reports.fromPredictionLog(version, window(request.window()), request.overrides(), "manual");
        return created(report, uri);
    }

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Compute and store a drift report with an uploaded CSV as the current data; "
            + "numerical_method, categorical_method and all_methods as in the JSON request")
    @APIResponse(responseCode = "201", description = "The report; Location names it")
    @APIResponse(responseCode = "400", description = "No model_name, or an unknown method name")
    @APIResponse(responseCode = "404", description = "No such model or version")
    @APIResponse(responseCode = "422", description = "No baseline, or a CSV without feature columns or rows")
    public Response createFromCsv(InputStream body, @QueryParam("model_name") String modelName,
                                  @QueryParam("model_version") Integer modelVersion,
                                  @QueryParam("numerical_method") String numericalMethod,
                                  @QueryParam("categorical_method") String categoricalMethod,
                                  @QueryParam("all_methods") Boolean allMethods,
                                  @Context UriInfo uri) {
        if (modelName == null || modelName.isBlank()) {
            throw ProblemException.badRequest("model_name", "Name the model with the query parameter model_name");
        }
        ProjectRef project = caller.project();
        ModelVersionRef version = reports.version(project.id(), modelName, modelVersion);
        java.nio.file.Path file = null;
        try {
            // spooled to disk: the scan reads it twice and it may be larger than memory should hold
            file = Files.createTempFile("keel-drift-", ".csv");
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            PolicyResolver.Overrides overrides = new PolicyResolver.Overrides(numericalMethod, null, categoricalMethod,
                    null, java.util.Map.of(), null, Boolean.TRUE.equals(allMethods));
            return created(reports.fromCsv(version, new CsvCurrentData(file), overrides), uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless; the OS cleans its temp directory
                }
            }
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.READ)
    @Operation(summary = "List a project's drift reports, newest first")
    @APIResponse(responseCode = "200", description = "Report summaries, at most limit (default: the most allowed, 100)")
    @APIResponse(responseCode = "400", description = "limit is not a whole number from 1 to keel.drift.report.max-listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<DriftReportSummary> list(@QueryParam("model_name") String modelName,
                                         @QueryParam("model_version") Integer modelVersion,
                                         @QueryParam("limit") String limit) {
        int max = config.report().maxListed();
        int n = ListLimit.parse(limit, max, max);
        ProjectRef project = caller.project();
        return reports.list(project.id(), modelName, modelVersion, n).stream().map(DriftReportSummary::of).toList();
    }

    @GET
    @Path("/{id: [0-9]+}")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.READ)
    @Operation(summary = "A drift report as JSON")
    @APIResponse(responseCode = "200", description = "The report")
    @APIResponse(responseCode = "404", description = "No such report in this project")
    public DriftReport get(@PathParam("id") long id) {
        return load(id);
    }

    @GET
    @Path("/{id: [0-9]+}")
    @Produces(MediaType.TEXT_HTML)
    @RequiresRole(Role.READ)
    @Operation(summary = "A drift report as a self-contained HTML page (Accept: text/html)")
    public String html(@PathParam("id") long id) {
        return ReportHtmlRenderer.render(load(id));
    }

    @GET
    @Path("/{id: [0-9]+}.html")
    @Produces(MediaType.TEXT_HTML)
    @RequiresRole(Role.READ)
    @Operation(summary = "A drift report as a self-contained HTML page")
    public String htmlByExtension(@PathParam("id") long id) {
        return ReportHtmlRenderer.render(load(id));
    }

    private DriftReport load(long id) {
        return reports.find(caller.project().id(), id).orElseThrow(() -> ProblemException.notFound("Drift report", id));
    }

    private PredictionWindow window(DriftReportRequest.Window w) {
        Instant now = Instant.now();
        if (w == null) {
            return PredictionWindow.last(config.report().defaultLastN(), now);
        }
        // java.time reaches a billion years either way, PostgreSQL's timestamptz far less
        Timestamps.storable("window.start", w.start());
        Instant end = w.end() != null ? Timestamps.storable("window.end", w.end()) : now;
        if (w.lastN() != null) {
            if (w.lastN() < 1) {
                throw ProblemException.badRequest("window.last_n", "window.last_n must be ≥ 1");
            }
            if (w.start() != null) {
                throw ProblemException.badRequest("window", "Give either window.start (a time range) or window.last_n, not both");
            }
            return PredictionWindow.last(w.lastN(), end);
        }
        if (w.start() == null) {
            throw ProblemException.badRequest("window.start", "A time window needs a start (or use window.last_n)");
        }
        if (!w.start().isBefore(end)) {
            throw ProblemException.badRequest("window.end", "window.end must be after window.start");
        }
        return PredictionWindow.range(w.start(), end);
    }

    private static Response created(DriftReport report, UriInfo uri) {
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(report.id())).build())
                .entity(report).type(MediaType.APPLICATION_JSON).build();
    }
}
