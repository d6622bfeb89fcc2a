package dev.keel.common.model;

/**
 * Whether a request may leave features out. XGBoost routes a missing value down each split's
 * learned default branch, so allowing them is sound for the model; rejecting them is the stricter
 * contract an API usually wants.
 */
public enum MissingValues {
    /** An absent, null or NaN feature is an {@link InvalidFeatureException}. */
    REJECT,
    /** An absent, null or NaN feature becomes NaN, which the model treats as missing. */
    ALLOW
}
