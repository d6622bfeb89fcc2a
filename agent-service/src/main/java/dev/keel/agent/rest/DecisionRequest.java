package dev.keel.agent.rest;

import jakarta.validation.constraints.Size;

/** An approver's decision on a proposal; a rejection needs a comment. */
public record DecisionRequest(@Size(max = 2000) String comment) {
}
