package dev.keel.common.model;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Native XGBoost (xgboost4j) as the reference the runtime is held to. */
final class Xgboost4jReference implements AutoCloseable {

    private final Booster booster;

    private Xgboost4jReference(Booster booster) {
        this.booster = booster;
    }

    /**
     * Trains on the table. {@code featureTypes} may be null; "c" marks categorical columns. Feature
     * names are stored only when {@code named}, so models without names are covered too.
     */
    static Xgboost4jReference train(SyntheticTable table, float[] labels, Map<String, Object> params, int rounds,
                                    String[] featureTypes, boolean named) throws XGBoostError {
        DMatrix train = matrix(table);
        try {
            train.setLabel(labels);
            if (featureTypes != null) {
                train.setFeatureTypes(featureTypes);
            }
            if (named) {
                String[] names = new String[table.nFeatures()];
                for (int f = 0; f < names.length; f++) {
                    names[f] = "x" + f;
                }
                train.setFeatureNames(names);
            }
            Map<String, Object> all = new HashMap<>(params);
            all.putIfAbsent("nthread", 2);
            all.putIfAbsent("seed", 7);
            all.putIfAbsent("verbosity", 0);
            return new Xgboost4jReference(XGBoost.train(train, all, rounds, new HashMap<>(), null, null));
        } finally {
            train.dispose();
        }
    }

    byte[] json() throws XGBoostError {
        return booster.toByteArray("json");
    }

    /** The model in XGBoost's UBJSON format, as {@code save_model("x.ubj")} writes it. */
    byte[] ubjson() throws XGBoostError {
        return booster.toByteArray("ubj");
    }

    float[][] predict(SyntheticTable rows) throws XGBoostError {
        return predict(rows, false);
    }

    float[][] predictMargin(SyntheticTable rows) throws XGBoostError {
        return predict(rows, true);
    }

    private float[][] predict(SyntheticTable rows, boolean margin) throws XGBoostError {
        DMatrix m = matrix(rows);
        try {
            return booster.predict(m, margin);
        } finally {
            m.dispose();
        }
    }

    float[][] contributions(SyntheticTable rows) throws XGBoostError {
        DMatrix m = matrix(rows);
        try {
            return booster.predictContrib(m, 0);
        } finally {
            m.dispose();
        }
    }

    private static DMatrix matrix(SyntheticTable table) throws XGBoostError {
        return new DMatrix(table.values(), table.nRows(), table.nFeatures(), Float.NaN);
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
