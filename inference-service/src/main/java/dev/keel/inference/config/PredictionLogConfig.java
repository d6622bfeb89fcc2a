package dev.keel.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The prediction log: how it is written off the request path, and how its partitions are kept. */
@ConfigMapping(prefix = "keel.predictions")
public interface PredictionLogConfig {

    /** Days of daily partitions made ahead of today (env KEEL_PREDICTIONS_PARTITIONS_AHEAD_DAYS); default 7. */
    @WithDefault("7")
    int partitionsAheadDays();

    /** Days of predictions kept; older daily partitions are dropped (env KEEL_PREDICTIONS_RETENTION_DAYS); default 90. */
    @WithDefault("90")
    int retentionDays();

    /**
     * Records held in memory on their way to PostgreSQL, waiting for their batch (env
     * KEEL_PREDICTIONS_QUEUE_CAPACITY); default 100000. When full, records go to the spill file and their requests are answered once it is fsynced.
     */
    @WithDefault("100000")
    int queueCapacity();

    /**
     * Rows that make a {@code COPY} go at once, before the flush interval has passed (env
     * KEEL_PREDICTIONS_BATCH_SIZE); default 5000. Rows arrive in chunks, so a batch may hold a
     * chunk's worth more (about 180 rows of the benchmark's model), and one written at the end of
     * the flush interval also takes each request thread's partly filled chunk. Each batch is one
     * commit, and the single writer waits for its WAL flush, so a writer that has fallen behind
     * catches up faster with big batches; a quiet one writes what the flush interval gathered.
     */
    @WithDefault("5000")
    int batchSize();

    /**
     * Longest a record waits in memory before its batch is written (env KEEL_PREDICTIONS_FLUSH_INTERVAL);
     * default 100ms. The writer gathers records for up to this long after the first one, or until
     * it has a full batch: each COPY and commit costs PostgreSQL as much as several rows, so a busy
     * log is written in few big batches (about 3,600 rows each at 36,000 predictions a second).
     */
    @WithDefault("100ms")
    Duration flushInterval();

    /**
     * Directory of the append-only spill file used while PostgreSQL is unreachable
     * (env KEEL_PREDICTIONS_SPILL_DIR); default {@code <java.io.tmpdir>/keel/prediction-spill}.
     * In Kubernetes, mount a persistent volume here so spilled records outlive the pod.
     */
    @WithDefault("${java.io.tmpdir}/keel/prediction-spill")
    Path spillDir();

    /**
     * Longest the writer waits on PostgreSQL for one batch (env KEEL_PREDICTIONS_WRITE_TIMEOUT);
     * default 20s. A connection whose peer vanished without closing it (a failover, a dropped
     * route) would otherwise hold the writer for the TCP timeout, minutes; past this the batch goes
     * to the spill file and the database counts as away. On a stop, the writer is waited for this
     * long (plus 2 s) before the batch it holds is spilled from the closing thread.
     */
    @WithDefault("20s")
    Duration writeTimeout();

    /** How often a writer that found the database away tries it again (env KEEL_PREDICTIONS_RETRY_INTERVAL); default 1s. */
    @WithDefault("1s")
    Duration retryInterval();
}
