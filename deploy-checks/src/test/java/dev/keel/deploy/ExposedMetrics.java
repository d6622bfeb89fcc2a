package dev.keel.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series names the services expose, read from their source: every Micrometer meter
 * registered under a {@code keel} name (counter → {@code _total}, timer → {@code _seconds_count/_sum/_max}
 * plus {@code _bucket} when it publishes a histogram, gauge → the name), plus the Quarkus and
 * Micrometer series every service has. {@code http_server_requests_seconds_bucket} counts only while
 * a {@code MeterFilter} in the source gives {@code http.server.requests} histogram buckets
 * (common's {@code HttpServerHistogram}).
 */
final class ExposedMetrics {

    /** Quarkus' HTTP server timer (its buckets: see {@link #HTTP_HISTOGRAM}) and the usual process series. */
    static final Set<String> PLATFORM = Set.of("up",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
            "jvm_memory_used_bytes", "jvm_memory_max_bytes", "process_cpu_usage", "system_cpu_usage",
            "jvm_threads_live_threads", "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum");

    /** A meter filter that configures buckets (fixed boundaries or Micrometer's histogram) for http.server.requests. */
    private static final Pattern HTTP_HISTOGRAM = Pattern.compile(
            "implements MeterFilter.*\"http\\.server\\.requests\".*(serviceLevelObjectives|percentilesHistogram\\(true\\))",
            Pattern.DOTALL);

    private static final Pattern REGISTRATION = Pattern.compile(
            "(counter|Counter\\.builder|Timer\\.builder|Gauge\\.builder|set)\\(\\s*\"(keel[._][a-z0-9_.]+)\"([^;]*)", Pattern.DOTALL);

    private ExposedMetrics() {
    }

    static Set<String> fromSource(Path root) {
        Set<String> names = new TreeSet<>(PLATFORM);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList()) {
                String source = Files.readString(f);
                if (HTTP_HISTOGRAM.matcher(source).find()) {
                    names.add("http_server_requests_seconds_bucket");
                }
                Matcher m = REGISTRATION.matcher(source);
                while (m.find()) {
                    String base = m.group(2).replace('.', '_');
                    switch (m.group(1)) {
                        case "counter", "Counter.builder" -> names.add(base + "_total");
                        case "Timer.builder" -> {
                            for (String suffix : Set.of("_seconds_count", "_seconds_sum", "_seconds_max")) {
                                names.add(base + suffix);
                            }
                            if (m.group(3).contains("publishPercentileHistogram")) {
                                names.add(base + "_seconds_bucket");
                            }
                        }
                        default -> names.add(base);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
