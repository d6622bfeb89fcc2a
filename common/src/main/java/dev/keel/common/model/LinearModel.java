package dev.keel.common.model;

/**
 * XGBoost's {@code gblinear}: one weight per feature and output group plus a bias per group, stored
 * as XGBoost stores them, {@code (numFeatures + 1) x numGroups} feature-major with the biases last.
 * A missing (NaN) feature contributes nothing, as in XGBoost, which skips absent entries.
 */
final class LinearModel implements BoosterModel {

    private final int numFeatures;
    private final int numGroups;
    private final float[] weights;

    LinearModel(int numFeatures, int numGroups, float[] weights) {
        long expected = (numFeatures + 1L) * numGroups;   // in long: the product of two large counts wraps in int
        if (weights.length != expected) {
            throw new ModelFormatException("gblinear 'weights' has " + weights.length + " entries, expected (num_feature + 1) x groups = "
                    + (numFeatures + 1) + " x " + numGroups + " = " + expected);
        }
        this.numFeatures = numFeatures;
        this.numGroups = numGroups;
        this.weights = weights.clone();
    }

    @Override
    public String name() {
        return "gblinear";
    }

    @Override
    public int numTrees() {
        return 0;
    }

    @Override
    public float margin(float[] row, float initialMargin) {
        float sum = weights[numFeatures * numGroups] + initialMargin;
        for (int f = 0; f < numFeatures; f++) {
            float x = row[f];
            if (x == x) {
                sum += x * weights[f * numGroups];
            }
        }
        return sum;
    }

    @Override
    public void addMargins(float[] rows, int rowOffset, float[] margins, int marginOffset) {
        int biasOffset = numFeatures * numGroups;
        for (int g = 0; g < numGroups; g++) {
            // XGBoost: psum = bias + base, then each present feature's x * w in column order.
            float sum = weights[biasOffset + g] + margins[marginOffset + g];
            for (int f = 0; f < numFeatures; f++) {
                float x = rows[rowOffset + f];
                if (x == x) {
                    sum += x * weights[f * numGroups + g];
                }
            }
            margins[marginOffset + g] = sum;
        }
    }

    @Override
    public void addMarginsBatch(float[] rows, int firstRow, int nRows, float[] margins) {
        for (int r = firstRow, end = firstRow + nRows; r < end; r++) {
            addMargins(rows, r * numFeatures, margins, r * numGroups);
        }
    }

    @Override
    public void contributions(float[] row, float[] initialMargins, double[] out) {
        int columns = numFeatures + 1;
        int biasOffset = numFeatures * numGroups;
        for (int g = 0; g < numGroups; g++) {
            for (int f = 0; f < numFeatures; f++) {
                float x = row[f];
                out[g * columns + f] = x == x ? x * weights[f * numGroups + g] : 0.0f;
            }
            out[g * columns + numFeatures] = weights[biasOffset + g] + initialMargins[g];
        }
    }
}
