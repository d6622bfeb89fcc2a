package dev.keel.drift.service;

import dev.keel.common.model.Objective;
import dev.keel.common.problem.ProblemException;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.PerformanceRepository;
import dev.keel.drift.stats.ConfidenceBasedEstimate;
import dev.keel.drift.stats.ProbabilityCalibration;
import dev.keel.drift.stats.RocAucAccumulator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Performance monitoring of a model version: per time bucket, realized metrics from the prediction
 * log joined with feedback, and metrics estimated before labels arrive (NannyML's CBPE), both
 * upserted into {@code performance_metrics} and the latest published as gauges.
 */
@ApplicationScoped
public class PerformanceService {

    private static final Logger LOG = Logger.getLogger(PerformanceService.class);
    /** Fine probability bins of the estimate: the calibrated map is applied at each bin's mean probability. */
    private static final int ESTIMATION_BINS = 1000;

    private final PerformanceRepository repository;
    private final DriftGauges gauges;
    private final DriftConfig config;

    public PerformanceService(PerformanceRepository repository, DriftGauges gauges, DriftConfig config) {
        this.repository = repository;
        this.gauges = gauges;
        this.config = config;
    }

    /**
     * What one computation did: the model's task, the range after aligning it to whole buckets, how
     * many labelled predictions calibrated the estimate (0 when too few, or for a task other than
     * binary: then nothing was estimated), and the stored buckets.
     */
    public record Computation(String modelName, int modelVersion, String task, Instant from, Instant to, String bucket,
                              long calibrationRows, boolean estimated, List<PerformanceBucket> buckets) {
    }

    /** Seconds of one bucket. */
    public long bucketSeconds() {
        return config.performance().bucket().toSeconds();
    }

    /** The start of the bucket holding {@code t}. */
    public Instant alignDown(Instant t) {
        long s = bucketSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), s) * s);
    }

    /** The end of the bucket holding the instant just before {@code t} ({@code t} itself when on a boundary). */
    public Instant alignUp(Instant t) {
        Instant down = alignDown(t);
        return down.equals(t) ? t : down.plusSeconds(bucketSeconds());
    }

    /**
     * Computes and stores every bucket that [from, to) touches: realized as the version's task
     * scores it, and for a binary classifier also estimated when calibrated. 422 naming
     * {@code model_version} for a version whose predictions are raw margins.
     */
    public Computation compute(ModelVersionRef version, Instant from, Instant to) {
        long started = System.nanoTime();
        Instant start = alignDown(from);
        Instant end = alignUp(to);
        Objective.Task task = version.task();
        List<PerformanceBucket> stored = new ArrayList<>();
        long labelled;
        Optional<ProbabilityCalibration> calibration = Optional.empty();
        switch (task) {
            case BINARY -> {
                calibration = calibrate(version, end);
                labelled = binary(version, start, end, calibration, stored);
            }
            case MULTICLASS -> labelled = multiclass(version, start, end, stored);
            case REGRESSION -> labelled = regression(version, start, end, stored);
            default -> throw ProblemException.unprocessable("model_version", version.label() + " has objective '"
                    + version.objective() + "': its predictions are raw margins, which no label can be compared with");
        }
        stored.sort(Comparator.comparing(PerformanceBucket::bucketStart).thenComparing(PerformanceBucket::kind));
        publish(version, stored);
        long rows = stored.stream().filter(b -> b.kind() == PerformanceBucket.Kind.REALIZED)
                .mapToLong(PerformanceBucket::sampleCount).sum();
        LOG.infof("Performance of %s (%s) over [%s, %s): %d buckets, %d predictions, %d labelled, %s (%d ms)",
                version.label(), task.wireName(), start, end, stored.size(), rows, labelled,
                calibration.map(c -> "estimated with a calibration on " + c.referenceRows() + " labelled predictions")
                        .orElse(task == Objective.Task.BINARY ? "not estimated (too few labelled predictions to calibrate)"
                                : "not estimated (binary classifiers only)"),
                (System.nanoTime() - started) / 1_000_000);
        return new Computation(version.modelName(), version.version(), task.wireName(), start, end,
                config.performance().bucket().toString(), calibration.map(ProbabilityCalibration::referenceRows).orElse(0L),
                calibration.isPresent(), stored);
    }

    /** A binary classifier's realized buckets, and estimated ones when calibrated; answers the labelled count. */
    private long binary(ModelVersionRef version, Instant start, Instant end, Optional<ProbabilityCalibration> calibration,
                        List<PerformanceBucket> stored) {
        long seconds = bucketSeconds();
        List<PerformanceRepository.BucketCounts> counts = repository.bucketCounts(version, start, end, seconds,
                config.performance().lowConfidenceMargin());
        Map<Long, RocAucAccumulator> auc = new HashMap<>();
        repository.labelledByProbability(version, start, end, seconds, g -> auc
                .computeIfAbsent((long) g[0], b -> new RocAucAccumulator()).addTie(g[1], (long) g[2], (long) g[3]));

        Map<Long, PerformanceRepository.BucketCounts> byBucket = new HashMap<>();
        for (PerformanceRepository.BucketCounts c : counts) {
            byBucket.put(c.bucket(), c);
            RocAucAccumulator a = auc.get(c.bucket());
            stored.add(repository.upsert(version.projectId(), PerformanceBucket.of(version.modelName(), version.version(),
                    PerformanceBucket.Kind.REALIZED, bucketStart(c.bucket()), bucketStart(c.bucket() + 1), c.rows(),
                    c.labelled(), c.confusion(), a == null ? null : a.auc(), c.meanProbability(), c.positiveRate(),
                    c.lowConfidenceShare())));
        }

        calibration.ifPresent(cal -> {
            Map<Long, ConfidenceBasedEstimate> estimates = new HashMap<>();
            repository.estimationCells(version, start, end, seconds, ESTIMATION_BINS, cell -> estimates
                    .computeIfAbsent(cell.bucket(), b -> new ConfidenceBasedEstimate(cal))
                    .add(cell.predictedPositive(), cell.count(), cell.meanProbability()));
            estimates.forEach((b, estimate) -> {
                PerformanceRepository.BucketCounts c = byBucket.get(b);
                stored.add(repository.upsert(version.projectId(), PerformanceBucket.of(version.modelName(),
                        version.version(), PerformanceBucket.Kind.ESTIMATED, bucketStart(b), bucketStart(b + 1),
                        estimate.rows(), c == null ? 0 : c.labelled(), estimate.expected(), estimate.rocAuc(),
                        c == null ? null : c.meanProbability(), c == null ? null : c.positiveRate(),
                        c == null ? null : c.lowConfidenceShare())));
            });
        });
        return counts.stream().mapToLong(PerformanceRepository.BucketCounts::labelled).sum();
    }

    /** A multi-class classifier's realized buckets; answers the labelled count. */
    private long multiclass(ModelVersionRef version, Instant start, Instant end, List<PerformanceBucket> stored) {
        long labelled = 0;
        for (PerformanceRepository.ClassBucket c : repository.classBuckets(version, start, end, bucketSeconds())) {
            stored.add(repository.upsert(version.projectId(), PerformanceBucket.multiclass(version.modelName(),
                    version.version(), bucketStart(c.bucket()), bucketStart(c.bucket() + 1), c.rows(), c.confusion(),
                    c.meanProbability())));
            labelled += c.confusion().total();
        }
        return labelled;
    }

    /** A regression model's realized buckets; answers the labelled count. */
    private long regression(ModelVersionRef version, Instant start, Instant end, List<PerformanceBucket> stored) {
        long labelled = 0;
        for (PerformanceRepository.ErrorBucket e : repository.errorBuckets(version, start, end, bucketSeconds())) {
            stored.add(repository.upsert(version.projectId(), PerformanceBucket.regression(version.modelName(),
                    version.version(), bucketStart(e.bucket()), bucketStart(e.bucket() + 1), e.rows(), e.labelled(),
                    e.mae(), e.rmse())));
            labelled += e.labelled();
        }
        return labelled;
    }

    /** Stored buckets of a project. */
    public List<PerformanceBucket> list(long projectId, Optional<String> model, Optional<Integer> version,
                                        Optional<PerformanceBucket.Kind> kind, Instant from, Instant to, int limit) {
        return repository.list(projectId, model, version, kind, from, to, limit);
    }

    /** Realized totals of a version over buckets starting in [from, to). */
    public PerformanceRepository.Realized realizedTotals(ModelVersionRef version, Instant from, Instant to) {
        return repository.realizedTotals(version, from, to);
    }

    /** When the version's stored buckets starting in [from, to) were computed; empty when none is stored. */
    public Optional<PerformanceRepository.Computed> computed(ModelVersionRef version, Instant from, Instant to) {
        return repository.computed(version, from, to);
    }

    /** The calibration on the labelled predictions of the window ending at {@code end}, when there are enough. */
    private Optional<ProbabilityCalibration> calibrate(ModelVersionRef version, Instant end) {
        List<ProbabilityCalibration.Bin> bins = repository.calibrationBins(version,
                end.minus(config.performance().calibrationWindow()), end, config.performance().calibrationBins());
        long rows = bins.stream().mapToLong(ProbabilityCalibration.Bin::count).sum();
        if (rows < config.performance().calibrationMinLabelled() || rows == 0) {
            return Optional.empty();
        }
        return Optional.of(ProbabilityCalibration.fit(bins));
    }

    /**
     * Gauges of the latest bucket: F1 and accuracy (MAE and RMSE for regression) of the latest with
     * labels, probability figures of the latest.
     */
    private void publish(ModelVersionRef v, List<PerformanceBucket> buckets) {
        for (PerformanceBucket.Kind kind : PerformanceBucket.Kind.values()) {
            String k = kind.wireName();
            buckets.stream().filter(b -> b.kind() == kind).reduce((a, b) -> b).ifPresent(latest -> {
                gauge(v, k, "mean_probability", latest.meanProbability());
                gauge(v, k, "low_confidence_share", latest.lowConfidenceShare());
            });
            buckets.stream().filter(b -> b.kind() == kind && b.accuracy() != null)
                    .reduce((a, b) -> b).ifPresent(latest -> {
                        gauge(v, k, "f1", latest.f1());
                        gauge(v, k, "accuracy", latest.accuracy());
                    });
            buckets.stream().filter(b -> b.kind() == kind && b.rmse() != null)
                    .reduce((a, b) -> b).ifPresent(latest -> {
                        gauge(v, k, "mae", latest.mae());
                        gauge(v, k, "rmse", latest.rmse());
                    });
        }
    }

    private void gauge(ModelVersionRef v, String kind, String metric, Double value) {
        if (value != null) {
            gauges.performance(v.projectName(), v.modelName(), v.version(), kind, metric, value);
        }
    }

    private Instant bucketStart(long bucket) {
        return Instant.ofEpochSecond(bucket * bucketSeconds());
    }
}
