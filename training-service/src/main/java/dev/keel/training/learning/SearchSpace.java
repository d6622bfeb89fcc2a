package dev.keel.training.learning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Each family's small search space: a grid for grid search and ranges for random search. Kept
 * small on purpose: on tabular data of this size, the family and a couple of capacity settings
 * matter far more than fine tuning, and every candidate costs five fits.
 *
 * <p>{@code roundsScale} multiplies boosting rounds and forest sizes (tests use a fraction).
 */
public final class SearchSpace {

    private final double roundsScale;

    public SearchSpace(double roundsScale) {
        if (roundsScale <= 0) {
            throw new IllegalArgumentException("rounds scale must be positive, not " + roundsScale);
        }
        this.roundsScale = roundsScale;
    }

    /** Every grid point of a family, in a fixed order. */
    public List<Hyperparameters> grid(ModelFamily family) {
        List<Hyperparameters> out = new ArrayList<>();
        switch (family) {
            case GRADIENT_BOOSTING -> {
                for (int depth : new int[] {3, 6}) {
                    for (double eta : new double[] {0.05, 0.2}) {
                        for (int rounds : new int[] {100, 200}) {
                            out.add(new Hyperparameters.GradientBoosting(depth, eta, scaled(rounds), 0.9, 0.9, 1));
                        }
                    }
                }
            }
            case LEAF_WISE -> {
                for (int leaves : new int[] {15, 63}) {
                    for (double eta : new double[] {0.05, 0.2}) {
                        for (int rounds : new int[] {100, 200}) {
                            out.add(new Hyperparameters.LeafWise(leaves, eta, scaled(rounds), 0.9, 0.9, 2));
                        }
                    }
                }
            }
            case RANDOM_FOREST -> {
                for (int trees : new int[] {100, 300}) {
                    for (int depth : new int[] {6, 12}) {
                        for (double colsample : new double[] {0.5, 0.8}) {
                            out.add(new Hyperparameters.RandomForest(scaled(trees), depth, 0.8, colsample));
                        }
                    }
                }
            }
            case LOGISTIC_REGRESSION -> {
                for (double lambda : new double[] {0.01, 0.1, 1, 10}) {
                    for (double alpha : new double[] {0, 0.1}) {
                        out.add(new Hyperparameters.LogisticRegression(lambda, alpha, scaled(200), 0.5));
                    }
                }
            }
        }
        return out;
    }

    /** One point drawn from a family's ranges. */
    public Hyperparameters sample(ModelFamily family, Random random) {
        return switch (family) {
            case GRADIENT_BOOSTING -> new Hyperparameters.GradientBoosting(uniformInt(random, 2, 8),
                    logUniform(random, 0.01, 0.3), scaled(uniformInt(random, 50, 300)), uniform(random, 0.6, 1.0),
                    uniform(random, 0.6, 1.0), logUniform(random, 0.5, 10));
            case LEAF_WISE -> new Hyperparameters.LeafWise((int) Math.round(logUniform(random, 8, 128)),
                    logUniform(random, 0.01, 0.3), scaled(uniformInt(random, 50, 300)), uniform(random, 0.6, 1.0),
                    uniform(random, 0.6, 1.0), logUniform(random, 0.5, 10));
            case RANDOM_FOREST -> new Hyperparameters.RandomForest(scaled(uniformInt(random, 50, 400)),
                    uniformInt(random, 4, 14), uniform(random, 0.5, 0.9), uniform(random, 0.3, 0.9));
            case LOGISTIC_REGRESSION -> new Hyperparameters.LogisticRegression(logUniform(random, 1e-3, 10),
                    random.nextBoolean() ? 0 : logUniform(random, 1e-4, 1), scaled(uniformInt(random, 100, 400)), 0.5);
        };
    }

    /** The space as recorded with a run: the grid's values or the random ranges of each family. */
    public Map<String, Object> describe(ModelFamily family, SearchStrategy strategy) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (strategy) {
            case GRID -> {
                for (Hyperparameters h : grid(family)) {
                    h.describe().forEach((name, value) -> {
                        @SuppressWarnings("unchecked")
                        List<Object> values = (List<Object>) out.computeIfAbsent(name, k -> new ArrayList<>());
                        if (!values.contains(value)) {
                            values.add(value);
                        }
                    });
                }
            }
            case RANDOM -> {
                switch (family) {
                    case GRADIENT_BOOSTING -> {
                        out.put("max_depth", Map.of("int_uniform", List.of(2, 8)));
                        out.put("eta", Map.of("log_uniform", List.of(0.01, 0.3)));
                        out.put("num_boost_round", Map.of("int_uniform", List.of(scaled(50), scaled(300))));
                        out.put("subsample", Map.of("uniform", List.of(0.6, 1.0)));
                        out.put("colsample_bytree", Map.of("uniform", List.of(0.6, 1.0)));
                        out.put("min_child_weight", Map.of("log_uniform", List.of(0.5, 10)));
                    }
                    case LEAF_WISE -> {
                        out.put("max_leaves", Map.of("log_uniform", List.of(8, 128)));
                        out.put("eta", Map.of("log_uniform", List.of(0.01, 0.3)));
                        out.put("num_boost_round", Map.of("int_uniform", List.of(scaled(50), scaled(300))));
                        out.put("subsample", Map.of("uniform", List.of(0.6, 1.0)));
                        out.put("colsample_bytree", Map.of("uniform", List.of(0.6, 1.0)));
                        out.put("min_child_weight", Map.of("log_uniform", List.of(0.5, 10)));
                    }
                    case RANDOM_FOREST -> {
                        out.put("num_parallel_tree", Map.of("int_uniform", List.of(scaled(50), scaled(400))));
                        out.put("max_depth", Map.of("int_uniform", List.of(4, 14)));
                        out.put("subsample", Map.of("uniform", List.of(0.5, 0.9)));
                        out.put("colsample_bynode", Map.of("uniform", List.of(0.3, 0.9)));
                    }
                    case LOGISTIC_REGRESSION -> {
                        out.put("lambda", Map.of("log_uniform", List.of(1e-3, 10)));
                        out.put("alpha", Map.of("zero_or_log_uniform", List.of(1e-4, 1)));
                        out.put("num_boost_round", Map.of("int_uniform", List.of(scaled(100), scaled(400))));
                    }
                }
            }
        }
        return out;
    }

    private int scaled(int rounds) {
        return Math.max(2, (int) Math.round(rounds * roundsScale));
    }

    private static int uniformInt(Random random, int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    private static double uniform(Random random, double lo, double hi) {
        return round(lo + (hi - lo) * random.nextDouble());
    }

    private static double logUniform(Random random, double lo, double hi) {
        return round(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * random.nextDouble()));
    }

    /** Four significant digits: enough for a hyper-parameter, and readable in a run record. */
    private static double round(double v) {
        if (v == 0) {
            return 0;
        }
        double scale = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }
}
