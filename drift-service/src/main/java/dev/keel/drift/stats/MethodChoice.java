package dev.keel.drift.stats;

/** A chosen method and threshold; either may be null, meaning "Evidently's default". */
public record MethodChoice(DriftMethod method, Double threshold) {

    public static final MethodChoice DEFAULT = new MethodChoice(null, null);

    /** This choice with the gaps filled from {@code fallback}. */
    public MethodChoice orElse(MethodChoice fallback) {
        if (fallback == null) {
            return this;
        }
        return new MethodChoice(method != null ? method : fallback.method,
                threshold != null ? threshold : fallback.threshold);
    }
}
