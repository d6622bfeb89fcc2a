package dev.keel.training.service;

import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.BaselineStatisticsBuilder;
import dev.keel.common.stats.baseline.FeatureSpec;
import dev.keel.training.client.RegisteredVersion;
import dev.keel.training.client.RegistryClient;
import dev.keel.training.client.VersionMetadata;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.DatasetEncoder;
import dev.keel.training.data.DatasetRejection;
import dev.keel.training.data.EncodedDataset;
import dev.keel.training.domain.DatasetSnapshot;
import dev.keel.training.domain.GateResult;
import dev.keel.training.domain.RunPhase;
import dev.keel.training.domain.RunProgress;
import dev.keel.training.domain.RunStatus;
import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.learning.Cancellation;
import dev.keel.training.learning.CandidateResult;
import dev.keel.training.learning.FinalModel;
import dev.keel.training.learning.Hyperparameters;
import dev.keel.training.learning.ModelSearch;
import dev.keel.training.learning.SearchPlan;
import dev.keel.training.learning.StratifiedSplit;
import dev.keel.training.learning.ThresholdTuner;
import dev.keel.training.learning.XgbTrainer;
import dev.keel.training.mapping.JsonColumns;
import dev.keel.training.repository.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Executes one training run from start to finish: load and encode the dataset, hold out a stratified
 * test split, cross-validate the candidates, refit the best on all training rows, score it on the
 * test rows, register it, and let {@link ProductionPromotion} decide its stage. Each step is recorded
 * as it happens; any failure fails the run with its reason.
 */
@ApplicationScoped
public class TrainingRunner {

    private static final Logger LOG = Logger.getLogger(TrainingRunner.class);

    private final RunRecorder recorder;
    private final DatasetService datasets;
    private final ModelCatalog catalog;
    private final RegistryClient registry;
    private final ProductionPromotion promotion;
    private final TrainingMetrics metrics;
    private final WorkerIdentity identity;
    private final JsonColumns json;
    private final TrainingConfig config;
    private final DatabasePatience database;

    public TrainingRunner(RunRecorder recorder, DatasetService datasets, ModelCatalog catalog, RegistryClient registry,
                          ProductionPromotion promotion, TrainingMetrics metrics, WorkerIdentity identity,
                          JsonColumns json, TrainingConfig config, DatabasePatience database) {
        this.recorder = recorder;
        this.datasets = datasets;
        this.catalog = catalog;
        this.registry = registry;
        this.promotion = promotion;
        this.metrics = metrics;
        this.identity = identity;
        this.json = json;
        this.config = config;
        this.database = database;
    }

    /** Runs a queued run to its end on the calling thread; returns its final status. */
    public RunStatus execute(long runId, StopSignal stop) {
        String worker = identity.id();
        if (!database.required(runId, "claiming the run", () -> recorder.claim(runId, worker))) {
            LOG.infof("Training run %d is no longer queued (cancelled or failed before it started); skipped", runId);
            return null;
        }
        RunRecorder.RunSnapshot run = null;
        String project = "?";
        try {
            run = database.required(runId, "reading the run", () -> recorder.snapshot(runId));
            long projectId = run.projectId();
            project = database.required(runId, "reading its project", () -> catalog.projectName(projectId))
                    .orElseThrow(() -> new IllegalStateException("its project is gone"));
            RunStatus status = train(run, project, worker, stop);
            if (status != null) {   // null: cancelled or failed elsewhere meanwhile, not this replica's outcome to count
                metrics.finished(project, run.modelName(), status);
            }
            return status;
        } catch (Cancellation.CancelledException e) {
            return stopped(runId, run, project, stop);
        } catch (DatasetRejection e) {
            return failed(runId, run, project, "The dataset cannot be trained on: " + e.getMessage(), null);
        } catch (RuntimeException | IOException | Error e) {
            if (stop.requested()) {
                return stopped(runId, run, project, stop);
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return failed(runId, run, project, message, e);
        }
    }

    private RunStatus train(RunRecorder.RunSnapshot run, String project, String worker, StopSignal stop) throws IOException {
        long runId = run.id();
        String model = run.modelName();
        SearchPlan plan = SearchPlan.fromDescription(run.searchSpace());
        List<Hyperparameters> candidates = plan.candidates();
        metrics.started(project, model, candidates.size());
        LOG.infof("Training run %d for %s/%s started on %s (%s by %s): %d candidates, %d folds",
                runId, project, model, worker, run.trigger().wireName(), run.triggeredBy(), candidates.size(), plan.folds());

        DatasetSnapshot dataset = database.required(runId, "reading the dataset",
                () -> datasets.snapshot(run.projectId(), run.datasetId()));
        EncodedDataset data = database.required(runId, "reading the dataset's rows", () -> encode(dataset));
        stop.check();
        int[] labels = data.labelsAsInts();
        StratifiedSplit.Split split = StratifiedSplit.trainTest(labels, StratifiedSplit.all(data.rows()), plan.testFraction(),
                plan.seed());
        BaselineStatistics baseline = baseline(data, split.train());

        RunProgress progress = new RunProgress(worker, null, 0, candidates.size(), null, 0L, plan.folds()).alive();
        continueOrStop(database.skippable(runId, "recording the search's start",
                () -> recorder.phase(runId, RunPhase.SEARCHING, progress), true));
        XgbTrainer trainer = new XgbTrainer(config.xgboostThreads(), plan.seed());
        List<CandidateResult> done = new ArrayList<>();
        long searchStarted = System.nanoTime();
        ModelSearch.Outcome outcome = new ModelSearch(trainer).run(data, split.train(), candidates, plan.folds(), plan.seed(),
                stop, (result, best, count, total) -> {
                    done.add(result);
                    long searchMs = (System.nanoTime() - searchStarted) / 1_000_000;
                    RunProgress now = new RunProgress(worker, null, count, total, new RunProgress.BestSoFar(best.index(),
                            best.family(), best.meanF1(), best.params()), searchMs, plan.folds()).alive();
                    Long remaining = now.estimatedRemainingMs(RunPhase.SEARCHING);
                    LOG.infof("Training run %d %s/%s candidate %d/%d %s %s: mean F1 %.4f ± %.4f, AUC %s in %d ms; best so far #%d %.4f; about %s s left",
                            runId, project, model, count, total, result.family().json(), result.params(), result.meanF1(),
                            result.stdF1(), result.meanRocAuc() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", result.meanRocAuc()),
                            result.durationMs(), best.index() + 1, best.meanF1(), remaining == null ? "?" : remaining / 1000);
                    metrics.candidate(project, model, result.family().json(), count, total, best.meanF1(), remaining,
                            result.durationMs());
                    continueOrStop(database.skippable(runId, "recording candidate " + count,
                            () -> recorder.candidates(runId, done, now), true));
                });
        long searchMs = (System.nanoTime() - searchStarted) / 1_000_000;
        CandidateResult best = outcome.best();
        double threshold = config.search().tuneThreshold()
                ? ThresholdTuner.bestF1Threshold(outcome.outOfFoldProbabilities(), outcome.outOfFoldLabels())
                : 0.5;

        RunProgress fitting = new RunProgress(worker, null, done.size(), candidates.size(), new RunProgress.BestSoFar(
                best.index(), best.family(), best.meanF1(), best.params()), searchMs, plan.folds()).alive();
        // the search's results in full (progress writes skipped while the database was away left them out)
        continueOrStop(database.required(runId, "recording the search's results",
                () -> recorder.candidates(runId, done, fitting) && recorder.phase(runId, RunPhase.FITTING, fitting)));
        FinalModel finalModel = FinalModel.fit(trainer, data, split.train(), split.test(), outcome.bestParams(), threshold, stop);
        BinaryMetrics test = finalModel.testMetrics();
        LOG.infof("Training run %d %s/%s chose %s %s (CV F1 %.4f); threshold %.2f; test F1 %.4f, AUC %s, accuracy %.4f on %d rows",
                runId, project, model, best.family().json(), best.params(), best.meanF1(), threshold, test.f1(),
                test.rocAuc(), test.accuracy(), split.test().length);

        continueOrStop(database.required(runId, "recording the registration's start",
                () -> recorder.phase(runId, RunPhase.REGISTERING, fitting.alive())));
        Map<String, Object> params = new LinkedHashMap<>(outcome.bestParams().describe());
        params.put("objective", "binary:logistic");
        // the labels behind 1 and 0, so an evaluation on a labelled CSV reads the target as training did
        String positive = dataset.validation().positiveClass();
        params.put("positive_class", positive);
        dataset.validation().classBalance().keySet().stream().filter(c -> !c.equals(positive)).findFirst()
                .ifPresent(negative -> params.put("negative_class", negative));
        VersionMetadata metadata = new VersionMetadata("xgboost:" + best.family().json(), params, test, dataset.features(),
                json.convert(baseline, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }),
                runId, dataset.fingerprint(), String.format(Locale.ROOT,
                        "%s, chosen by %d-fold CV F1 %.4f over %d candidates; run %d (%s by %s) on dataset %d '%s'",
                        best.family().json(), plan.folds(), best.meanF1(), candidates.size(), runId,
                        run.trigger().wireName(), run.triggeredBy(), dataset.id(), dataset.name()));
        stop.check();
        // safe to send again: the registry answers a second upload of this run with the version the first made
        RegisteredVersion version = database.throughRegistry(runId, "registering the version",
                () -> registry.register(project, model, finalModel.artifact(), metadata));
        database.required(runId, "recording the registered version", () -> {
            recorder.registered(runId, version.version());
            return null;
        });
        LOG.infof("Training run %d registered %s/%s v%d", runId, project, model, version.version());

        continueOrStop(database.required(runId, "recording the gate's start",
                () -> recorder.phase(runId, RunPhase.GATING, fitting.alive())));
        GateResult gate = database.throughRegistry(runId, "the promotion gate",
                () -> promotion.decide(runId, project, model, version.version(), test, data, split.test()));
        RunStatus status = gate.promoted() ? RunStatus.SUCCEEDED : RunStatus.REJECTED;

        Map<String, Object> bestParams = new LinkedHashMap<>();
        bestParams.put("candidate", best.index());
        bestParams.put("family", best.family().json());
        bestParams.put("params", best.params());
        bestParams.put("mean_f1", best.meanF1());
        bestParams.put("std_f1", best.stdF1());
        bestParams.put("threshold", threshold);
        bestParams.put("threshold_source", config.search().tuneThreshold() ? "best F1 on out-of-fold predictions" : "default");
        if (!database.required(runId, "recording the outcome",
                () -> recorder.finish(runId, status, bestParams, test, finalModel.rocCurve(), gate, fitting.alive()))) {
            LOG.warnf("Training run %d finished but was cancelled or failed meanwhile; v%d stays registered in %s",
                    runId, version.version(), gate.stage());
            return null;
        }
        LOG.infof("Training run %d for %s/%s %s: v%d in %s", runId, project, model, status.wireName(), version.version(),
                gate.stage());
        return status;
    }

    /**
     * Records how a run ended, waiting out a database that is away; if it stays away, the run is
     * left to the heartbeat reaper (it fails runs no replica marks alive) rather than ending the
     * worker thread with the exception.
     */
    private void recordEnd(long runId, String what, Supplier<Boolean> write) {
        try {
            database.required(runId, what, write);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Training run %d: %s failed; the run is failed as interrupted once no replica marks it alive", runId, what);
        }
    }

    private EncodedDataset encode(DatasetSnapshot dataset) {
        try (InputStream content = datasets.content(dataset);
             BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8), 1 << 16)) {
            return new DatasetEncoder(dataset.features(), dataset.targetColumn(), dataset.validation().positiveClass())
                    .encode(reader, dataset.rowCount());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BaselineStatistics baseline(EncodedDataset data, int[] rows) {
        List<ColumnSpec> features = data.features();
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(
                features.stream().map(c -> new FeatureSpec(c.name(), c.type())).toList());
        for (int row : rows) {
            for (int f = 0; f < features.size(); f++) {
                float v = data.value(row, f);
                ColumnSpec c = features.get(f);
                switch (c.type()) {
                    case NUMERIC -> builder.addNumber(f, v);
                    case BOOLEAN -> builder.addBoolean(f, Float.isNaN(v) ? null : v == 1f);
                    case CATEGORICAL -> builder.addCategory(f, Float.isNaN(v) ? null : c.categories().get((int) v));
                }
            }
            builder.endRow();
        }
        return builder.build();
    }

    private static void continueOrStop(boolean stillRunning) {
        if (!stillRunning) {
            throw new Cancellation.CancelledException();
        }
    }

    private RunStatus stopped(long runId, RunRecorder.RunSnapshot run, String project, StopSignal stop) {
        String model = run == null ? "?" : run.modelName();
        if (stop.requested() && stop.isFailure()) {
            recordEnd(runId, "recording the interruption", () -> recorder.fail(runId, stop.reason()));
            LOG.warnf("Training run %d for %s/%s interrupted: %s", runId, project, model, stop.reason());
            return RunStatus.FAILED;
        }
        if (stop.requested()) {
            recordEnd(runId, "recording the cancellation", () -> recorder.cancel(runId, stop.reason()));
        }
        LOG.infof("Training run %d for %s/%s stopped: it was cancelled", runId, project, model);
        if (run != null) {
            metrics.finished(project, model, RunStatus.CANCELLED);
        }
        return RunStatus.CANCELLED;
    }

    private RunStatus failed(long runId, RunRecorder.RunSnapshot run, String project, String message, Throwable e) {
        String model = run == null ? "?" : run.modelName();
        if (e != null) {
            LOG.errorf(e, "Training run %d for %s/%s failed: %s", runId, project, model, message);
        } else {
            LOG.warnf("Training run %d for %s/%s failed: %s", runId, project, model, message);
        }
        recordEnd(runId, "recording the failure", () -> recorder.fail(runId, message));
        if (run != null) {
            metrics.finished(project, model, RunStatus.FAILED);
        }
        return RunStatus.FAILED;
    }
}
