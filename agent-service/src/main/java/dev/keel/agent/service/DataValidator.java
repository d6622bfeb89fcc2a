package dev.keel.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks logged requests against a version's feature schema: a feature missing or null, a value of
 * the wrong type (a numeric feature that is not a number), a category the model never saw. Rates
 * count requests with at least one such value; {@code invalid_rate} counts requests with any.
 */
public final class DataValidator {

    private DataValidator() {
    }

    public static ObjectNode validate(JsonNode featureSchema, List<JsonNode> requests) {
        Map<String, int[]> perFeature = new LinkedHashMap<>();
        Map<String, Set<String>> categories = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode f : featureSchema == null ? JsonNodeFactory.instance.arrayNode() : featureSchema) {
            String name = f.path("name").asText();
            types.put(name, f.path("type").asText("numeric"));
            perFeature.put(name, new int[3]);
            if (f.path("categories").isArray() && !f.path("categories").isEmpty()) {
                Set<String> known = new HashSet<>();
                f.path("categories").forEach(c -> known.add(c.asText()));
                categories.put(name, known);
            }
        }
        long missingRows = 0;
        long typeRows = 0;
        long unseenRows = 0;
        long badRows = 0;
        for (JsonNode request : requests) {
            boolean missing = false;
            boolean wrongType = false;
            boolean unseen = false;
            for (Map.Entry<String, String> feature : types.entrySet()) {
                JsonNode value = request == null ? null : request.get(feature.getKey());
                int[] counts = perFeature.get(feature.getKey());
                if (value == null || value.isNull()) {
                    missing = true;
                    counts[0]++;
                } else if (!typeFits(feature.getValue(), value)) {
                    wrongType = true;
                    counts[1]++;
                } else if (categories.containsKey(feature.getKey())
                        && !categories.get(feature.getKey()).contains(value.asText())) {
                    unseen = true;
                    counts[2]++;
                }
            }
            missingRows += missing ? 1 : 0;
            typeRows += wrongType ? 1 : 0;
            unseenRows += unseen ? 1 : 0;
            badRows += missing || wrongType || unseen ? 1 : 0;
        }
        int n = requests.size();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("rows", n);
        out.put("invalid_rate", rate(badRows, n));
        out.put("missing_rate", rate(missingRows, n));
        out.put("type_error_rate", rate(typeRows, n));
        out.put("unseen_category_rate", rate(unseenRows, n));
        ObjectNode features = out.putObject("features");
        perFeature.forEach((name, c) -> {
            if (c[0] + c[1] + c[2] > 0) {
                ObjectNode f = features.putObject(name);
                f.put("missing", c[0]);
                f.put("wrong_type", c[1]);
                f.put("unseen_category", c[2]);
            }
        });
        return out;
    }

    private static boolean typeFits(String type, JsonNode value) {
        return switch (type) {
            case "numeric" -> value.isNumber();
            case "boolean" -> value.isBoolean() || (value.isNumber() && (value.asDouble() == 0 || value.asDouble() == 1));
            default -> value.isTextual() || value.isNumber() || value.isBoolean();
        };
    }

    private static double rate(long count, int n) {
        return n == 0 ? 0 : DiagnosisRules.round((double) count / n);
    }
}
