package dev.keel.registry.evaluation;

import dev.keel.common.features.FeatureSpec;
import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.BaselineStatisticsBuilder;
import dev.keel.common.stats.baseline.FeatureType;
import java.util.List;

/**
 * The baseline statistics of an evaluation's data, for a version that was uploaded without any:
 * built by common's {@link BaselineStatisticsBuilder} from the model inputs exactly as training
 * builds them from its training split (numbers as the float the model reads, categories by their
 * names, booleans as {@code "true"}/{@code "false"}), so drift reads them like any trained version's.
 */
public final class EvaluationBaseline {

    private EvaluationBaseline() {
    }

    /**
     * @param rows {@code count} rows of {@code schema.size()} model inputs each, row-major, NaN where a
     *     value is missing; a categorical input is its category code
     */
    public static BaselineStatistics of(List<FeatureSpec> schema, float[] rows, int count) {
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(schema.stream()
                .map(f -> new dev.keel.common.stats.baseline.FeatureSpec(f.name(), type(f)))
                .toList());
        int width = schema.size();
        for (int r = 0; r < count; r++) {
            for (int f = 0; f < width; f++) {
                float v = rows[r * width + f];
                FeatureSpec spec = schema.get(f);
                switch (spec.type()) {
                    case NUMERIC -> builder.addNumber(f, v);
                    case BOOLEAN -> builder.addBoolean(f, Float.isNaN(v) ? null : v == 1f);
                    case CATEGORICAL -> builder.addCategory(f, Float.isNaN(v) ? null : category(spec, (int) v));
                }
            }
            builder.endRow();
        }
        return builder.build();
    }

    private static FeatureType type(FeatureSpec spec) {
        return switch (spec.type()) {
            case NUMERIC -> FeatureType.NUMERIC;
            case CATEGORICAL -> FeatureType.CATEGORICAL;
            case BOOLEAN -> FeatureType.BOOLEAN;
        };
    }

    /** Its name where the schema lists them; else the code, spelt as drift spells a live code ({@code 2}, not {@code 2.0}). */
    private static String category(FeatureSpec spec, int code) {
        return spec.categories() != null && !spec.categories().isEmpty() ? spec.categories().get(code) : Integer.toString(code);
    }
}
