package dev.keel.bench.runtime;

import dev.keel.common.model.MissingValues;
import dev.keel.common.model.XgbModel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pure-Java runtime against xgboost4j on the same model: binary:logistic, 100 trees of depth 6,
 * trained at setup on 10,000 heart-like rows. Every score is nanoseconds per row: batch benchmarks
 * declare their 1,000 rows as operations. xgboost4j runs with nthread=1 like the runtime (one
 * thread), and once more with its default (all cores) for reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RuntimeVsXgboost4jBenchmark {

    static final int BATCH_ROWS = 1000;
    // Single-row benchmarks cycle through this many distinct rows so branch predictors cannot learn one path.
    private static final int ROW_POOL = 1024;

    private XgbModel runtime;
    private Booster xgboostOneThread;
    private Booster xgboostDefaultThreads;
    private float[][] rows;
    private Map<String, Object>[] namedRows;
    private float[] batch;
    private float[] batchOut;
    private int cursor;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void trainModel() throws Exception {
        HeartLikeData train = HeartLikeData.generate(10_000, 42);
        DMatrix dtrain = new DMatrix(train.values(), train.nRows(), HeartLikeData.WIDTH, Float.NaN);
        dtrain.setLabel(train.labels());
        dtrain.setFeatureNames(HeartLikeData.FEATURES);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 6);
        params.put("eta", 0.1);
        params.put("tree_method", "hist");
        params.put("seed", 42);
        params.put("nthread", 2);
        params.put("verbosity", 0);
        Booster trained = XGBoost.train(dtrain, params, 100, new HashMap<>(), null, null);
        dtrain.dispose();
        byte[] json = trained.toByteArray("json");
        trained.dispose();

        runtime = XgbModel.load(json);
        xgboostOneThread = XGBoost.loadModel(json);
        xgboostOneThread.setParam("nthread", 1);
        xgboostDefaultThreads = XGBoost.loadModel(json);

        HeartLikeData test = HeartLikeData.generate(Math.max(ROW_POOL, BATCH_ROWS), 7);
        rows = new float[ROW_POOL][];
        namedRows = new Map[ROW_POOL];
        for (int r = 0; r < ROW_POOL; r++) {
            rows[r] = test.row(r);
            Map<String, Object> named = new LinkedHashMap<>();
            for (int f = 0; f < HeartLikeData.WIDTH; f++) {
                float v = rows[r][f];
                // As a JSON body arrives: whole numbers as integers, oldpeak as a double.
                named.put(HeartLikeData.FEATURES[f], v == Math.rint(v) ? (Object) (int) v : (Object) (double) v);
            }
            namedRows[r] = named;
        }
        batch = new float[BATCH_ROWS * HeartLikeData.WIDTH];
        System.arraycopy(test.values(), 0, batch, 0, batch.length);
        batchOut = new float[BATCH_ROWS];
        checkParity();
    }

    // A benchmark of wrong answers is worthless: both sides must agree before anything is timed.
    private void checkParity() throws XGBoostError {
        DMatrix m = new DMatrix(batch, BATCH_ROWS, HeartLikeData.WIDTH, Float.NaN);
        float[][] expected = xgboostOneThread.predict(m);
        m.dispose();
        runtime.predictBatch(batch, BATCH_ROWS, batchOut);
        for (int r = 0; r < BATCH_ROWS; r++) {
            if (Math.abs(expected[r][0] - batchOut[r]) > 1e-6) {
                throw new IllegalStateException("runtime and xgboost4j disagree on row " + r + ": "
                        + batchOut[r] + " vs " + expected[r][0]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void dispose() {
        xgboostOneThread.dispose();
        xgboostDefaultThreads.dispose();
    }

    private int nextRow() {
        return cursor = (cursor + 1) & (ROW_POOL - 1);
    }

    // ---- single row ----

    @Benchmark
    public float runtimeSingleRow() {
        return runtime.predictValue(rows[nextRow()]);
    }

    /** The service path: a request's named features validated into a row, then predicted. */
    @Benchmark
    public float runtimeSingleRowFromNamedFeatures() {
        return runtime.predictValue(runtime.toRow(namedRows[nextRow()], MissingValues.REJECT));
    }

    /** What a JVM service on xgboost4j does per request: a 1-row DMatrix, predict, dispose. */
    @Benchmark
    public float[][] xgboost4jSingleRowDMatrix() throws XGBoostError {
        DMatrix m = new DMatrix(rows[nextRow()], 1, HeartLikeData.WIDTH, Float.NaN);
        try {
            return xgboostOneThread.predict(m);
        } finally {
            m.dispose();
        }
    }

    /** xgboost4j's cheapest single-row path (no DMatrix), for reference. */
    @Benchmark
    public float[][] xgboost4jSingleRowInplace() throws XGBoostError {
        return xgboostOneThread.inplace_predict(rows[nextRow()], 1, HeartLikeData.WIDTH, Float.NaN);
    }

    // ---- batches of 1,000 rows (scores are per row) ----

    @Benchmark
    @OperationsPerInvocation(BATCH_ROWS)
    public float[] runtimeBatch() {
        runtime.predictBatch(batch, BATCH_ROWS, batchOut);
        return batchOut;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_ROWS)
    public float[][] xgboost4jBatchDMatrixOneThread() throws XGBoostError {
        DMatrix m = new DMatrix(batch, BATCH_ROWS, HeartLikeData.WIDTH, Float.NaN);
        try {
            return xgboostOneThread.predict(m);
        } finally {
            m.dispose();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_ROWS)
    public float[][] xgboost4jBatchInplaceOneThread() throws XGBoostError {
        return xgboostOneThread.inplace_predict(batch, BATCH_ROWS, HeartLikeData.WIDTH, Float.NaN);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_ROWS)
    public float[][] xgboost4jBatchDMatrixDefaultThreads() throws XGBoostError {
        DMatrix m = new DMatrix(batch, BATCH_ROWS, HeartLikeData.WIDTH, Float.NaN);
        try {
            return xgboostDefaultThreads.predict(m);
        } finally {
            m.dispose();
        }
    }
}
