package dev.keel.training.learning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The four kinds of candidate a run searches over, all trained by xgboost4j. */
public enum ModelFamily {
    /** Gradient-boosted trees grown depth-wise, XGBoost's default. */
    GRADIENT_BOOSTING("gradient_boosting"),
    /** Gradient-boosted trees grown leaf-wise ({@code grow_policy=lossguide}), as LightGBM grows them. */
    LEAF_WISE("leaf_wise"),
    /** A random forest: one round of many parallel trees on row and column subsamples. */
    RANDOM_FOREST("random_forest"),
    /** L1/L2-regularised logistic regression ({@code booster=gblinear}). */
    LOGISTIC_REGRESSION("logistic_regression");

    private final String json;

    ModelFamily(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    public static Optional<ModelFamily> fromJson(String value) {
        return Arrays.stream(values()).filter(f -> f.json.equals(value)).findFirst();
    }

    @JsonCreator
    static ModelFamily parse(String value) {
        return fromJson(value).orElseThrow(() -> new IllegalArgumentException("unknown model family '" + value
                + "'; expected one of gradient_boosting, leaf_wise, random_forest, logistic_regression"));
    }
}
