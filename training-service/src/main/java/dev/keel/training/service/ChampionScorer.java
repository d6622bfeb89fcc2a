package dev.keel.training.service;

import dev.keel.common.model.XgbModel;
import dev.keel.common.stats.baseline.FeatureType;
import dev.keel.training.client.ProductionVersion;
import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.EncodedDataset;
import dev.keel.common.stats.BinaryMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores the production model on the challenger's held-out rows with the pure-Java runtime, the one
 * inference serves with, so both models are judged on exactly the same data. The champion's inputs
 * are matched by name; a category is re-coded through its name, since the two versions may have seen
 * different category lists.
 */
final class ChampionScorer {

    /** The champion's metrics, or why it could not be scored on these rows. */
    record Score(BinaryMetrics metrics, String problem) {
    }

    private ChampionScorer() {
    }

    static Score score(byte[] artifact, ProductionVersion champion, EncodedDataset data, int[] testRows) {
        XgbModel model;
        try {
            model = XgbModel.load(artifact);
        } catch (RuntimeException e) {
            return new Score(null, "its artifact cannot be loaded: " + e.getMessage());
        }
        List<String> names = model.featureNames();
        Map<String, ColumnSpec> championSchema = new HashMap<>();
        if (champion.featureSchema() != null) {
            champion.featureSchema().forEach(c -> championSchema.put(c.name(), c));
        }
        int width = names.size();
        int[] source = new int[width];
        float[][] recode = new float[width][];
        for (int i = 0; i < width; i++) {
            String name = names.get(i);
            Optional<Integer> ours = indexOf(data.features(), name);
            if (ours.isEmpty()) {
                return new Score(null, "it needs the feature '" + name + "', which this run's dataset lacks");
            }
            source[i] = ours.get();
            ColumnSpec mine = data.features().get(source[i]);
            ColumnSpec theirs = championSchema.get(name);
            boolean mineCategorical = mine.type() == FeatureType.CATEGORICAL;
            boolean theirsCategorical = theirs != null && theirs.type() == FeatureType.CATEGORICAL;
            if (mineCategorical != theirsCategorical) {
                return new Score(null, "its feature '" + name + "' is " + (theirs == null ? "untyped" : theirs.type().json())
                        + " but " + mine.type().json() + " in this run's dataset");
            }
            if (mineCategorical) {
                recode[i] = recoding(mine.categories(), theirs.categories());
            }
        }
        float[] probabilities = new float[testRows.length];
        float[] row = new float[width];
        for (int r = 0; r < testRows.length; r++) {
            for (int i = 0; i < width; i++) {
                float v = data.value(testRows[r], source[i]);
                row[i] = recode[i] == null || Float.isNaN(v) ? v : recode[i][(int) v];
            }
            probabilities[r] = model.predictValue(row);
        }
        return new Score(BinaryMetrics.of(probabilities, data.labelsOf(testRows), champion.threshold()), null);
    }

    /** Our code → their code for the same category name; NaN (missing) for a category they never saw. */
    private static float[] recoding(List<String> ours, List<String> theirs) {
        Map<String, Integer> theirIndex = new HashMap<>();
        for (int i = 0; i < (theirs == null ? 0 : theirs.size()); i++) {
            theirIndex.put(theirs.get(i), i);
        }
        float[] out = new float[ours.size()];
        for (int i = 0; i < ours.size(); i++) {
            Integer code = theirIndex.get(ours.get(i));
            out[i] = code == null ? Float.NaN : code;
        }
        return out;
    }

    private static Optional<Integer> indexOf(List<ColumnSpec> features, String name) {
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).name().equals(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
