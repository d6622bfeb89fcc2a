package dev.keel.common.features;

import dev.keel.common.model.InvalidFeatureException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns category names in a request into the codes the model was trained on, so that a client
 * sends {@code "chest_pain": "typical"} rather than {@code 0}. Everything else about a feature is
 * validated by the model's own schema; this only rewrites strings of categorical features.
 */
public final class CategoryCodes {

    private static final CategoryCodes NONE = new CategoryCodes(Map.of());

    private final Map<String, Map<String, Integer>> codesByFeature;

    private CategoryCodes(Map<String, Map<String, Integer>> codesByFeature) {
        this.codesByFeature = codesByFeature;
    }

    public static CategoryCodes of(List<FeatureSpec> schema) {
        if (schema == null) {
            return NONE;
        }
        Map<String, Map<String, Integer>> codes = new HashMap<>();
        for (FeatureSpec spec : schema) {
            if (spec.type() == FeatureType.CATEGORICAL && spec.categories() != null) {
                Map<String, Integer> byName = new HashMap<>();
                for (int i = 0; i < spec.categories().size(); i++) {
                    byName.put(spec.categories().get(i), i);
                }
                codes.put(spec.name(), Map.copyOf(byName));
            }
        }
        return codes.isEmpty() ? NONE : new CategoryCodes(Map.copyOf(codes));
    }

    public boolean isEmpty() {
        return codesByFeature.isEmpty();
    }

    /**
     * The features with category names replaced by codes; the same map when there is nothing to
     * replace, so the common all-numeric request allocates nothing.
     *
     * @throws InvalidFeatureException for a category the model never saw in training
     */
    public Map<String, Object> encode(Map<String, Object> features) {
        if (codesByFeature.isEmpty()) {
            return features;
        }
        Map<String, Object> encoded = null;
        for (Map.Entry<String, Map<String, Integer>> feature : codesByFeature.entrySet()) {
            Object value = features.get(feature.getKey());
            if (value instanceof String category) {
                Integer code = feature.getValue().get(category);
                if (code == null) {
                    throw new InvalidFeatureException(feature.getKey(), InvalidFeatureException.Reason.INVALID_CATEGORY,
                            "category '" + category + "' of feature '" + feature.getKey()
                                    + "' was not seen in training; known: " + feature.getValue().keySet().stream().sorted().toList());
                }
                if (encoded == null) {
                    encoded = new HashMap<>(features);
                }
                encoded.put(feature.getKey(), code);
            }
        }
        return encoded == null ? features : encoded;
    }
}
