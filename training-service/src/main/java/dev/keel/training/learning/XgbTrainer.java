package dev.keel.training.learning;

import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.EncodedDataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains and scores binary classifiers with xgboost4j. Matrices carry the feature names and types
 * of the dataset, so a saved model knows its inputs ({@code learner.feature_names}) and they match
 * the feature schema sent to the registry.
 *
 * <p>DMatrix and Booster hold native memory: whoever gets one from here disposes it.
 */
public final class XgbTrainer {

    private final int threads;
    private final long seed;

    public XgbTrainer(int threads, long seed) {
        this.threads = threads;
        this.seed = seed;
    }

    /** XGBoost's feature type for an encoded column: categories are ordinal codes, so none is "c". */
    public static String xgboostType(ColumnSpec column) {
        return switch (column.type()) {
            case NUMERIC -> "float";
            case BOOLEAN -> "i";
            case CATEGORICAL -> "int";
        };
    }

    public DMatrix matrix(EncodedDataset data, int[] rows) {
        try {
            DMatrix m = new DMatrix(data.valuesOf(rows), rows.length, data.width(), Float.NaN);
            m.setLabel(data.labelsOf(rows));
            List<ColumnSpec> features = data.features();
            m.setFeatureNames(features.stream().map(ColumnSpec::name).toArray(String[]::new));
            m.setFeatureTypes(features.stream().map(XgbTrainer::xgboostType).toArray(String[]::new));
            return m;
        } catch (XGBoostError e) {
            throw new TrainingException("XGBoost could not build a matrix of " + rows.length + " rows: " + e.getMessage(), e);
        }
    }

    /** Trains one candidate, asking {@code cancellation} before every boosting round. */
    public Booster train(Hyperparameters candidate, DMatrix train, Cancellation cancellation) {
        Map<String, Object> params = new HashMap<>(candidate.booster());
        params.put("objective", "binary:logistic");
        params.put("eval_metric", "logloss");
        params.put("seed", seed);
        params.put("nthread", threads);
        params.put("verbosity", 0);
        Booster booster = null;
        try {
            booster = XGBoost.train(train, params, 0, Map.of(), null, null);
            for (int round = 0; round < candidate.rounds(); round++) {
                cancellation.check();
                booster.update(train, round);
            }
            return booster;
        } catch (XGBoostError e) {
            if (booster != null) {
                booster.dispose();
            }
            throw new TrainingException("XGBoost failed to train " + candidate.family().json() + " " + candidate.describe()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (booster != null) {
                booster.dispose();
            }
            throw e;
        }
    }

    /** Probabilities of the positive class. */
    public static float[] predict(Booster booster, DMatrix data) {
        try {
            float[][] out = booster.predict(data);
            float[] p = new float[out.length];
            for (int i = 0; i < out.length; i++) {
                p[i] = out[i][0];
            }
            return p;
        } catch (XGBoostError e) {
            throw new TrainingException("XGBoost failed to predict: " + e.getMessage(), e);
        }
    }

    /** The model as XGBoost JSON, the registry's artifact format. */
    public static byte[] toJson(Booster booster) {
        try {
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new TrainingException("XGBoost could not save the model as JSON: " + e.getMessage(), e);
        }
    }
}
