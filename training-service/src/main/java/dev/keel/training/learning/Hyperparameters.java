package dev.keel.training.learning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate's settings. Each family's record holds what its search varies; {@link #booster()}
 * adds what the family fixes and turns both into XGBoost parameters. Objective, seed and threads
 * are the trainer's, shared by every candidate.
 */
public sealed interface Hyperparameters {

    ModelFamily family();

    /** Boosting rounds ({@code num_boost_round}); 1 for a random forest. */
    int rounds();

    /** XGBoost learner parameters of this candidate. */
    Map<String, Object> booster();

    /** What was searched, as recorded with the run and the registered version; rounds included. */
    default Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>(booster());
        out.put("num_boost_round", rounds());
        return out;
    }

    record GradientBoosting(int maxDepth, double eta, int rounds, double subsample, double colsampleBytree,
                            double minChildWeight) implements Hyperparameters {
        @Override
        public ModelFamily family() {
            return ModelFamily.GRADIENT_BOOSTING;
        }

        @Override
        public Map<String, Object> booster() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("booster", "gbtree");
            p.put("tree_method", "hist");
            p.put("grow_policy", "depthwise");
            p.put("max_depth", maxDepth);
            p.put("eta", eta);
            p.put("subsample", subsample);
            p.put("colsample_bytree", colsampleBytree);
            p.put("min_child_weight", minChildWeight);
            return p;
        }
    }

    record LeafWise(int maxLeaves, double eta, int rounds, double subsample, double colsampleBytree,
                    double minChildWeight) implements Hyperparameters {
        @Override
        public ModelFamily family() {
            return ModelFamily.LEAF_WISE;
        }

        @Override
        public Map<String, Object> booster() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("booster", "gbtree");
            p.put("tree_method", "hist");
            p.put("grow_policy", "lossguide");
            p.put("max_leaves", maxLeaves);
            // leaf-wise trees are bounded by their leaves, not their depth
            p.put("max_depth", 0);
            p.put("eta", eta);
            p.put("subsample", subsample);
            p.put("colsample_bytree", colsampleBytree);
            p.put("min_child_weight", minChildWeight);
            return p;
        }
    }

    record RandomForest(int trees, int maxDepth, double subsample, double colsampleBynode) implements Hyperparameters {
        @Override
        public ModelFamily family() {
            return ModelFamily.RANDOM_FOREST;
        }

        @Override
        public int rounds() {
            return 1;
        }

        @Override
        public Map<String, Object> booster() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("booster", "gbtree");
            p.put("tree_method", "hist");
            p.put("num_parallel_tree", trees);
            p.put("max_depth", maxDepth);
            p.put("subsample", subsample);
            p.put("colsample_bynode", colsampleBynode);
            // one round of averaged trees: no shrinkage
            p.put("eta", 1.0);
            return p;
        }
    }

    record LogisticRegression(double lambda, double alpha, int rounds, double eta) implements Hyperparameters {
        @Override
        public ModelFamily family() {
            return ModelFamily.LOGISTIC_REGRESSION;
        }

        @Override
        public Map<String, Object> booster() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("booster", "gblinear");
            // shotgun (parallel coordinate descent) is XGBoost's default and several times faster than coord_descent here
            p.put("updater", "shotgun");
            p.put("feature_selector", "cyclic");
            p.put("lambda", lambda);
            p.put("alpha", alpha);
            p.put("eta", eta);
            return p;
        }
    }
}
