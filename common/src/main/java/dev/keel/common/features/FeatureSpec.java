package dev.keel.common.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One model input as the registry records it, in the model's input order. For a categorical
 * feature, {@code categories} lists the values in code order: {@code categories[i]} is fed to the
 * model as code {@code i} (the training service's ordinal encoding).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureSpec(String name, FeatureType type, List<String> categories) {

    public FeatureSpec {
        categories = categories == null ? null : List.copyOf(categories);
    }
}
