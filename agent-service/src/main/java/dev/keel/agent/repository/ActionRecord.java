package dev.keel.agent.repository;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One agent_actions row: a proposal or an execution, its decision and its outcome. */
public record ActionRecord(long id, @JsonIgnore long projectId, String modelName, String issueKind, String severity,
                           String action, String risk, String status, boolean dryRun, JsonNode params,
                           JsonNode evidence, String explanation, JsonNode result, Long alertId, String proposedBy,
                           String decidedBy, String decisionComment, Instant decidedAt, Instant expiresAt,
                           Instant startedAt, Instant finishedAt, Instant createdAt) {
}
