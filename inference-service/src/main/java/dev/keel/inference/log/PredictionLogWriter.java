package dev.keel.inference.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.inference.config.PredictionLogConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes the prediction log off the request path without losing a record.
 *
 * <p>The request thread turns the record into its COPY line (see {@link PredictionCopyRows} for why
 * there) and adds that to a bounded in-memory buffer ({@link LineBuffer}: lines packed in reused
 * chunks, no lock shared between request threads). One writer thread takes it in batches into
 * PostgreSQL with one {@code COPY ... FROM STDIN} per batch, the cheapest way into the
 * table. When PostgreSQL cannot take a batch, the batch goes to the local spill file and is
 * replayed once the database answers again; when the buffer is full the request's record goes to
 * the spill file too, and the request is answered once it is fsynced there (appends arriving
 * together share one fsync, and the request thread does not wait: it gets a stage to finish on).
 * A replay copies into a temporary table and inserts from it ignoring rows already present (same
 * request id and time), so a replay repeated after a crash or a lost commit acknowledgement writes
 * nothing twice. Closing drains the buffer to the database, or to the spill file if the database is
 * away.
 */
public final class PredictionLogWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PredictionLogWriter.class);

    private static final String COPY = "COPY predictions (" + PredictionCopyRows.COLUMNS + ") FROM STDIN";
    private static final String REPLAY_TABLE = """
            CREATE TEMP TABLE IF NOT EXISTS prediction_replay (LIKE predictions) ON COMMIT DELETE ROWS""";
    private static final String REPLAY_COPY = "COPY prediction_replay (" + PredictionCopyRows.COLUMNS + ") FROM STDIN";
    private static final String REPLAY_INSERT = "INSERT INTO predictions (" + PredictionCopyRows.COLUMNS + ") SELECT "
            + PredictionCopyRows.COLUMNS + " FROM prediction_replay ON CONFLICT DO NOTHING";

    /** How often the writer looks at the buffer again while gathering a batch. */
    private static final long GATHER_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long an idle writer sleeps at most: a record arriving, a close or a replay that falls due wakes it sooner. */
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final CompletionStage<Void> QUEUED = CompletableFuture.completedStage(null);

    private final DataSource dataSource;
    private final PredictionCopyRows rows;
    /** Records as their COPY lines ({@link PredictionCopyRows}), until written or spilled. */
    private final LineBuffer lines;
    private final SpillFile spill;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final long retryIntervalNanos;
    private final long idleParkNanos;
    private final int writeTimeoutMillis;
    private final Thread writer;
    private final AtomicInteger offersInProgress = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();

    private final Counter written;
    private final Counter spilled;
    private final Counter dropped;
    private final Timer flushes;
    private final Timer spillSyncs;

    private volatile boolean running = true;
    private volatile boolean databaseAway;
    /** Whether the last append to the spill file failed: records that need it are being dropped. */
    private volatile boolean spillFailing;
    /** Whether the writer holds records it took from the buffer and has not yet written or spilled. */
    private volatile boolean inFlight;
    /**
     * The batch the writer is writing now (null between batches). Whoever takes it out spills it:
     * the writer when PostgreSQL fails, or a close that finds the writer stuck; never both.
     */
    private final AtomicReference<List<LineBuffer.Chunk>> writing = new AtomicReference<>();
    /** Whether the writer is asleep with the buffer empty: the next record added wakes it. */
    private volatile boolean idle;
    private long nextAttemptNanos;

    public PredictionLogWriter(DataSource dataSource, ObjectMapper json, PredictionLogConfig config, MeterRegistry meters) {
        this(dataSource, json, config, meters, IDLE_PARK_NANOS);
    }

    /** @param idleParkNanos how long an idle writer sleeps unless woken (tests make it long, so only a wake can end it) */
    PredictionLogWriter(DataSource dataSource, ObjectMapper json, PredictionLogConfig config, MeterRegistry meters,
                        long idleParkNanos) {
        this.dataSource = dataSource;
        this.idleParkNanos = idleParkNanos;
        this.rows = new PredictionCopyRows(json);
        this.lines = new LineBuffer(config.queueCapacity());
        this.batchSize = config.batchSize();
        this.flushIntervalNanos = config.flushInterval().toNanos();
        this.retryIntervalNanos = config.retryInterval().toNanos();
        this.writeTimeoutMillis = Math.toIntExact(config.writeTimeout().toMillis());

        this.written = Counter.builder("keel_prediction_log_rows_written")
                .description("Predictions written to the predictions table").register(meters);
        this.spilled = Counter.builder("keel_prediction_log_rows_spilled")
                .description("Predictions written to the local spill file (queue full or database away)").register(meters);
        this.dropped = Counter.builder("keel_prediction_log_rows_dropped")
                .description("Predictions lost: neither in the table nor in the spill file (always 0 unless the disk fails)")
                .register(meters);
        this.flushes = Timer.builder("keel_prediction_log_flush").description("One batch written to the predictions table")
                .publishPercentileHistogram().register(meters);
        this.spillSyncs = Timer.builder("keel_prediction_log_spill_sync")
                .description("One group commit (write and fsync) of the spill file").publishPercentileHistogram().register(meters);
        this.spill = new SpillFile(config.spillDir(), (records, nanos) -> spillSyncs.record(nanos, TimeUnit.NANOSECONDS));
        Gauge.builder("keel_prediction_log_queue_depth", lines, LineBuffer::held)
                .description("Predictions waiting in memory to be written").register(meters);
        Gauge.builder("keel_prediction_log_spill_records", spill, SpillFile::pendingRecords)
                .description("Predictions in the spill file waiting to be replayed").register(meters);
        Gauge.builder("keel_prediction_log_database_away", this, w -> w.databaseAway ? 1 : 0)
                .description("1 while the last write to PostgreSQL failed").register(meters);

        if (spill.pendingRecords() > 0) {
            LOG.infof("Prediction log: %d spilled records from an earlier run will be replayed", spill.pendingRecords());
        }
        this.writer = new Thread(this::drainLoop, "prediction-log-writer");
        writer.setDaemon(false);
        writer.start();
    }

    /**
     * Hands a record over without blocking. The stage is complete at once when the record was
     * queued; when the queue is full it completes once the record is fsynced to the spill file.
     * Answer the request when it completes.
     */
    public CompletionStage<Void> offer(PredictionRecord record) {
        byte[] line = rows.line(record);
        offersInProgress.incrementAndGet();
        try {
            if (running && lines.add(line)) {
                wakeIfIdle();
                return QUEUED;
            }
        } finally {
            offersInProgress.decrementAndGet();
        }
        return spillOrDrop(List.of(line));
    }

    /**
     * Hands a request's records over together, as {@link #offer}; those the full queue cannot take
     * go to the spill file in one append.
     */
    public CompletionStage<Void> offerAll(List<PredictionRecord> records) {
        List<byte[]> recordLines = new ArrayList<>(records.size());
        for (PredictionRecord record : records) {
            recordLines.add(rows.line(record));
        }
        int taken = 0;
        offersInProgress.incrementAndGet();
        try {
            if (running) {
                while (taken < recordLines.size() && lines.add(recordLines.get(taken))) {
                    taken++;
                }
                if (taken > 0) {
                    wakeIfIdle();
                }
            }
        } finally {
            offersInProgress.decrementAndGet();
        }
        return taken < recordLines.size() ? spillOrDrop(recordLines.subList(taken, recordLines.size())) : QUEUED;
    }

    /** A volatile read per request; the writer is only idle (and a wake only costs a futex call) while requests are rare. */
    private void wakeIfIdle() {
        if (idle) {
            LockSupport.unpark(writer);
        }
    }

    /** {@link #offer}, returning once the record is queued or on disk: for threads that may block. */
    public void log(PredictionRecord record) {
        offer(record).toCompletableFuture().join();
    }

    /** {@link #offerAll}, returning once the records are queued or on disk: for threads that may block. */
    public void logAll(List<PredictionRecord> records) {
        offerAll(records).toCompletableFuture().join();
    }

    /** Records in memory waiting for their batch. */
    public int queueDepth() {
        return lines.held();
    }

    public long spilledPending() {
        return spill.pendingRecords();
    }

    public boolean databaseAway() {
        return databaseAway;
    }

    /** Whether the spill file could not be written the last time records needed it (they were dropped, and counted). */
    public boolean spillFailing() {
        return spillFailing;
    }

    /** Whether the writer sleeps with nothing to write. */
    boolean idle() {
        return idle;
    }

    /** Blocks until everything offered so far reached PostgreSQL, or the timeout passes; answers whether it did. */
    public boolean awaitFlushed(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            // the writer marks a batch in flight before it takes records, so none is between the two
            if (lines.held() == 0 && !inFlight && spill.isEmpty()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private void drainLoop() {
        List<LineBuffer.Chunk> batch = new ArrayList<>();
        while (running || lines.held() > 0 || !batch.isEmpty()) {
            try {
                if (batch.isEmpty() && lines.held() == 0) {
                    sleepUntilWoken();
                } else {
                    // a batch left by a failure below is written first, with whatever has come since
                    inFlight = true;
                    gather(batch, System.nanoTime() + flushIntervalNanos);
                    writing.set(List.copyOf(batch));
                    persist(batch);
                    writing.set(null);
                    lines.release(batch);
                    batch.clear();
                    inFlight = false;
                }
                replaySpillIfDue();
            } catch (RuntimeException e) {
                LOG.error("Prediction log writer failed a batch; it will be tried again", e);
            }
        }
    }

    /**
     * Sleeps while the buffer is empty: until a request adds a record, a close, the spill file's
     * next replay attempt, or {@link #IDLE_PARK_NANOS} at most. An idle replica's writer so wakes about
     * once a second, not 200 times. A record added between the flag and the check below is seen by
     * the check, or its adder sees the flag and unparks (a permit the park then consumes at once).
     */
    private void sleepUntilWoken() {
        idle = true;
        try {
            if (running && lines.held() == 0) {
                long park = idleParkNanos;
                if (spill.pendingRecords() > 0) {
                    park = Math.max(GATHER_LOOK_NANOS, Math.min(park, nextAttemptNanos - System.nanoTime()));
                }
                LockSupport.parkNanos(this, park);
            }
        } finally {
            idle = false;
        }
        if (Thread.interrupted()) {
            // nobody interrupts this thread on purpose: close() clears `running` and the loop
            // condition drains what is left; the flag is cleared so that parking works again
            LOG.debug("Prediction log writer interrupted; carrying on until closed");
        }
    }

    /**
     * Fills the batch with full chunks until it holds a batch's worth of records (a chunk's worth
     * more at most) or {@code deadline} passes, then adds the partly filled ones: one COPY and commit has a fixed cost in PostgreSQL of
     * several rows' worth, so a busy log is written in few big batches rather than one per handful
     * of requests. It sleeps between looks rather than waiting on the buffer, so request threads
     * adding records to a gathering writer have no writer to wake.
     */
    private void gather(List<LineBuffer.Chunk> batch, long deadline) {
        int records = 0;
        for (LineBuffer.Chunk c : batch) {
            records += c.records();
        }
        records += lines.takeFull(batch, batchSize - records);
        long left;
        while (records < batchSize && running && (left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, GATHER_LOOK_NANOS));
            } catch (InterruptedException e) {
                break;   // write what was gathered; as in drainLoop, an interrupt is not a request to stop
            }
            records += lines.takeFull(batch, batchSize - records);
        }
        if (records < batchSize) {
            lines.takeAll(batch);
        }
    }

    private void persist(List<LineBuffer.Chunk> batch) {
        if (batch.isEmpty()) {
            return;   // records counted but still being added: the next look finds them
        }
        if (databaseAway && System.nanoTime() < nextAttemptNanos) {
            spillUnlessTaken(batch);
            return;
        }
        try {
            copy(batch);
            if (databaseAway) {
                LOG.info("Prediction log: PostgreSQL answers again");
            }
            databaseAway = false;
            if (spillFailing) {
                spillFailing = false;   // nothing waits on the spill file now; the next append tells again
            }
        } catch (SQLException e) {
            markAway(e);
            spillUnlessTaken(batch);
        }
    }

    /** Spills the batch unless a close took it out already (and spilled it itself). */
    private void spillUnlessTaken(List<LineBuffer.Chunk> batch) {
        List<LineBuffer.Chunk> mine = writing.get();
        if (mine != null && writing.compareAndSet(mine, null)) {
            spillOrDrop(linesOf(batch)).toCompletableFuture().join();
        }
    }

    private static List<byte[]> linesOf(List<LineBuffer.Chunk> chunks) {
        List<byte[]> all = new ArrayList<>();
        for (LineBuffer.Chunk c : chunks) {
            all.addAll(c.lines());
        }
        return all;
    }

    private void replaySpillIfDue() {
        if (spill.pendingRecords() == 0 || (databaseAway && System.nanoTime() < nextAttemptNanos)) {
            return;
        }
        long before = spill.pendingRecords();
        try {
            spill.replay(batchSize, batch -> {
                try {
                    copyIgnoringPresent(batch);
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

    /** Appends to the spill file; the stage completes once the records are on disk, or counted as dropped. */
    private CompletionStage<Void> spillOrDrop(List<byte[]> records) {
        int count = records.size();
        return spill.append(records).handle((ok, failure) -> {
            spillFailing = failure != null;
            if (failure == null) {
                spilled.increment(count);
            } else {
                // the disk refused as well: the only path on which records are lost, and it is counted
                dropped.increment(count);
                LOG.errorf(failure, "Prediction log: %d records DROPPED, the spill file cannot be written", count);
            }
            return null;
        });
    }

    /** Fresh records from the buffer: straight into the table (one statement, so all or nothing). */
    private void copy(List<LineBuffer.Chunk> batch) throws SQLException {
        long start = System.nanoTime();
        int records = 0;
        for (LineBuffer.Chunk chunk : batch) {
            records += chunk.records();
        }
        try (Connection c = dataSource.getConnection(); WaitLimit ignored = new WaitLimit(c, writeTimeoutMillis)) {
            copyIn(c, COPY, copy -> {
                for (LineBuffer.Chunk chunk : batch) {
                    copy.writeToCopy(chunk.bytes(), 0, chunk.used());
                }
            });
        }
        flushes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        written.increment(records);
    }

    /**
     * Spilled records, some of which may be in the table already (their batch may have committed
     * before its acknowledgement was lost, or a replay may be repeated): through a temporary table,
     * and only the rows not yet present are inserted.
     */
    private void copyIgnoringPresent(List<byte[]> batch) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); WaitLimit ignored = new WaitLimit(c, writeTimeoutMillis)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(REPLAY_TABLE);
                copyIn(c, REPLAY_COPY, copy -> {
                    for (byte[] line : batch) {
                        copy.writeToCopy(line, 0, line.length);
                    }
                });
                st.executeUpdate(REPLAY_INSERT);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        flushes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        written.increment(batch.size());
    }

    /**
     * Bounds how long the writer waits on a pooled connection's socket for an answer, and gives the
     * connection its own setting back before it returns to the pool (which does not reset it). A
     * write that blocks on a full socket buffer is not bounded by it: close() covers that case.
     */
    private static final class WaitLimit implements AutoCloseable {
        private final Connection connection;
        private final int previous;

        WaitLimit(Connection connection, int millis) throws SQLException {
            this.connection = connection;
            this.previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, millis);
        }

        @Override
        public void close() {
            try {
                connection.setNetworkTimeout(Runnable::run, previous);
            } catch (SQLException e) {
                LOG.debugf("Lifting the write timeout of a failed connection failed too: %s", e.getMessage());
            }
        }
    }

    /** What a COPY sends: lines streamed to the server as they are, without joining them into one buffer first. */
    @FunctionalInterface
    private interface CopyBody {
        void writeTo(CopyIn copy) throws SQLException;
    }

    private static void copyIn(Connection c, String sql, CopyBody body) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            body.writeTo(copy);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                cancelQuietly(copy);
            }
        }
    }

    private static void cancelQuietly(CopyIn copy) {
        try {
            copy.cancelCopy();
        } catch (SQLException e) {
            LOG.debugf("Cancelling a failed COPY failed too: %s", e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("Rollback after a failed replay batch failed too: %s", e.getMessage());
        }
    }

    /**
     * Stops taking records into the buffer and writes everything still held: to PostgreSQL if it
     * answers, else to the spill file. Records offered after this go straight to the spill file.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(writeTimeoutMillis + 2_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<LineBuffer.Chunk> stuck = writer.isAlive() ? writing.getAndSet(null) : null;
        if (stuck != null) {
            // the writer still waits on PostgreSQL: its batch goes to the spill file from here, so a
            // stop that cannot wait longer loses nothing (a replay skips rows that reached the table)
            LOG.warnf("Prediction log: the writer still waits on PostgreSQL; spilling the batch it holds");
            spillOrDrop(linesOf(stuck)).toCompletableFuture().join();
        }
        // an offer that saw `running` before it turned false may still be putting its record in the buffer
        while (offersInProgress.get() > 0) {
            Thread.onSpinWait();
        }
        List<LineBuffer.Chunk> rest = new ArrayList<>();
        lines.takeAll(rest);
        if (!rest.isEmpty()) {
            spillOrDrop(linesOf(rest)).toCompletableFuture().join();
            lines.release(rest);
        }
        spill.close();
        LOG.infof("Prediction log closed: %d records wait in the spill file", spill.pendingRecords());
    }

    private static final class ReplayInterrupted extends RuntimeException {
        ReplayInterrupted(Exception cause) {
            super(cause);
        }

        @Override
        public synchronized Exception getCause() {
            return (Exception) super.getCause();
        }
    }
}
