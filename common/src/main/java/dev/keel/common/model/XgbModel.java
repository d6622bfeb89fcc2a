package dev.keel.common.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An XGBoost model loaded from its JSON form and evaluated in plain Java: no JNI, no native library,
 * nothing that stops it running in a GraalVM native image. Predictions match XGBoost's own (same
 * float32 thresholds, same float sums in the same order, same base_score handling and link
 * functions), so a service can swap xgboost4j for this without changing a single probability.
 *
 * <p>Immutable and thread-safe: prediction methods keep their scratch space on the stack or in the
 * caller's arrays, so one instance serves every request thread.
 *
 * <p>Rows are {@code float[]} in model order ({@link #schema()}); NaN means missing and follows each
 * split's learned default direction. {@link #toRow} builds and validates a row from named features.
 */
public final class XgbModel {

    private final String xgboostVersion;
    private final Objective objective;
    private final FeatureSchema schema;
    private final int numGroups;
    private final int outputWidth;
    private final float[] baseScore;
    private final float[] initialMargins;
    private final BoosterModel booster;

    XgbModel(String xgboostVersion, Objective objective, FeatureSchema schema, int numGroups, float[] baseScore,
             BoosterModel booster) {
        this.xgboostVersion = xgboostVersion;
        this.objective = objective;
        this.schema = schema;
        this.numGroups = numGroups;
        this.outputWidth = objective.outputWidth(numGroups);
        this.baseScore = baseScore.clone();
        this.booster = booster;
        this.initialMargins = new float[numGroups];
        for (int g = 0; g < numGroups; g++) {
            // gblinear starts every group from the first intercept (XGBoost's GBLinear reads base_score(0)).
            float stored = booster instanceof LinearModel ? baseScore[0] : baseScore[g];
            initialMargins[g] = objective.probToMargin(stored);
        }
    }

    /** Loads a model saved as JSON by XGBoost (Python 1.0+ {@code save_model}, xgboost4j {@code saveModel}). */
    public static XgbModel load(byte[] json) {
        return XgbJsonReader.read(json);
    }

    public static XgbModel load(InputStream json) throws IOException {
        return XgbJsonReader.read(json);
    }

    public static XgbModel load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    // ---- what the model is ----

    /** The XGBoost version that wrote the model, e.g. {@code "3.4.0"}, or {@code "unknown"}. */
    public String xgboostVersion() {
        return xgboostVersion;
    }

    public Objective objective() {
        return objective;
    }

    /** {@code "gbtree"} or {@code "gblinear"}. */
    public String booster() {
        return booster.name();
    }

    public int numTrees() {
        return booster.numTrees();
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int numFeatures() {
        return schema.size();
    }

    public List<String> featureNames() {
        return schema.names();
    }

    public List<String> featureTypes() {
        return schema.types();
    }

    /** Margins per row: the number of classes for multi-class models, otherwise the number of targets (usually 1). */
    public int numOutputGroups() {
        return numGroups;
    }

    /** Values per row from {@link #predict}: {@link #numOutputGroups()}, or 1 for multi:softmax (the class index). */
    public int outputWidth() {
        return outputWidth;
    }

    /** {@code base_score} as stored in the model, one per output group (probability space for logistic objectives). */
    public float[] baseScore() {
        return baseScore.clone();
    }

    /** The margins every prediction starts from: {@link #baseScore()} through the objective's inverse link. */
    public float[] baseMargins() {
        return initialMargins.clone();
    }

    // ---- input ----

    /**
     * Turns named features into a row in model order, validating them.
     *
     * @throws InvalidFeatureException for an unknown, missing (unless allowed), non-numeric,
     *     non-finite or invalid categorical feature, naming it
     */
    public float[] toRow(Map<String, ?> features, MissingValues missing) {
        return schema.toRow(features, missing);
    }

    // ---- single row ----

    /** The raw margins of one row, one per output group. */
    public float[] predictMargin(float[] row) {
        float[] out = new float[numGroups];
        predictMargin(row, out);
        return out;
    }

    /** Writes the margins of one row into {@code out[0..numOutputGroups())}. */
    public void predictMargin(float[] row, float[] out) {
        checkRow(row);
        System.arraycopy(initialMargins, 0, out, 0, numGroups);
        booster.addMargins(row, 0, out, 0);
    }

    /** The prediction for one row after the objective's transform: for binary:logistic, {@code [probability]}. */
    public float[] predict(float[] row) {
        float[] out = new float[Math.max(numGroups, outputWidth)];
        predict(row, out);
        return out.length == outputWidth ? out : Arrays.copyOf(out, outputWidth);
    }

    /**
     * Writes the prediction for one row into {@code out[0..outputWidth())}; {@code out} needs
     * {@link #numOutputGroups()} slots because margins are computed in place.
     */
    public void predict(float[] row, float[] out) {
        predictMargin(row, out);
        objective.transform(out, 0, numGroups, out, 0);
    }

    /**
     * The single prediction of a one-output model, without allocating: the probability for
     * binary:logistic, the value for regression.
     *
     * @throws IllegalStateException for multi-output models
     */
    public float predictValue(float[] row) {
        if (numGroups != 1) {
            throw new IllegalStateException("model has " + numGroups + " outputs; use predict(row, out)");
        }
        checkRow(row);
        return objective.transformSingle(booster.margin(row, initialMargins[0]));
    }

    // ---- batches ----

    /**
     * Predicts {@code nRows} rows stored row-major in {@code rows} ({@link #numFeatures()} values per
     * row) into {@code out} ({@link #outputWidth()} values per row). Rows are processed in blocks that
     * walk each tree together, which is faster per row than one row at a time.
     */
    public void predictBatch(float[] rows, int nRows, float[] out) {
        if (outputWidth == numGroups) {
            predictMarginBatch(rows, nRows, out);
            for (int r = 0; r < nRows; r++) {
                objective.transform(out, r * numGroups, numGroups, out, r * numGroups);
            }
        } else {
            float[] margins = new float[nRows * numGroups];
            predictMarginBatch(rows, nRows, margins);
            checkOut(out, nRows * outputWidth);
            for (int r = 0; r < nRows; r++) {
                objective.transform(margins, r * numGroups, numGroups, out, r * outputWidth);
            }
        }
    }

    /** {@link #predictBatch(float[], int, float[])} for rows held as separate arrays. */
    public void predictBatch(float[][] rows, float[] out) {
        int f = numFeatures();
        float[] flat = new float[rows.length * f];
        for (int r = 0; r < rows.length; r++) {
            checkRow(rows[r]);
            System.arraycopy(rows[r], 0, flat, r * f, f);
        }
        predictBatch(flat, rows.length, out);
    }

    /** Margins of {@code nRows} row-major rows into {@code out}, {@link #numOutputGroups()} per row. */
    public void predictMarginBatch(float[] rows, int nRows, float[] out) {
        if (nRows < 0) {
            throw new IllegalArgumentException("nRows is negative: " + nRows);
        }
        long needed = (long) nRows * numFeatures();
        if (rows.length < needed) {
            throw new IllegalArgumentException("rows holds " + rows.length + " values, " + nRows + " rows of "
                    + numFeatures() + " features need " + needed);
        }
        checkOut(out, nRows * numGroups);
        for (int r = 0; r < nRows; r++) {
            System.arraycopy(initialMargins, 0, out, r * numGroups, numGroups);
        }
        booster.addMarginsBatch(rows, 0, nRows, out);
    }

    // ---- explanations ----

    /**
     * SHAP contributions of one row as XGBoost's {@code pred_contribs} lays them out: for each output
     * group, one value per feature followed by the bias, {@code [g * (numFeatures + 1) + f]}. For tree
     * models these are exact path-dependent Tree SHAP values; for gblinear, {@code weight * x}. Each
     * group's values sum to its margin.
     */
    public double[] contributions(float[] row) {
        checkRow(row);
        double[] out = new double[numGroups * (numFeatures() + 1)];
        booster.contributions(row, initialMargins, out);
        return out;
    }

    private void checkRow(float[] row) {
        if (row.length < numFeatures()) {
            throw new IllegalArgumentException("row has " + row.length + " values, the model has " + numFeatures() + " features");
        }
    }

    private static void checkOut(float[] out, long needed) {
        if (out.length < needed) {
            throw new IllegalArgumentException("output holds " + out.length + " values, " + needed + " are needed");
        }
    }

    @Override
    public String toString() {
        return "XgbModel[" + booster.name() + ", " + objective.xgboostName() + ", " + numFeatures() + " features, "
                + numTrees() + " trees, " + numGroups + " output group(s), XGBoost " + xgboostVersion + "]";
    }
}
