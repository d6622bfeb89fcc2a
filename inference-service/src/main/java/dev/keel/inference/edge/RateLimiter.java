package dev.keel.inference.edge;

import dev.keel.inference.config.InferenceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One token bucket per API key, made on the key's first request. */
@ApplicationScoped
public class RateLimiter {

    private final boolean enabled;
    private final double ratePerSecond;
    private final int burst;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Counter limited;

    public RateLimiter(InferenceConfig config, MeterRegistry meters) {
        this.enabled = config.rateLimit().enabled();
        this.ratePerSecond = config.rateLimit().requestsPerSecond();
        this.burst = config.rateLimit().burst();
        this.limited = Counter.builder("keel_inference_rate_limited").description("Requests refused with 429 by the per-key limit")
                .register(meters);
    }

    /** 0 when the key may go ahead, else the nanoseconds until it may; a refusal is counted. */
    long acquire(String key) {
        if (!enabled) {
            return 0;
        }
        long now = System.nanoTime();
        long wait = buckets.computeIfAbsent(key, k -> new TokenBucket(ratePerSecond, burst, now)).tryTake(now);
        if (wait > 0) {
            limited.increment();
        }
        return wait;
    }

    String describe() {
        return ratePerSecond + " requests per second (burst " + burst + ")";
    }
}
