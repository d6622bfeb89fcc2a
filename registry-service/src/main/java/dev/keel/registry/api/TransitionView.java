package dev.keel.registry.api;

import dev.keel.registry.domain.GateResult;
import dev.keel.registry.domain.Stage;
import dev.keel.registry.domain.TransitionKind;
import java.time.Instant;
import java.util.Map;

/** One audit row of a model's history. */
public record TransitionView(String model, int version, TransitionKind kind, Stage fromStage, Stage toStage,
                             String actor, String reason, boolean forced, GateResult gateResult,
                             Map<String, Object> details, Instant createdAt) {
}
