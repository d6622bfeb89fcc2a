package dev.keel.inference.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Small binary:logistic models trained with xgboost4j on generated data, for serving tests: four
 * features, one of them categorical ({@code cp}, codes 0..3 for the categories below).
 */
public final class TestModels {

    public static final List<String> FEATURES = List.of("age", "chol", "sex", "cp");
    public static final List<String> CP_CATEGORIES = List.of("asymptomatic", "atypical", "non_anginal", "typical");

    private TestModels() {
    }

    /** A model's JSON bytes; {@code rounds} makes versions that answer differently. */
    public static byte[] train(int rounds, long seed) {
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
                labels[i] = logit > 0 ? 1 : 0;
            }
            DMatrix train = new DMatrix(data, n, FEATURES.size(), Float.NaN);
            train.setLabel(labels);
            train.setFeatureNames(FEATURES.toArray(String[]::new));
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "binary:logistic");
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
