package dev.keel.inference.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.inference.config.PredictionLogConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Writes the prediction log off the request path without losing a record.
 *
 * <p>The request thread only offers the record to a bounded queue. One writer thread drains it in
 * batches into PostgreSQL with a single {@code INSERT ... SELECT FROM unnest(...)} per batch. When
 * PostgreSQL cannot take a batch, the batch goes to an fsynced local spill file and is replayed
 * once the database answers again; when the queue is full the request thread spills its record
 * itself. Inserts ignore rows already present (same request id and time), so a replay that is
 * repeated after a crash or a lost commit acknowledgement writes nothing twice. Closing drains the
 * queue to the database, or to the spill file if the database is away.
 */
public final class PredictionLogWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PredictionLogWriter.class);

    private static final String INSERT = """
            INSERT INTO predictions (request_id, predicted_at, project_id, model_name, model_version, features,
                                     prediction, probability, outputs, latency_us, api_key_name)
            SELECT * FROM unnest(?::uuid[], ?::timestamptz[], ?::bigint[], ?::text[], ?::int[], ?::jsonb[],
                                 ?::float8[], ?::float8[], ?::jsonb[], ?::int[], ?::text[])
            ON CONFLICT DO NOTHING
            """;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final BlockingQueue<PredictionRecord> queue;
    private final SpillFile spill;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final long retryIntervalNanos;
    private final Thread writer;

    private final Counter written;
    private final Counter spilled;
    private final Counter dropped;
    private final Timer flushes;

    private volatile boolean running = true;
    private volatile boolean databaseAway;
    private volatile boolean inFlight;
    private long nextAttemptNanos;

    public PredictionLogWriter(DataSource dataSource, ObjectMapper json, PredictionLogConfig config, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.json = json;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.spill = new SpillFile(config.spillDir(), json);
        this.batchSize = config.batchSize();
        this.flushIntervalNanos = config.flushInterval().toNanos();
        this.retryIntervalNanos = config.retryInterval().toNanos();

        this.written = meters.counter("keel_prediction_log_rows_written");
        this.spilled = meters.counter("keel_prediction_log_rows_spilled");
        this.dropped = meters.counter("keel_prediction_log_rows_dropped");
        this.flushes = Timer.builder("keel_prediction_log_flush").publishPercentileHistogram().register(meters);
        Gauge.builder("keel_prediction_log_queue_depth", queue, BlockingQueue::size).register(meters);
        Gauge.builder("keel_prediction_log_spill_records", spill, SpillFile::pendingRecords).register(meters);
        Gauge.builder("keel_prediction_log_database_away", this, w -> w.databaseAway ? 1 : 0).register(meters);

        if (spill.pendingRecords() > 0) {
            LOG.infof("Prediction log: %d spilled records from an earlier run will be replayed", spill.pendingRecords());
        }
        this.writer = new Thread(this::drainLoop, "prediction-log-writer");
        writer.setDaemon(false);
        writer.start();
    }

    /** Hands a record over; never blocks on the database. */
    public void log(PredictionRecord record) {
        if (running && queue.offer(record)) {
            return;
        }
        spillOrDrop(List.of(record));
    }

    /**
     * Hands a request's records over together; those the full queue cannot take go to the spill
     * file in one append (one sync), not one sync per row.
     */
    public void logAll(List<PredictionRecord> records) {
        int taken = 0;
        if (running) {
            while (taken < records.size() && queue.offer(records.get(taken))) {
                taken++;
            }
        }
        if (taken < records.size()) {
            spillOrDrop(records.subList(taken, records.size()));
        }
    }

    public int queueDepth() {
        return queue.size();
    }

    public long spilledPending() {
        return spill.pendingRecords();
    }

    public boolean databaseAway() {
        return databaseAway;
    }

    /** Blocks until everything offered so far reached PostgreSQL, or the timeout passes; answers whether it did. */
    public boolean awaitFlushed(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            if (queue.isEmpty() && spill.isEmpty() && !inFlight) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private void drainLoop() {
        List<PredictionRecord> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                PredictionRecord first = queue.poll(flushIntervalNanos, TimeUnit.NANOSECONDS);
                if (first != null) {
                    inFlight = true;
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                    persist(batch);
                    batch.clear();
                    inFlight = false;
                }
                replaySpillIfDue();
            } catch (InterruptedException e) {
                // nobody interrupts this thread on purpose: close() clears `running` and the loop
                // condition drains what is left, so an interrupt must not cut a batch short
                LOG.debug("Prediction log writer interrupted; carrying on until closed");
            } catch (RuntimeException e) {
                LOG.error("Prediction log writer failed a batch; its records were spilled", e);
                inFlight = false;
            }
        }
    }

    private void persist(List<PredictionRecord> batch) {
        if (databaseAway && System.nanoTime() < nextAttemptNanos) {
            spillOrDrop(batch);
            return;
        }
        try {
            insert(batch);
            if (databaseAway) {
                LOG.info("Prediction log: PostgreSQL answers again");
            }
            databaseAway = false;
        } catch (SQLException e) {
            markAway(e);
            spillOrDrop(batch);
        }
    }

    private void replaySpillIfDue() {
        if (spill.isEmpty() || (databaseAway && System.nanoTime() < nextAttemptNanos)) {
            return;
        }
        long before = spill.pendingRecords();
        try {
            spill.replay(batchSize, batch -> {
                try {
                    insert(batch);
                } catch (SQLException e) {
                    throw new ReplayInterrupted(e);
                }
            });
            databaseAway = false;
            LOG.infof("Prediction log: replayed %d spilled records", before);
        } catch (ReplayInterrupted e) {
            markAway(e.getCause());
        } catch (IOException e) {
            LOG.errorf(e, "Prediction log: cannot read the spill file; will retry");
            nextAttemptNanos = System.nanoTime() + retryIntervalNanos;
        }
    }

    private void markAway(Exception cause) {
        if (!databaseAway) {
            LOG.warnf("Prediction log: PostgreSQL unreachable (%s); spilling to %s until it returns",
                    cause.getMessage(), "the local spill file");
        }
        databaseAway = true;
        nextAttemptNanos = System.nanoTime() + retryIntervalNanos;
    }

    private void spillOrDrop(List<PredictionRecord> records) {
        try {
            spill.append(records);
            spilled.increment(records.size());
        } catch (IOException | UncheckedIOException e) {
            // the disk refused as well: the only path on which records are lost, and it is counted
            dropped.increment(records.size());
            LOG.errorf(e, "Prediction log: %d records DROPPED, the spill file cannot be written", records.size());
        }
    }

    private void insert(List<PredictionRecord> batch) throws SQLException {
        int n = batch.size();
        UUID[] requestIds = new UUID[n];
        String[] times = new String[n];
        Long[] projects = new Long[n];
        String[] models = new String[n];
        Integer[] versions = new Integer[n];
        String[] features = new String[n];
        Double[] predictions = new Double[n];
        Double[] probabilities = new Double[n];
        String[] outputs = new String[n];
        Integer[] latencies = new Integer[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            PredictionRecord r = batch.get(i);
            requestIds[i] = r.requestId();
            times[i] = r.predictedAt().toString();
            projects[i] = r.projectId();
            models[i] = r.modelName();
            versions[i] = r.modelVersion();
            features[i] = toJson(r.features());
            predictions[i] = r.prediction();
            probabilities[i] = r.probability();
            outputs[i] = r.outputs() == null ? null : toJson(r.outputs());
            latencies[i] = r.latencyMicros();
            keys[i] = r.apiKeyName();
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("uuid", requestIds));
            ps.setArray(2, c.createArrayOf("text", times));
            ps.setArray(3, c.createArrayOf("int8", projects));
            ps.setArray(4, c.createArrayOf("text", models));
            ps.setArray(5, c.createArrayOf("int4", versions));
            ps.setArray(6, c.createArrayOf("text", features));
            ps.setArray(7, c.createArrayOf("float8", predictions));
            ps.setArray(8, c.createArrayOf("float8", probabilities));
            ps.setArray(9, c.createArrayOf("text", outputs));
            ps.setArray(10, c.createArrayOf("int4", latencies));
            ps.setArray(11, c.createArrayOf("text", keys));
            ps.executeUpdate();
        }
        flushes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        written.increment(n);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Prediction record cannot be written as JSON", e);
        }
    }

    /**
     * Stops taking records into the queue and writes everything still held: to PostgreSQL if it
     * answers, else to the spill file. Records offered after this go straight to the spill file.
     */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<PredictionRecord> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) {
            spillOrDrop(rest);
        }
        LOG.infof("Prediction log closed: %d records wait in the spill file", spill.pendingRecords());
    }

    private static final class ReplayInterrupted extends RuntimeException {
        ReplayInterrupted(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
