package dev.keel.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.domain.IssueKind;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence fields a signal's diagnosis reads (the rules, the completion from the schema, the
 * threshold an adjustment takes), checked before anything is judged: a string read as 0 would grade
 * an F1 as critical and propose a rollback, a share of 9.2e18 would be "critical", a threshold of 5
 * would be clamped into production. Each must be a JSON number (or boolean, or string) of its range;
 * null counts as absent, as the rules read it. A whole number sent as 240.0 (as a Python monitor may)
 * is kept as 240, so the evidence stored names a report as the periodic check does. Fields the agent
 * does not read (drift-service sends drifted_features, window_start, realized_f1 and more) pass as
 * they are.
 */
final class SignalEvidence {

    /** What one field must hold. */
    private enum Shape {
        /** shares, rates, F1, accuracy, decision thresholds */
        UNIT("a number from 0 to 1"),
        /** errors and scores without an upper bound (RMSE, a drift score) */
        NON_NEGATIVE("a finite number of 0 or more"),
        /** counts and row ids */
        COUNT("a whole number from 1 to " + Long.MAX_VALUE),
        /** a model version, as the registry numbers them */
        VERSION("a whole number from 1 to " + Integer.MAX_VALUE),
        BOOLEAN("true or false"),
        TEXT("a string");

        final String expected;

        Shape(String expected) {
            this.expected = expected;
        }
    }

    private SignalEvidence() {
    }

    /**
     * 400 naming every field of {@code evidence} that the rule of {@code kind} reads and that does not
     * hold what it must; whole numbers written with a fraction of zero become integers.
     */
    static void check(IssueKind kind, ObjectNode evidence) {
        List<Problem.FieldError> errors = new ArrayList<>();
        fields(kind).forEach((name, shape) -> {
            JsonNode value = evidence.get(name);
            if (value == null || value.isNull()) {
                return;
            }
            if (!holds(shape, value)) {
                errors.add(new Problem.FieldError("evidence." + name, "must be " + shape.expected + ", not " + describe(value)));
            } else if ((shape == Shape.COUNT || shape == Shape.VERSION) && !value.isIntegralNumber()) {
                evidence.put(name, value.asLong());
            }
        });
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
    }

    /** The fields each kind's diagnosis reads; model_version for every kind (the diagnosis names its version). */
    private static Map<String, Shape> fields(IssueKind kind) {
        Map<String, Shape> f = new LinkedHashMap<>();
        f.put("model_version", Shape.VERSION);
        switch (kind) {
            case DATA_DRIFT -> {
                f.put("report_id", Shape.COUNT);
                f.put("dataset_drift", Shape.BOOLEAN);
                f.put("drift_share", Shape.UNIT);
                f.put("drift_score", Shape.NON_NEGATIVE);
                f.put("severity", Shape.TEXT);
            }
            case PERFORMANCE_DEGRADATION -> {
                for (String metric : List.of("f1", "accuracy", "reference_f1", "reference_accuracy")) {
                    f.put(metric, Shape.UNIT);
                }
                f.put("rmse", Shape.NON_NEGATIVE);
                f.put("reference_rmse", Shape.NON_NEGATIVE);
                f.put("sample_count", Shape.COUNT);
            }
            case PREDICTION_ANOMALY -> {
                f.put("positive_rate", Shape.UNIT);
                f.put("reference_positive_rate", Shape.UNIT);
                f.put("proposed_threshold", Shape.UNIT);
            }
            case LOW_CONFIDENCE -> {
                f.put("low_confidence_share", Shape.UNIT);
                f.put("margin", Shape.UNIT);
            }
            case DATA_QUALITY -> {
                for (String rate : List.of("invalid_rate", "missing_rate", "unseen_category_rate", "refused_rate")) {
                    f.put(rate, Shape.UNIT);
                }
                f.put("rows", Shape.COUNT);
                f.put("requested_rows", Shape.COUNT);
            }
        }
        return f;
    }

    private static boolean holds(Shape shape, JsonNode v) {
        return switch (shape) {
            case UNIT -> v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 1;
            case NON_NEGATIVE -> v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() >= 0;
            // 12.0 is a whole number, 1.5 is not (read as a long it would be report 1)
            case COUNT -> whole(v) && v.canConvertToLong() && v.asLong() >= 1;
            case VERSION -> whole(v) && v.canConvertToInt() && v.asInt() >= 1;
            case BOOLEAN -> v.isBoolean();
            case TEXT -> v.isTextual();
        };
    }

    private static boolean whole(JsonNode v) {
        return v.isIntegralNumber() || (v.isNumber() && v.canConvertToExactIntegral());
    }

    /** The value as a client can recognise it: its JSON type, or the number itself (cut short). */
    private static String describe(JsonNode v) {
        if (v.isNumber()) {
            String text = v.asText();
            return text.length() > 40 ? text.substring(0, 40) + "…" : text;
        }
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> "that value";
        };
    }
}
