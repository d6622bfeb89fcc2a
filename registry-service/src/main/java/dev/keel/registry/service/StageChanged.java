package dev.keel.registry.service;

import dev.keel.registry.domain.Stage;

/**
 * A committed change of production, for what must only happen once it is durable: the promotion
 * metric and the operator's log line.
 *
 * @param outcome {@code promoted}, {@code forced} or {@code rollback}
 */
public record StageChanged(String project, String model, int version, Stage from, Stage to, Integer replacedVersion,
                           String outcome, String actor, long gateMillis) {
}
