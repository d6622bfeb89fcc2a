package dev.keel.common.retrain;

import java.util.Locale;

/**
 * Where a model's retraining takes its data: {@code auto} (the default: its labelled production
 * traffic once there is enough of it, else {@code latest}), {@code latest} (the newest upload of the
 * dataset its latest run trained on), {@code feedback} (its logged predictions joined with their
 * ground-truth labels) or {@code dataset:<id>}. Set per model in the registry ({@code retrain_source})
 * or in training's config.
 *
 * @param datasetId the dataset of {@code dataset:<id>}, else null
 */
public record RetrainSource(Kind kind, Long datasetId) {

    public enum Kind { AUTO, LATEST, FEEDBACK, DATASET }

    public static final RetrainSource AUTO = new RetrainSource(Kind.AUTO, null);
    public static final String EXPECTED = "auto, latest, feedback or dataset:<id>";

    /** Parses the wire form; IllegalArgumentException (its message names the valid forms) when it is none of them. */
    public static RetrainSource parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return AUTO;
            case "latest":
                return new RetrainSource(Kind.LATEST, null);
            case "feedback":
                return new RetrainSource(Kind.FEEDBACK, null);
            default:
                break;
        }
        if (s.startsWith("dataset:")) {
            String id = s.substring("dataset:".length()).strip();
            if (id.matches("[1-9][0-9]{0,17}")) {
                return new RetrainSource(Kind.DATASET, Long.parseLong(id));
            }
        }
        throw new IllegalArgumentException("must be " + EXPECTED + ", not '" + text + "'");
    }

    /** The wire form, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return kind == Kind.DATASET ? "dataset:" + datasetId : kind.name().toLowerCase(Locale.ROOT);
    }
}
