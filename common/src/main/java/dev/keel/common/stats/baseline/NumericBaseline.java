package dev.keel.common.stats.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A numeric feature's reference distribution.
 *
 * @param mean mean of the present values; null when every value is missing (as are std, min, max)
 * @param std population standard deviation (divides by n, not n - 1)
 * @param quantileProbabilities the probabilities of {@code quantiles}: 0, 0.05, ..., 1 (20 bins)
 * @param quantiles values at those probabilities; the first and last are the exact min and max, the
 *     others are exact while {@code count} is within the sample size and read from the sample beyond
 * @param histogram 20 equal-width bins over [min, max]; its counts sum to {@code count}
 * @param sample a uniform random sample of the values (reservoir, fixed seed), sorted ascending, at
 *     most {@link BaselineStatisticsBuilder#DEFAULT_SAMPLE_SIZE} of them, for KS and Wasserstein
 *     tests against live traffic; every value when there are no more than that
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NumericBaseline(
        String name,
        FeatureType type,
        long count,
        long missing,
        Double mean,
        Double std,
        Double min,
        Double max,
        List<Double> quantileProbabilities,
        List<Double> quantiles,
        Histogram histogram,
        List<Double> sample) implements FeatureBaseline {

    public NumericBaseline {
        if (type != FeatureType.NUMERIC) {
            throw new IllegalArgumentException("a numeric baseline has type numeric, not " + type);
        }
        quantileProbabilities = List.copyOf(quantileProbabilities);
        quantiles = List.copyOf(quantiles);
        sample = List.copyOf(sample);
    }
}
