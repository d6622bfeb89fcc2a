package dev.keel.drift.stats;

/** What drift detection keeps of one feature of the training data: sufficient statistics, never rows. */
public sealed interface FeatureReference permits NumericalReference, CategoricalReference {

    String name();

    /** Non-missing reference values: Evidently's "reference size" for choosing a test. */
    long count();

    long missing();

    boolean numerical();
}
