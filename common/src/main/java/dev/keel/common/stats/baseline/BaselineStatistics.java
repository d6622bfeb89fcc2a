package dev.keel.common.stats.baseline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Optional;

/**
 * Reference statistics of a model version's training data, stored with the version so that drift
 * detection compares live traffic against what the model learned from.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written; readers refuse versions they do not know
 * @param referenceRows rows the statistics describe (drift picks its methods by this count)
 * @param features one entry per feature, in the model's input order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BaselineStatistics(int formatVersion, long referenceRows, List<FeatureBaseline> features) {

    public static final int FORMAT_VERSION = 1;

    public BaselineStatistics {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("baseline statistics format " + formatVersion
                    + " is not supported; this reader knows format " + FORMAT_VERSION);
        }
        features = List.copyOf(features);
    }

    public Optional<FeatureBaseline> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
