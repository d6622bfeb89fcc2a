package dev.keel.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Gives Quarkus' {@code http.server.requests} timer histogram buckets, so Prometheus can compute
 * true latency percentiles ({@code histogram_quantile(0.99, ... http_server_requests_seconds_bucket)})
 * for the p99 alert and the Requests dashboard. Quarkus has no setting for this, hence a
 * {@link MeterFilter} bean, which quarkus-micrometer applies to every registry.
 *
 * <p>Fixed boundaries rather than Micrometer's percentile histogram: that one publishes about 70
 * buckets per method, URI and status, these thirteen (with {@code +Inf}) cover a fast prediction to
 * a slow upload and put a boundary on each alert threshold (0.5 s, 2 s).
 */
@Singleton
public class HttpServerHistogram implements MeterFilter {

    static final String METER = "http.server.requests";

    /** The bucket boundaries, which Prometheus shows as {@code le} in seconds. */
    static final double[] BOUNDARIES_NANOS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000)
            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
            .toArray();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!METER.equals(id.getName())) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .serviceLevelObjectives(BOUNDARIES_NANOS)
                .build()
                .merge(config);
    }
}
