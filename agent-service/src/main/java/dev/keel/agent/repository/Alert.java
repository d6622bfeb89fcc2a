package dev.keel.agent.repository;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An alert as stored and as the API shows it (its project is the caller's own), with what the people
 * who acknowledged and resolved it wrote.
 */
public record Alert(long id, @JsonIgnore long projectId, String modelName, String kind, String severity, String status,
                    String title, String message, JsonNode evidence, String source, int occurrences, Instant createdAt,
                    Instant lastSeenAt, String acknowledgedBy, Instant acknowledgedAt, String acknowledgedNote,
                    String resolvedBy, Instant resolvedAt, String resolvedNote) {
}
