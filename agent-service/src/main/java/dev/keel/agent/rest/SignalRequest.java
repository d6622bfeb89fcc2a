package dev.keel.agent.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.domain.Severity;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * An issue reported to the agent.
 *
 * @param kind         one of the five issue kinds
 * @param severity     the reporter's own verdict; used only when the evidence lacks the numbers of the agent's rule
 * @param modelName    the model concerned
 * @param modelVersion the version concerned, when known
 * @param source       who noticed (default: the caller's key name)
 * @param evidence     the numbers: see the README for the fields each rule reads; optional (none is {}, and then
 *                     {@code severity} is required)
 * @param alertId      an alert already raised for this issue (drift-service raises its own), linked instead of bumped
 * @param dryRun       record what would be done without doing it
 */
public record SignalRequest(@NotNull IssueKind kind, Severity severity,
                            @NotBlank @Size(max = 128) String modelName, @Positive Integer modelVersion,
                            @Size(max = 200) String source, ObjectNode evidence, Long alertId, Boolean dryRun) {
}
