package dev.keel.drift.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.DriftReportRepository;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.PredictionLogReader;
import dev.keel.drift.repository.PredictionWindow;
import dev.keel.drift.stats.Baseline;
import dev.keel.drift.stats.DatasetDrift;
import dev.keel.drift.stats.DriftCalculator;
import dev.keel.drift.stats.DriftPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Computes drift reports over the prediction log or an uploaded CSV, and stores and reads them. */
@ApplicationScoped
public class DriftReportService {

    private static final Logger LOG = Logger.getLogger(DriftReportService.class);

    private final ModelVersionRepository versions;
    private final BaselineService baselines;
    private final PredictionLogReader log;
    private final DriftReportRepository reports;
    private final PolicyResolver policies;
    private final DriftConfig config;

    public DriftReportService(ModelVersionRepository versions, BaselineService baselines, PredictionLogReader log,
                              DriftReportRepository reports, PolicyResolver policies, DriftConfig config) {
        this.versions = versions;
        this.baselines = baselines;
        this.log = log;
        this.reports = reports;
        this.policies = policies;
        this.config = config;
    }

    /** A version of a project's model; 404 when the model or version does not exist. */
    public ModelVersionRef version(long projectId, String model, Integer version) {
        return versions.find(projectId, model, Optional.ofNullable(version))
                .orElseThrow(() -> version == null
                        ? ProblemException.notFound("Production version of model", model)
                        : ProblemException.notFound("Model version", model + ":" + version));
    }

    /** A report over logged predictions, stored. */
    public DriftReport fromPredictionLog(ModelVersionRef version, PredictionWindow window,
                                        PolicyResolver.Overrides overrides, String trigger) {
        Baseline baseline = baselines.baselineOf(version, "model_version");
        DriftPolicy policy = policies.policyFor(version.modelName(), overrides);
        PolicyResolver.requireValid(policy.problemsWith(baseline));
        PredictionLogReader.Span span = log.span(version, window);
        if (span.rows() == 0) {
            throw ProblemException.unprocessable("window", "No predictions of " + version.label() + " in this window");
        }
        long started = System.nanoTime();
        DatasetDrift drift = DriftCalculator.compute(baseline, policy, log.features(version, window));
        Instant start = window.lastN() != null ? span.first() : window.start();
        Instant end = window.lastN() != null ? span.last() : window.end();
        DriftReport stored = store(version, drift, policy, trigger, "prediction_log", start, end);
        LOG.infof("Drift report %d for %s: %d rows, %d/%d features drifted, score %.3f, %s (%d ms, %s)",
                stored.id(), version.label(), drift.currentRows(), drift.driftedFeatures(), drift.evaluatedFeatures(),
                drift.driftScore(), stored.severity().wireName(), (System.nanoTime() - started) / 1_000_000, trigger);
        return stored;
    }

    /** A report over an uploaded CSV as the current data, stored. */
    public DriftReport fromCsv(ModelVersionRef version, CsvCurrentData csv, PolicyResolver.Overrides overrides) {
        Baseline baseline = baselines.baselineOf(version, "model_version");
        DriftPolicy policy = policies.policyFor(version.modelName(), overrides);
        PolicyResolver.requireValid(policy.problemsWith(baseline));
        List<String> header = csv.header();
        if (header.stream().map(String::strip).noneMatch(h -> baseline.feature(h).isPresent())) {
            throw ProblemException.unprocessable("csv", "No column of the CSV is a feature of " + version.label()
                    + "; expected some of " + baseline.byName().keySet());
        }
        DatasetDrift drift = DriftCalculator.compute(baseline, policy, csv);
        if (drift.currentRows() == 0) {
            throw ProblemException.unprocessable("csv", "The CSV has a header but no rows");
        }
        DriftReport stored = store(version, drift, policy, "manual", "csv", null, null);
        LOG.infof("Drift report %d for %s from a CSV of %d rows: score %.3f, %s", stored.id(), version.label(),
                drift.currentRows(), drift.driftScore(), stored.severity().wireName());
        return stored;
    }

    public Optional<DriftReport> find(long projectId, long id) {
        return reports.find(projectId, id);
    }

    /** The newest {@code limit} reports, which the caller has checked against {@code keel.drift.report.max-listed}. */
    public List<DriftReport> list(long projectId, String model, Integer version, int limit) {
        return reports.list(projectId, model, version, limit);
    }

    private DriftReport store(ModelVersionRef version, DatasetDrift drift, DriftPolicy policy, String trigger,
                              String source, Instant start, Instant end) {
        Severity severity = Severity.of(drift.driftScore(), config.warningThreshold(), config.criticalThreshold());
        DriftReport report = new DriftReport(null, version.projectName(), version.modelName(), version.version(), trigger,
                source, start, end, drift.referenceRows(), drift.currentRows(), drift.datasetDrift(), drift.driftShare(),
                policy.driftShare(), drift.evaluatedFeatures(), drift.driftedFeatures(), drift.driftScore(), severity,
                config.warningThreshold(), config.criticalThreshold(),
                drift.features().stream().map(FeatureReport::of).toList(), null);
        return reports.insert(version.projectId(), report);
    }
}
