package dev.keel.agent.console;

import dev.keel.agent.repository.ActionRecord;
import dev.keel.agent.repository.Alert;
import dev.keel.agent.repository.Page;
import dev.keel.agent.service.ActionService;
import dev.keel.agent.service.AlertService;
import dev.keel.common.problem.ProblemException;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Agent page: proposals waiting for a human (with their evidence) to approve or reject, what the
 * agent did lately, and the open alerts. Decisions go through the same service as the REST API, so
 * they are recorded under the signed-in key's name and need the approver role.
 */
@Path("/console/agent")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class AgentResource {

    static final int RECENT_ACTIONS = 50;

    private final Template agent;
    private final ActionService actions;
    private final AlertService alerts;
    private final ConsoleUser user;
    private final Pages pages;

    public AgentResource(@Location("console/agent.html") Template agent, ActionService actions, AlertService alerts,
                         ConsoleUser user, Pages pages) {
        this.agent = agent;
        this.actions = actions;
        this.alerts = alerts;
        this.user = user;
        this.pages = pages;
    }

    @GET
    @Operation(summary = "Console: pending approvals, recent actions and open alerts")
    public Response show(@QueryParam("notice") String notice) {
        long project = user.projectId();
        Page<ActionRecord> pending = actions.list(project, "pending_approval", null, null, null, null, 0, 100);
        Page<ActionRecord> recent = actions.list(project, null, null, null, null, null, 0, RECENT_ACTIONS);
        List<Alert> open = new ArrayList<>(alerts.list(project, "active", null, null, null, 0, 100).items());
        open.addAll(alerts.list(project, "acknowledged", null, null, null, 0, 100).items());
        return pages.ok(agent.data("pending", pages.data(pending.items())).data("pendingTotal", pending.total())
                .data("recent", pages.data(recent.items())).data("recentTotal", recent.total())
                .data("alerts", pages.data(open)).data("section", "agent").data("notice", notice));
    }

    @POST
    @Path("/actions/{id: [0-9]+}/{decision: approve|reject}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: approve or reject a proposed action, with a comment")
    public Response decide(@PathParam("id") long id, @PathParam("decision") String decision, @FormParam("csrf") String csrf,
                           @FormParam("comment") String comment) {
        user.checkCsrf(csrf);
        user.require(Role.APPROVER);
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        if (note != null && note.length() > 2000) {
            throw new ConsoleException(400, "Comment too long", "Keep the comment under 2,000 characters.").back("/console/agent");
        }
        ActionRecord result;
        try {
            result = "approve".equals(decision)
                    ? actions.approve(user.projectId(), user.getProject(), id, user.getKeyName(), note)
                    : actions.reject(user.projectId(), id, user.getKeyName(), note);
        } catch (ProblemException e) {
            throw new ConsoleException(e.status(), "Could not " + decision + " action #" + id, e.getMessage()).back("/console/agent");
        }
        return Pages.seeOther("/console/agent", "Action #" + id + " (" + result.action() + ") is now " + result.status() + ".");
    }

    @POST
    @Path("/alerts/{id: [0-9]+}/{change: acknowledge|resolve}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Console: acknowledge or resolve an alert")
    public Response alert(@PathParam("id") long id, @PathParam("change") String change, @FormParam("csrf") String csrf,
                          @FormParam("note") String note) {
        user.checkCsrf(csrf);
        if (!user.isOnCall()) {
            user.require(Role.WRITE); // says which roles would do
        }
        try {
            if (note != null && note.length() > 2000) {
                throw new ConsoleException(400, "Note too long", "A note holds at most 2000 characters; this one has "
                        + note.length() + ".").back("/console/agent");
            }
            Alert result = "acknowledge".equals(change) ? alerts.acknowledge(user.projectId(), id, user.getKeyName(), note)
                    : alerts.resolve(user.projectId(), id, user.getKeyName(), note);
            return Pages.seeOther("/console/agent", "Alert #" + id + " is now " + result.status() + ".");
        } catch (ProblemException e) {
            throw new ConsoleException(e.status(), "Could not " + change + " alert #" + id, e.getMessage()).back("/console/agent");
        }
    }
}
