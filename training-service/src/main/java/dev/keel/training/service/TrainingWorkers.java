package dev.keel.training.service;

import dev.keel.training.config.TrainingConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The bounded pool that trains runs: {@code keel.training.workers} threads and a queue of
 * {@code keel.training.queue-capacity}. It knows which runs this replica holds (queued or
 * running), so they can be marked alive, cancelled quickly, and failed when the service stops.
 */
@ApplicationScoped
public class TrainingWorkers {

    private static final Logger LOG = Logger.getLogger(TrainingWorkers.class);

    private final TrainingRunner runner;
    private final RunRecorder recorder;
    private final ThreadPoolExecutor executor;
    private final int capacity;
    private final Map<Long, StopSignal> held = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    public TrainingWorkers(TrainingRunner runner, RunRecorder recorder, TrainingConfig config, MeterRegistry registry) {
        this.runner = runner;
        this.recorder = recorder;
        this.capacity = config.queueCapacity();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.queueCapacity())), r -> {
                    Thread t = new Thread(r, "keel-training-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Gauge.builder("keel.training.runs.running", running, AtomicInteger::get)
                .description("Runs training on this replica now").register(registry);
        Gauge.builder("keel.training.runs.queued", executor, e -> e.getQueue().size())
                .description("Runs waiting for a worker on this replica").register(registry);
    }

    /** Whether another run can be queued here now. */
    public boolean hasRoom() {
        return executor.getQueue().size() < capacity;
    }

    /** @throws RejectedExecutionException when the queue is full */
    public void submit(long runId) {
        StopSignal signal = new StopSignal();
        held.put(runId, signal);
        try {
            executor.execute(() -> {
                running.incrementAndGet();
                try {
                    runner.execute(runId, signal);
                } finally {
                    running.decrementAndGet();
                    held.remove(runId);
                }
            });
        } catch (RejectedExecutionException e) {
            held.remove(runId);
            throw e;
        }
    }

    /** Asks a run held here to stop at its next boosting round; false when it is not held here. */
    public boolean requestCancel(long runId, String reason) {
        StopSignal signal = held.get(runId);
        if (signal == null) {
            return false;
        }
        signal.cancel(reason);
        return true;
    }

    /** The runs this replica has queued or running. */
    public Set<Long> held() {
        return Set.copyOf(held.keySet());
    }

    /**
     * On shutdown: stop the workers and fail what they held with a reason, rather than leave it
     * "running" for the reaper to find. On the ShutdownEvent, not at bean destruction: by then
     * Hibernate is closed and no run could be written (they stayed "running" until the reaper).
     */
    void shutdown(@Observes ShutdownEvent event) {
        String reason = "Interrupted: the training service stopped before the run finished; start it again";
        held.values().forEach(signal -> signal.interrupt(reason));
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Long id : held()) {
            try {
                if (recorder.fail(id, reason)) {
                    LOG.warnf("Training run %d failed: the service stopped while it was queued or running", id);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not mark training run %d failed at shutdown; the reaper will", id);
            }
        }
    }
}
