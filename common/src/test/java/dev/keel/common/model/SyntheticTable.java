package dev.keel.common.model;

import java.util.Random;

/**
 * Deterministic tabular data for parity tests: eight features mixing continuous values and small
 * integers (the categorical-ish columns 1 and 5), about 5% of cells missing (NaN), and labels for
 * each kind of objective drawn from one hidden score.
 */
record SyntheticTable(float[] values, int nRows, int nFeatures, float[] score) {

    static final int FEATURES = 8;
    /** Columns holding small whole numbers, usable as categorical codes. */
    static final int[] INTEGER_COLUMNS = {1, 3, 5};

    static SyntheticTable generate(int nRows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[nRows * FEATURES];
        float[] score = new float[nRows];
        for (int r = 0; r < nRows; r++) {
            int o = r * FEATURES;
            x[o] = (float) (50 + 10 * random.nextGaussian());
            x[o + 1] = random.nextInt(4);
            x[o + 2] = (float) random.nextGaussian();
            x[o + 3] = random.nextInt(2);
            x[o + 4] = (float) (-Math.log(1 - random.nextDouble()) * 2);
            x[o + 5] = random.nextInt(10);
            x[o + 6] = (float) (random.nextDouble() * 100);
            x[o + 7] = (float) (random.nextGaussian() * 3);
            score[r] = (float) (0.06 * (x[o] - 50) + 1.2 * (x[o + 1] == 2 ? 1 : 0) - 0.8 * x[o + 2] * x[o + 3]
                    + 0.5 * Math.log1p(x[o + 4]) + 0.4 * ((x[o + 5] % 3) - 1) + 0.01 * (x[o + 6] - 50)
                    + 0.3 * Math.sin(x[o + 7]) + 0.5 * random.nextGaussian());
            for (int f = 0; f < FEATURES; f++) {
                if (random.nextDouble() < 0.05) {
                    x[o + f] = Float.NaN;
                }
            }
        }
        return new SyntheticTable(x, nRows, FEATURES, score);
    }

    float[] row(int r) {
        float[] row = new float[nFeatures];
        System.arraycopy(values, r * nFeatures, row, 0, nFeatures);
        return row;
    }

    boolean hasMissing(int r) {
        for (int f = 0; f < nFeatures; f++) {
            if (Float.isNaN(values[r * nFeatures + f])) {
                return true;
            }
        }
        return false;
    }

    /** 0/1 labels drawn from the logistic of the score. */
    float[] binaryLabels(long seed) {
        Random random = new Random(seed);
        float[] y = new float[nRows];
        for (int r = 0; r < nRows; r++) {
            y[r] = random.nextDouble() < 1 / (1 + Math.exp(-score[r])) ? 1 : 0;
        }
        return y;
    }

    /** Three classes cut from the score. */
    float[] classLabels() {
        float[] y = new float[nRows];
        for (int r = 0; r < nRows; r++) {
            y[r] = score[r] < -0.5 ? 0 : score[r] < 0.7 ? 1 : 2;
        }
        return y;
    }

    float[] regressionLabels() {
        return score.clone();
    }

    /** Positive labels for log-link objectives (Poisson, gamma, Tweedie, squared log error). */
    float[] positiveLabels() {
        float[] y = new float[nRows];
        for (int r = 0; r < nRows; r++) {
            y[r] = (float) Math.exp(score[r] / 2);
        }
        return y;
    }

    /** Probabilities in [0, 1] for reg:logistic. */
    float[] probabilityLabels() {
        float[] y = new float[nRows];
        for (int r = 0; r < nRows; r++) {
            y[r] = (float) (1 / (1 + Math.exp(-score[r])));
        }
        return y;
    }
}
