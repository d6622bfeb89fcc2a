package dev.keel.agent.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.domain.Severity;

/**
 * The verdict of one rule on one model: the issue (or none, when {@code severity} is null), the
 * numbers it rests on and a sentence a person can read.
 */
public record Diagnosis(IssueKind kind, Severity severity, String modelName, Integer modelVersion, ObjectNode evidence,
                        String explanation) {

    public boolean detected() {
        return severity != null;
    }

    /** The same verdict, its explanation followed by {@code sentence}. */
    public Diagnosis explainedFurther(String sentence) {
        return new Diagnosis(kind, severity, modelName, modelVersion, evidence, explanation + " " + sentence);
    }
}
