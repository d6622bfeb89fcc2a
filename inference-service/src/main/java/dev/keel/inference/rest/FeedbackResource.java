package dev.keel.inference.rest;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.RequiresRole;
import dev.keel.common.security.Role;
import dev.keel.inference.service.FeedbackLabels;
import dev.keel.inference.service.FeedbackStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequiresRole(Role.WRITE)
@Tag(name = "Feedback")
public class FeedbackResource {

    private final FeedbackStore store;
    private final FeedbackLabels labels;
    private final CurrentCaller caller;

    public FeedbackResource(FeedbackStore store, FeedbackLabels labels, CurrentCaller caller) {
        this.store = store;
        this.labels = labels;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Join true labels to logged predictions by request id")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "one label", value = Examples.FEEDBACK_REQUEST)))
    @APIResponse(responseCode = "200", description = "How many labels were stored")
    @APIResponse(responseCode = "400", description = "A request id or label is missing or malformed (the field names it)")
    @APIResponse(responseCode = "422", description = "A label does not fit the model that made the logged prediction: "
            + "not 0 or 1 for a binary classifier, not a class index for a multi-class model (the field names it, "
            + "items[i].label); nothing is stored")
    public Stored feedback(@Valid @NotNull FeedbackRequest request) throws SQLException {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < request.items().size(); i++) {
            if (!seen.add(request.items().get(i).requestId())) {
                throw ProblemException.badRequest("items[" + i + "].request_id",
                        "request id " + request.items().get(i).requestId() + " appears twice in one feedback call");
            }
            double label = request.items().get(i).label();
            if (!Double.isFinite(label)) {
                throw ProblemException.badRequest("items[" + i + "].label", "label must be a finite number");
            }
        }
        labels.check(caller.project(), request.items());
        return new Stored(store.store(caller.project(), caller.actor(), request.items()));
    }

    public record Stored(int stored) {
    }
}
