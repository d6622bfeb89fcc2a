package dev.keel.agent.rest;

import dev.keel.agent.service.Diagnosis;
import dev.keel.agent.service.PeriodicCheck;
import dev.keel.agent.service.SignalService;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemResponses;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where issues come in: signals from drift-service and external monitors, and on-demand checks. */
@Path("/api/v1/agent")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Diagnosis")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class SignalResource {

    /** A check takes seconds to a minute or two; the caller of a busy one is asked to come back after this. */
    static final int CHECK_BUSY_RETRY_AFTER_SECONDS = 30;

    private final SignalService signals;
    private final PeriodicCheck check;
    private final CurrentCaller caller;

    public SignalResource(SignalService signals, PeriodicCheck check, CurrentCaller caller) {
        this.signals = signals;
        this.check = check;
        this.caller = caller;
    }

    @POST
    @Path("/signals")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Report an issue", description = "Write role. The agent judges the evidence by the rule of the "
            + "issue's kind, then takes the policy's actions: low risk at once, medium and high as proposals waiting for approval.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "degradation", value = Examples.SIGNAL)))
    @APIResponse(responseCode = "200", description = "The diagnosis and the actions it led to (none when no issue was found)",
            content = @Content(examples = @ExampleObject(name = "diagnosis", value = Examples.DIAGNOSIS)))
    @APIResponse(responseCode = "400", description = "Malformed request, or an evidence field the rule reads that does not "
            + "hold what it must (a share, rate, metric or threshold a number from 0 to 1, a count or id a whole number "
            + "from 1, ...): every such field named as evidence.<field>", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "The bootstrap key names a project that does not exist",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "Evidence the rule cannot judge and no declared severity, or an alert_id "
            + "or evidence.report_id that does not exist in the project",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DiagnosisView signal(@Valid @NotNull SignalRequest request) {
        ProjectRef project = caller.project();
        String source = request.source() == null || request.source().isBlank() ? caller.actor() : request.source().strip();
        SignalService.Outcome outcome = signals.handle(project, request.kind(), request.severity(), request.modelName().strip(),
                request.modelVersion(), request.evidence() == null ? new com.fasterxml.jackson.databind.node.ObjectNode(
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance) : request.evidence().deepCopy(),
                source, request.alertId(), Boolean.TRUE.equals(request.dryRun()), caller.actor());
        return view(outcome.diagnosis(), outcome.actions());
    }

    @POST
    @Path("/checks")
    @RequiresRole(Role.WRITE)
    @Operation(summary = "Run the periodic check now", description = "Write role. Checks every production model of the "
            + "project over the shared schema, as the schedule does, and answers the issues found. It takes the "
            + "scheduled check's lease, so the two never judge the same rows at once.")
    @APIResponse(responseCode = "200", description = "The issues found and the actions taken",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DiagnosisView.class)))
    @APIResponse(responseCode = "409", description = "The periodic check is running already (scheduled, or on demand); "
            + "try again after Retry-After seconds", content = @Content(mediaType = Problem.MEDIA_TYPE),
            headers = @Header(name = "Retry-After", description = "seconds to wait", schema = @Schema(type = SchemaType.INTEGER)))
    public Response check() {
        ProjectRef project = caller.project();
        return check.checkNow(project.id())
                .map(found -> Response.ok(found.stream().map(f -> view(f.diagnosis(), f.actions())).toList()).build())
                .orElseGet(() -> Response.fromResponse(ProblemResponses.of(409, "The periodic check (job agent-check) is "
                                + "running already, on this replica or another; it covers this project too. Try again shortly"))
                        .header("Retry-After", Integer.toString(CHECK_BUSY_RETRY_AFTER_SECONDS)).build());
    }

    static DiagnosisView view(Diagnosis d, List<dev.keel.agent.repository.ActionRecord> actions) {
        return new DiagnosisView(d.kind(), d.detected() ? d.severity().wireName() : "none", d.detected(), d.modelName(),
                d.modelVersion(), d.explanation(), d.evidence(), actions);
    }
}
