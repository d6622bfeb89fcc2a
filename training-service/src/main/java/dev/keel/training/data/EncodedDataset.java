package dev.keel.training.data;

import java.util.List;

/**
 * A dataset as the model sees it: every feature encoded as a float (NaN for missing), rows stored
 * one after another, labels 1 for the positive class and 0 for the other.
 */
public final class EncodedDataset {

    private final List<ColumnSpec> features;
    private final float[] values;
    private final float[] labels;
    private final int rows;

    public EncodedDataset(List<ColumnSpec> features, float[] values, float[] labels) {
        this.features = List.copyOf(features);
        this.rows = labels.length;
        if (values.length != (long) rows * features.size()) {
            throw new IllegalArgumentException(values.length + " values are not " + rows + " rows of " + features.size() + " features");
        }
        this.values = values;
        this.labels = labels;
    }

    public List<ColumnSpec> features() {
        return features;
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return features.size();
    }

    public float value(int row, int feature) {
        return values[row * features.size() + feature];
    }

    public float label(int row) {
        return labels[row];
    }

    public int[] labelsAsInts() {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = labels[i] > 0.5f ? 1 : 0;
        }
        return out;
    }

    /** The given rows' features, row-major, as XGBoost's dense matrix constructor takes them. */
    public float[] valuesOf(int[] rowIndices) {
        int width = features.size();
        float[] out = new float[rowIndices.length * width];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(values, rowIndices[i] * width, out, i * width, width);
        }
        return out;
    }

    public float[] labelsOf(int[] rowIndices) {
        float[] out = new float[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            out[i] = labels[rowIndices[i]];
        }
        return out;
    }
}
