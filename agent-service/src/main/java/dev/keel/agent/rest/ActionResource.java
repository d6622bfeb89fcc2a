package dev.keel.agent.rest;

import dev.keel.agent.repository.ActionRecord;
import dev.keel.agent.repository.Page;
import dev.keel.agent.service.ActionService;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.rest.Paging;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import jakarta.validation.Valid;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The agent's actions: every proposal, decision, execution and result, and the approval of risky ones. */
@Path("/api/v1/agent/actions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Actions")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "The key belongs to another project or has too low a role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class ActionResource {

    private final ActionService actions;
    private final CurrentCaller caller;

    public ActionResource(ActionService actions, CurrentCaller caller) {
        this.actions = actions;
        this.caller = caller;
    }

    @GET
    @RequiresRole(Role.READ)
    @Operation(summary = "List the project's agent actions, newest first")
    @APIResponse(responseCode = "200", description = "A page of actions",
            content = @Content(examples = @ExampleObject(name = "actions", value = Examples.ACTIONS)))
    @APIResponse(responseCode = "400", description = "An unknown filter value or bad paging", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Page<ActionRecord> list(@QueryParam("status") String status, @QueryParam("action") String action,
                                   @QueryParam("issue_kind") String issueKind, @QueryParam("risk") String risk,
                                   @QueryParam("model_name") String modelName, @QueryParam("page") Integer page,
                                   @QueryParam("size") Integer size) {
        return actions.list(caller.project().id(),
                Paging.oneOf("status", status, "pending_approval", "approved", "rejected", "expired", "running", "succeeded",
                        "failed", "skipped"),
                Paging.oneOf("action", action, "send_alert", "collect_diagnostics", "validate_data", "generate_report",
                        "adjust_threshold", "retrain_model", "rollback_model"),
                Paging.oneOf("issue_kind", issueKind, "data_drift", "performance_degradation", "prediction_anomaly",
                        "low_confidence", "data_quality"),
                Paging.oneOf("risk", risk, "low", "medium", "high"),
                modelName == null || modelName.isBlank() ? null : modelName, Paging.page(page), Paging.size(size));
    }

    @GET
    @Path("/{id: [0-9]+}")
    @RequiresRole(Role.READ)
    @Operation(summary = "One action with its evidence, explanation, decision and result")
    @APIResponse(responseCode = "200", description = "The action")
    @APIResponse(responseCode = "404", description = "No such action in this project", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ActionRecord get(@PathParam("id") long id) {
        return actions.get(caller.project().id(), id);
    }

    @POST
    @Path("/{id: [0-9]+}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.APPROVER)
    @Operation(summary = "Approve a proposal, which then runs", description = "Approver or admin role. Decided once: "
            + "approving again answers the action as it stands; of two concurrent decisions exactly one wins.")
    @APIResponse(responseCode = "200", description = "The action after its execution (succeeded or failed)")
    @APIResponse(responseCode = "404", description = "No such action in this project", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "Already rejected, expired, not a proposal, or the agent's circuit breaker is open",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ActionRecord approve(@PathParam("id") long id, @Valid DecisionRequest request) {
        ProjectRef project = caller.project();
        return actions.approve(project.id(), project.name(), id, caller.actor(), comment(request));
    }

    @POST
    @Path("/{id: [0-9]+}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.APPROVER)
    @Operation(summary = "Reject a proposal", description = "Approver or admin role; the comment (why) is required. "
            + "Rejecting again answers the action as it stands.")
    @APIResponse(responseCode = "200", description = "The rejected action")
    @APIResponse(responseCode = "400", description = "No comment", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "No such action in this project", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "Already approved, expired, or not a proposal", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ActionRecord reject(@PathParam("id") long id, @Valid DecisionRequest request) {
        String comment = comment(request);
        if (comment == null) {
            throw ProblemException.badRequest("comment", "A rejection needs a comment saying why");
        }
        return actions.reject(caller.project().id(), id, caller.actor(), comment);
    }

    private static String comment(DecisionRequest request) {
        return request == null || request.comment() == null || request.comment().isBlank() ? null : request.comment().strip();
    }
}
