package dev.keel.training.learning;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.data.EncodedDataset;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;

/**
 * The chosen candidate refitted on every training row, scored once on the held-out test rows.
 *
 * @param artifact the model as XGBoost JSON
 * @param testProbabilities its predictions for the test rows, in their order
 * @param rocCurve its ROC curve on the test rows, at most {@link #ROC_POINTS} points; empty when they hold one class
 */
public record FinalModel(byte[] artifact, float[] testProbabilities, float[] testLabels, BinaryMetrics testMetrics,
                         List<List<Double>> rocCurve) {

    /** Enough to draw the curve; the full one has a point per distinct test score. */
    public static final int ROC_POINTS = 101;

    public static FinalModel fit(XgbTrainer trainer, EncodedDataset data, int[] trainRows, int[] testRows,
                                 Hyperparameters params, double threshold, Cancellation cancellation) {
        DMatrix train = trainer.matrix(data, trainRows);
        DMatrix test = trainer.matrix(data, testRows);
        try {
            Booster booster = trainer.train(params, train, cancellation);
            try {
                float[] p = XgbTrainer.predict(booster, test);
                float[] labels = data.labelsOf(testRows);
                boolean[] positive = new boolean[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    positive[i] = labels[i] > 0.5f;
                }
                return new FinalModel(XgbTrainer.toJson(booster), p, labels, BinaryMetrics.of(p, labels, threshold),
                        BinaryMetrics.rocCurve(p, positive, ROC_POINTS));
            } finally {
                booster.dispose();
            }
        } finally {
            train.dispose();
            test.dispose();
        }
    }
}
