package dev.keel.inference.support;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Small models trained with xgboost4j on generated data, for serving tests (binary:logistic, and a
 * three-class and a regression model of the same data): four features, one of them categorical
 * ({@code cp}, codes 0..3 for the categories below).
 */
public final class TestModels {

    public static final List<String> FEATURES = List.of("age", "chol", "sex", "cp");
    public static final List<String> CP_CATEGORIES = List.of("asymptomatic", "atypical", "non_anginal", "typical");

    private TestModels() {
    }

    /** A model's JSON bytes; {@code rounds} makes versions that answer differently. */
    public static byte[] train(int rounds, long seed) {
        return train("binary:logistic", Map.of(), logit -> logit > 0 ? 1 : 0, rounds, seed);
    }

    /** A {@code multi:softprob} model of three classes: the logit below -1, up to 1, above 1. */
    public static byte[] trainMulticlass(int rounds, long seed) {
        return train("multi:softprob", Map.of("num_class", 3), logit -> logit < -1 ? 0 : logit <= 1 ? 1 : 2, rounds, seed);
    }

    /** The same classes as {@link #trainMulticlass}, as {@code multi:softmax}: it predicts the class index alone. */
    public static byte[] trainMulticlassSoftmax(int rounds, long seed) {
        return train("multi:softmax", Map.of("num_class", 3), logit -> logit < -1 ? 0 : logit <= 1 ? 1 : 2, rounds, seed);
    }

    /** A {@code reg:squarederror} model of the logit itself. */
    public static byte[] trainRegression(int rounds, long seed) {
        return train("reg:squarederror", Map.of(), logit -> (float) logit, rounds, seed);
    }

    /** xgboost4j's own predictions of {@code model} for rows of (age, chol, sex, cp code); one array per row. */
    public static float[][] xgboostPredict(byte[] model, float[][] rows) {
        return xgboost(model, rows, (booster, matrix) -> booster.predict(matrix));
    }

    /**
     * xgboost4j's own SHAP contributions ({@code pred_contribs}) of {@code model} for such rows: per row,
     * for each output group, one value per feature then the bias.
     */
    public static float[][] xgboostContributions(byte[] model, float[][] rows) {
        return xgboost(model, rows, (booster, matrix) -> booster.predictContrib(matrix, 0));
    }

    private interface BoosterCall {
        float[][] call(Booster booster, DMatrix matrix) throws XGBoostError;
    }

    private static float[][] xgboost(byte[] model, float[][] rows, BoosterCall call) {
        try {
            Booster booster = XGBoost.loadModel(model);
            float[] data = new float[rows.length * FEATURES.size()];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, data, i * FEATURES.size(), FEATURES.size());
            }
            DMatrix matrix = new DMatrix(data, rows.length, FEATURES.size(), Float.NaN);
            float[][] out = call.call(booster, matrix);
            matrix.dispose();
            booster.dispose();
            return out;
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("xgboost4j could not predict", e);
        }
    }

    /** The index of the largest value: a multi-class model's class. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            best = values[k] > values[best] ? k : best;
        }
        return best;
    }

    private static byte[] train(String objective, Map<String, Object> extra, DoubleUnaryOperator label,
                                int rounds, long seed) {
        try {
            int n = 600;
            float[] data = new float[n * FEATURES.size()];
            float[] labels = new float[n];
            Random random = new Random(seed);
            for (int i = 0; i < n; i++) {
                float age = 30 + random.nextInt(50);
                float chol = 150 + random.nextInt(200);
                float sex = random.nextBoolean() ? 1 : 0;
                float cp = random.nextInt(4);
                data[i * 4] = age;
                data[i * 4 + 1] = chol;
                data[i * 4 + 2] = sex;
                data[i * 4 + 3] = cp;
                double logit = 0.06 * (age - 55) + 0.01 * (chol - 250) + 0.5 * sex - 0.6 * cp + random.nextGaussian() * 0.5;
                labels[i] = (float) label.applyAsDouble(logit);
            }
            DMatrix train = new DMatrix(data, n, FEATURES.size(), Float.NaN);
            train.setLabel(labels);
            train.setFeatureNames(FEATURES.toArray(String[]::new));
            Map<String, Object> params = new HashMap<>(extra);
            params.put("objective", objective);
            params.put("max_depth", 3);
            params.put("eta", 0.3);
            params.put("seed", (int) seed);
            params.put("nthread", 1);
            Booster booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
            byte[] json = booster.toByteArray("json");
            booster.dispose();
            train.dispose();
            return json;
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost4j could not train the test model", e);
        }
    }
}
