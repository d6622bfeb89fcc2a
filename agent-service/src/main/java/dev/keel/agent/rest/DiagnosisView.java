package dev.keel.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.repository.ActionRecord;
import java.util.List;

/** The agent's verdict on a signal or check, ready to show: severity "none" when no issue was found. */
public record DiagnosisView(IssueKind kind, String severity, boolean issueDetected, String modelName, Integer modelVersion,
                            String explanation, JsonNode evidence, List<ActionRecord> actions) {
}
