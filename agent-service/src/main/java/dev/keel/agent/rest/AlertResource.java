package dev.keel.agent.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import dev.keel.agent.repository.Alert;
import dev.keel.agent.repository.Page;
import dev.keel.agent.service.AlertService;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Paging;
import dev.keel.common.security.Caller;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alerts and their lifecycle: active → acknowledged → resolved, with who and when. */
@Path("/api/v1/agent/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class AlertResource {

    private final AlertService alerts;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public AlertResource(AlertService alerts, CurrentCaller caller, ObjectMapper json) {
        this.alerts = alerts;
        this.caller = caller;
        this.json = json;
    }

    @GET
    @RequiresRole(Role.READ)
    @Operation(summary = "List the project's alerts, most recently seen first")
    @APIResponse(responseCode = "200", description = "A page of alerts",
            content = @Content(examples = @ExampleObject(name = "alerts", value = Examples.ALERTS)))
    @APIResponse(responseCode = "400", description = "An unknown filter value or bad paging", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Page<Alert> list(@QueryParam("status") String status, @QueryParam("kind") String kind,
                            @QueryParam("severity") String severity, @QueryParam("model_name") String modelName,
                            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return alerts.list(caller.project().id(), Paging.oneOf("status", status, "active", "acknowledged", "resolved"),
                Paging.oneOf("kind", kind, "data_drift", "performance_degradation", "prediction_anomaly", "low_confidence",
                        "data_quality", "agent", "system"),
                Paging.oneOf("severity", severity, "info", "warning", "critical"),
                modelName == null || modelName.isBlank() ? null : modelName, Paging.page(page), Paging.size(size));
    }

    @GET
    @Path("/{id: [0-9]+}")
    @RequiresRole(Role.READ)
    @Operation(summary = "One alert with its evidence")
    @APIResponse(responseCode = "200", description = "The alert")
    @APIResponse(responseCode = "404", description = "No such alert in this project", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Alert get(@PathParam("id") long id) {
        return alerts.get(caller.project().id(), id);
    }

    /** What the person handling an alert writes about it; the body is optional. */
    public record AlertNote(String note) {
    }

    static final int MAX_NOTE = 2000;
    /** Room for a note of MAX_NOTE characters of up to four UTF-8 bytes each, escaped, and its JSON. */
    static final int MAX_BODY = 16 * 1024;

    @POST
    @Path("/{id: [0-9]+}/acknowledge")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Acknowledge an alert", description = "Write or approver role. Acknowledging twice is a no-op. "
            + "An optional body {\"note\": \"...\"} (at most 2000 characters) is kept with the alert.")
    @APIResponse(responseCode = "200", description = "The acknowledged alert")
    @APIResponse(responseCode = "400", description = "A note over 2000 characters or holding a NUL character",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "No such alert in this project", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "The alert is resolved", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertNote.class)))
    public Alert acknowledge(@PathParam("id") long id, InputStream body) {
        long project = caller.project().id();
        return alerts.acknowledge(project, id, onCall().keyName(), note(body));
    }

    @POST
    @Path("/{id: [0-9]+}/resolve")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Resolve an alert", description = "Write or approver role. Resolving twice is a no-op; a later "
            + "occurrence of the same issue opens a new alert. An optional body {\"note\": \"...\"} (at most 2000 "
            + "characters: the cause, what was done) is kept with the alert.")
    @APIResponse(responseCode = "200", description = "The resolved alert")
    @APIResponse(responseCode = "400", description = "A note over 2000 characters or holding a NUL character",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "No such alert in this project", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertNote.class)))
    public Alert resolve(@PathParam("id") long id, InputStream body) {
        long project = caller.project().id();
        return alerts.resolve(project, id, onCall().keyName(), note(body));
    }

    /**
     * The note of an optional JSON body: a request with none (curl -X POST, any Content-Type) works as
     * it always did.
     */
    private String note(InputStream in) {
        byte[] body;
        try {
            // a note is 2000 characters at most: the body is read no further than a generous bound
            body = in == null ? new byte[0] : in.readNBytes(MAX_BODY + 1);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("note", "The body could not be read: " + e.getMessage());
        }
        if (body.length > MAX_BODY) {
            throw new ProblemException(413, "Content too large", "The body holds a note of at most " + MAX_NOTE
                    + " characters; it is larger than " + MAX_BODY + " bytes", "note", null);
        }
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        AlertNote parsed;
        try {
            parsed = json.readValue(body, AlertNote.class);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("note", "The body, when sent, is a JSON object {\"note\": \"...\"}");
        }
        String note = parsed == null ? null : parsed.note();
        if (note != null && note.length() > MAX_NOTE) {
            throw ProblemException.badRequest("note", "note: at most " + MAX_NOTE + " characters; this one has " + note.length());
        }
        return note;
    }

    /** The people who handle alerts: writers and approvers (and admins). */
    private Caller onCall() {
        Caller c = caller.get();
        if (!c.has(Role.WRITE) && !c.has(Role.APPROVER)) {
            throw ProblemException.forbidden("This needs the write or approver role; the API key '" + c.keyName()
                    + "' has " + c.role().wireName());
        }
        return c;
    }
}
