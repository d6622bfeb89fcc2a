package dev.keel.common.model;

/**
 * The part of an XGBoost model that turns a row into margins: {@code gbtree} or {@code gblinear}.
 * Implementations are immutable and hold no per-call state, which is what makes {@link XgbModel}
 * safe to share between request threads.
 */
sealed interface BoosterModel permits TreeEnsemble, LinearModel {

    /** XGBoost's name for the booster, as in {@code learner.gradient_booster.name}. */
    String name();

    int numTrees();

    /**
     * Adds this booster's output for the row at {@code rows[rowOffset..]} to the margins at
     * {@code margins[marginOffset..]}, one per output group, which hold the initial margins. The
     * additions happen in XGBoost's order so the float sums are the same.
     */
    void addMargins(float[] rows, int rowOffset, float[] margins, int marginOffset);

    /** The margin of a one-output model for the row, starting from {@code initialMargin}. */
    float margin(float[] row, float initialMargin);

    /**
     * Like {@link #addMargins} for {@code nRows} consecutive rows of {@code numFeatures} values each,
     * starting at row {@code firstRow}; margins are laid out row-major, one per group.
     */
    void addMarginsBatch(float[] rows, int firstRow, int nRows, float[] margins);

    /**
     * Per-feature contributions plus the bias (last) for each group, laid out as XGBoost's
     * {@code pred_contribs}: {@code out[g * (numFeatures + 1) + f]}. {@code initialMargins} are the
     * margins prediction starts from; they belong to the bias.
     */
    void contributions(float[] row, float[] initialMargins, double[] out);
}
