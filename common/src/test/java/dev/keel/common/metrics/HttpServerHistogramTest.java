package dev.keel.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpServerHistogramTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    HttpServerHistogramTest() {
        registry.config().meterFilter(new HttpServerHistogram());
    }

    @Test
    void httpServerRequestsCountsIntoTheFixedBuckets() {
        Timer timer = Timer.builder("http.server.requests").tag("uri", "/api/v1/predict").register(registry);
        timer.record(Duration.ofMillis(3));
        timer.record(Duration.ofMillis(40));
        timer.record(Duration.ofMillis(700));
        timer.record(Duration.ofSeconds(45));

        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();

        assertThat(Arrays.stream(buckets).map(b -> b.bucket(TimeUnit.MILLISECONDS)))
                .containsExactly(5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 30000.0);
        assertThat(countAt(buckets, 5)).isEqualTo(1);
        assertThat(countAt(buckets, 50)).isEqualTo(2);
        assertThat(countAt(buckets, 500)).isEqualTo(2);
        assertThat(countAt(buckets, 1000)).isEqualTo(3);
        assertThat(countAt(buckets, 30000)).as("45 s lands only in +Inf").isEqualTo(3);
        assertThat(timer.count()).isEqualTo(4);
    }

    @Test
    void otherTimersKeepTheirOwnConfiguration() {
        Timer timer = Timer.builder("keel.prediction.log.flush").register(registry);
        timer.record(Duration.ofMillis(40));

        assertThat(timer.takeSnapshot().histogramCounts()).isEmpty();
    }

    private static double countAt(CountAtBucket[] buckets, double millis) {
        return Arrays.stream(buckets).filter(b -> b.bucket(TimeUnit.MILLISECONDS) == millis).findFirst().orElseThrow().count();
    }
}
