package dev.keel.training.service;

import dev.keel.training.domain.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Training progress as Prometheus gauges, one series per model (not per run, so the series count
 * stays bounded): candidates done and total, best F1 so far, elapsed and estimated remaining seconds
 * of the model's current or last run. Plus finished runs by status and time per candidate by family.
 */
@ApplicationScoped
@Startup
public class TrainingMetrics {

    /** The live figures behind one model's gauges. */
    static final class ModelGauges {
        volatile double done;
        volatile double total;
        volatile double bestF1;
        volatile long startedNanos;
        volatile long finishedNanos;
        volatile double remainingSeconds;

        double elapsedSeconds() {
            if (startedNanos == 0) {
                return 0;
            }
            long end = finishedNanos != 0 ? finishedNanos : System.nanoTime();
            return (end - startedNanos) / 1e9;
        }
    }

    private final MeterRegistry registry;
    private final Map<String, ModelGauges> models = new ConcurrentHashMap<>();

    public TrainingMetrics(MeterRegistry registry) {
        this.registry = registry;
        // each status's series from the start, at zero: increase() over a series that first appears
        // at 1 is 0, and the first failure would never reach an alert
        for (RunStatus status : RunStatus.values()) {
            if (status.isFinished()) {
                finishedRuns(status);
            }
        }
    }

    public void started(String project, String model, int total) {
        ModelGauges g = gauges(project, model);
        g.done = 0;
        g.total = total;
        g.bestF1 = 0;
        g.remainingSeconds = 0;
        g.finishedNanos = 0;
        g.startedNanos = System.nanoTime();
    }

    public void candidate(String project, String model, String family, int done, int total, double bestF1,
                          Long remainingMs, long candidateMs) {
        ModelGauges g = gauges(project, model);
        g.done = done;
        g.total = total;
        g.bestF1 = bestF1;
        g.remainingSeconds = remainingMs == null ? 0 : remainingMs / 1000.0;
        Timer.builder("keel.training.candidate.duration").description("Cross-validation time of one candidate")
                .tags("family", family).register(registry).record(Duration.ofMillis(candidateMs));
    }

    public void finished(String project, String model, RunStatus status) {
        ModelGauges g = gauges(project, model);
        g.finishedNanos = System.nanoTime();
        g.remainingSeconds = 0;
        finishedRuns(status).increment();
    }

    private Counter finishedRuns(RunStatus status) {
        return Counter.builder("keel.training.runs.finished").description("Training runs finished, by status")
                .tags("status", status.wireName()).register(registry);
    }

    private ModelGauges gauges(String project, String model) {
        return models.computeIfAbsent(project + "/" + model, k -> {
            ModelGauges g = new ModelGauges();
            Tags tags = Tags.of("project", project, "model", model);
            Gauge.builder("keel.training.candidates.done", g, x -> x.done).tags(tags)
                    .description("Candidates cross-validated in the model's current or last run").register(registry);
            Gauge.builder("keel.training.candidates.planned", g, x -> x.total).tags(tags)
                    .description("Candidates the model's current or last run evaluates").register(registry);
            Gauge.builder("keel.training.best.f1", g, x -> x.bestF1).tags(tags)
                    .description("Best mean cross-validated F1 so far").register(registry);
            Gauge.builder("keel.training.elapsed.seconds", g, ModelGauges::elapsedSeconds).tags(tags)
                    .description("Time the model's current or last run has taken").register(registry);
            Gauge.builder("keel.training.estimated.remaining.seconds", g, x -> x.remainingSeconds).tags(tags)
                    .description("Estimated time left in the model's current run").register(registry);
            return g;
        });
    }
}
