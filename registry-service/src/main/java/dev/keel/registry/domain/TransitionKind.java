package dev.keel.registry.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What an audit row of a model's history records. */
public enum TransitionKind {
    /** A version moved to another stage, or was archived because another took its place in production. */
    STAGE,
    /** Part of a rollback: production went back to an earlier version. */
    ROLLBACK,
    /** The version's decision threshold changed; the stage did not. */
    THRESHOLD,
    /** An evaluation on labelled data became the version's recorded metrics; the stage did not. */
    EVALUATION;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TransitionKind fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transition kind " + name));
    }
}
