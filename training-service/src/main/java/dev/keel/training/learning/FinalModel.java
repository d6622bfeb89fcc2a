package dev.keel.training.learning;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.data.EncodedDataset;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;

/**
 * The chosen candidate refitted on every training row, scored once on the held-out test rows.
 *
 * @param artifact the model as XGBoost JSON
 * @param testProbabilities its predictions for the test rows, in their order
 */
public record FinalModel(byte[] artifact, float[] testProbabilities, float[] testLabels, BinaryMetrics testMetrics) {

    public static FinalModel fit(XgbTrainer trainer, EncodedDataset data, int[] trainRows, int[] testRows,
                                 Hyperparameters params, double threshold, Cancellation cancellation) {
        DMatrix train = trainer.matrix(data, trainRows);
        DMatrix test = trainer.matrix(data, testRows);
        try {
            Booster booster = trainer.train(params, train, cancellation);
            try {
                float[] p = XgbTrainer.predict(booster, test);
                float[] labels = data.labelsOf(testRows);
                return new FinalModel(XgbTrainer.toJson(booster), p, labels, BinaryMetrics.of(p, labels, threshold));
            } finally {
                booster.dispose();
            }
        } finally {
            train.dispose();
            test.dispose();
        }
    }
}
