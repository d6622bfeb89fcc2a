package dev.keel.common.stats.baseline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a feature's values are described. The same three kinds appear in a dataset's columns, in a
 * model version's feature schema and in its baseline, so the drift service can pick a test per kind
 * (numeric: KS / Wasserstein / PSI on the sample; categorical and boolean: chi-squared / PSI on the
 * counts).
 */
public enum FeatureType {
    NUMERIC("numeric"),
    CATEGORICAL("categorical"),
    BOOLEAN("boolean");

    private final String json;

    FeatureType(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static FeatureType fromJson(String value) {
        for (FeatureType type : values()) {
            if (type.json.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown feature type '" + value + "'; expected numeric, categorical or boolean");
    }
}
