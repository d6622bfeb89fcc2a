package dev.keel.inference.service;

import dev.keel.common.model.InvalidFeatureException;
import dev.keel.common.model.MissingValues;
import dev.keel.common.model.XgbModel;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import dev.keel.inference.config.InferenceConfig;
import dev.keel.inference.log.PredictionLogWriter;
import dev.keel.inference.log.RejectedRows;
import dev.keel.inference.log.PredictionRecord;
import dev.keel.inference.serving.ModelCatalog;
import dev.keel.inference.serving.ServedModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a served model on named features and logs each row. The model reference is taken once per
 * request, so a batch is answered by one version from its first row to its last. Pure CPU work of
 * microseconds that never blocks, so the prediction endpoints call it on the event loop.
 */
@ApplicationScoped
public class Predictor {

    private final ModelCatalog catalog;
    private final PredictionLogWriter log;
    private final RejectedRows rejected;
    private final MissingValues missing;
    private final int maxBatchRows;
    private final MeterRegistry meters;
    private final PredictionTrace trace;
    private final Map<String, Counter> rowCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> requestCounters = new ConcurrentHashMap<>();
    private volatile ServedCounter lastCounter;

    public Predictor(ModelCatalog catalog, PredictionLogWriter log, RejectedRows rejected, InferenceConfig config,
                     MeterRegistry meters, PredictionTrace trace) {
        this.catalog = catalog;
        this.rejected = rejected;
        this.trace = trace;
        this.log = log;
        this.missing = config.allowMissing() ? MissingValues.ALLOW : MissingValues.REJECT;
        this.maxBatchRows = config.maxBatchRows();
        this.meters = meters;
    }

    /** Most rows one request may ask for (KEEL_INFERENCE_MAX_BATCH_ROWS), whichever the protocol. */
    public int maxBatchRows() {
        return maxBatchRows;
    }

    /** Whether absent features go to the model as missing values (KEEL_INFERENCE_ALLOW_MISSING) or are refused. */
    public MissingValues missingValues() {
        return missing;
    }

    /** The production version of {@code model} in the caller's project, or 404 naming it. */
    public ServedModel served(ProjectRef project, String model) {
        return catalog.find(project.name(), model)
                .orElseThrow(() -> new ProblemException(404, "Not found", "Model '" + model + "' has no production version "
                        + "being served in project '" + project.name() + "'", "model", null));
    }

    public Answer predict(ProjectRef project, String keyName, String model, Map<String, Object> features, boolean explain) {
        long start = System.nanoTime();
        ServedModel served = servedForPrediction(project, model);
        Prediction prediction;
        try {
            prediction = predictRow(project, served, features, explain, "features", 1);
        } catch (ProblemException e) {
            countInvalid(served);
            throw e;
        }
        CompletionStage<Void> logged = record(project, keyName, served, features, prediction, start);
        count(served, 1);
        return new Answer(served, List.of(prediction), logged);
    }

    public Answer predictBatch(ProjectRef project, String keyName, String model, List<Map<String, Object>> instances,
                               boolean explain) {
        long start = System.nanoTime();
        ServedModel served = servedForPrediction(project, model);
        Prediction[] predictions;
        try {
            if (instances.size() > maxBatchRows) {
                throw ProblemException.unprocessable("instances", "A batch holds at most " + maxBatchRows
                        + " rows; this one has " + instances.size());
            }
            predictions = new Prediction[instances.size()];
            for (int i = 0; i < predictions.length; i++) {
                predictions[i] = predictRow(project, served, instances.get(i), explain, "instances[" + i + "]",
                        instances.size());
            }
        } catch (ProblemException e) {
            countInvalid(served);
            throw e;
        }
        CompletionStage<Void> logged = record(project, keyName, served, instances, predictions, start);
        count(served, predictions.length);
        return new Answer(served, List.of(predictions), logged);
    }

    /** Scores encoded rows (the Open Inference Protocol's tensors); logs each with its own request id. */
    public Answer predictRows(ProjectRef project, String keyName, ServedModel served, float[][] rows,
                              List<Map<String, Object>> loggedFeatures) {
        long start = System.nanoTime();
        Prediction[] predictions = new Prediction[rows.length];
        for (int i = 0; i < rows.length; i++) {
            predictions[i] = score(served, rows[i], false);
        }
        CompletionStage<Void> logged = record(project, keyName, served, loggedFeatures, predictions, start);
        count(served, rows.length);
        return new Answer(served, List.of(predictions), logged);
    }

    /** @param refusedRows the rows a refusal of this one refuses (a batch is refused whole) */
    private Prediction predictRow(ProjectRef project, ServedModel served, Map<String, Object> features, boolean explain,
                                  String field, int refusedRows) {
        if (features == null) {
            throw ProblemException.unprocessable(field, "'" + field + "' is required: an object of feature values");
        }
        float[] row;
        try {
            row = served.model().toRow(served.categories().encode(features), missing);
        } catch (InvalidFeatureException e) {
            countRefused(project, served, e, refusedRows);
            String path = field + "." + e.field();
            throw ProblemException.unprocessable(path, path + ": " + e.getMessage());
        }
        return score(served, row, explain);
    }

    Prediction score(ServedModel served, float[] row, boolean explain) {
        XgbModel model = served.model();
        float[] out = new float[model.numOutputGroups()];
        model.predict(row, out);
        UUID requestId = PredictionIds.next();
        if (model.objective().isBinaryProbability() && model.outputWidth() == 1) {
            double probability = out[0];
            return new Prediction(requestId, probability >= served.decisionThreshold() ? 1 : 0, probability, null,
                    explain ? explanation(model, row).get(0) : null, null);
        }
        if (model.outputWidth() > 1) {
            int best = 0;
            for (int k = 1; k < model.outputWidth(); k++) {
                if (out[k] > out[best]) {
                    best = k;
                }
            }
            float[] probabilities = Arrays.copyOf(out, model.outputWidth());
            List<Map<String, Double>> byClass = explain ? explanation(model, row) : null;
            return new Prediction(requestId, best, (double) probabilities[best], probabilities,
                    byClass == null ? null : byClass.get(best), byClass);
        }
        if (model.numOutputGroups() > 1) {   // multi:softmax: the class index
            List<Map<String, Double>> byClass = explain ? explanation(model, row) : null;
            return new Prediction(requestId, out[0], null, null, byClass == null ? null : byClass.get((int) out[0]), byClass);
        }
        return new Prediction(requestId, out[0], null, null, explain ? explanation(model, row).get(0) : null, null);
    }

    /**
     * SHAP contributions of one row, one map (feature to value, then {@code bias}) per output group:
     * a multi-class model's per class, each summing to that class's margin.
     */
    private static List<Map<String, Double>> explanation(XgbModel model, float[] row) {
        double[] phi = model.contributions(row);
        List<String> names = model.featureNames();
        int width = names.size() + 1;
        List<Map<String, Double>> groups = new ArrayList<>(model.numOutputGroups());
        for (int g = 0; g < model.numOutputGroups(); g++) {
            Map<String, Double> byFeature = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byFeature.put(names.get(i), phi[g * width + i]);
            }
            byFeature.put("bias", phi[g * width + names.size()]);
            groups.add(byFeature);
        }
        return groups;
    }

    private CompletionStage<Void> record(ProjectRef project, String keyName, ServedModel served,
                                         Map<String, Object> features, Prediction p, long startNanos) {
        int latencyMicros = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000);
        PredictionRecord record = new PredictionRecord(p.requestId(), Instant.now(), project.id(), served.name(),
                served.version(), features, p.prediction(), p.probability(), p.probabilities(), latencyMicros, keyName);
        if (trace.enabled()) {
            trace.log(record);
        }
        return log.offer(record);
    }

    private CompletionStage<Void> record(ProjectRef project, String keyName, ServedModel served,
                                         List<Map<String, Object>> features, Prediction[] predictions, long startNanos) {
        int latencyMicros = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000);
        Instant now = Instant.now();
        List<PredictionRecord> records = new ArrayList<>(predictions.length);
        for (int i = 0; i < predictions.length; i++) {
            Prediction p = predictions[i];
            records.add(new PredictionRecord(p.requestId(), now, project.id(), served.name(), served.version(),
                    features.get(i), p.prediction(), p.probability(), p.probabilities(), latencyMicros, keyName));
        }
        if (trace.enabled()) {
            records.forEach(trace::log);
        }
        return log.offerAll(records);
    }

    /** {@link #served}, counting a request for a model not served as such. */
    private ServedModel servedForPrediction(ProjectRef project, String model) {
        try {
            return served(project, model);
        } catch (ProblemException e) {
            countNotServed(project);
            throw e;
        }
    }

    /** Counts rows refused because of one feature, for the agent's data-quality check (prediction_rejections). */
    public void countRefused(ProjectRef project, ServedModel served, InvalidFeatureException refusal, int rows) {
        rejected.count(project.id(), served.name(), served.version(), refusal, rows);
    }

    /** Counts a prediction request for a served version that was refused as invalid (a bad feature, too many rows). */
    public void countInvalid(ServedModel served) {
        requests(served.project(), served.name(), Integer.toString(served.version()), "invalid").increment();
    }

    /**
     * Counts a prediction request naming a model that has no version served. The name the caller
     * sent is not a tag: any caller could otherwise add series to the registry at will.
     */
    public void countNotServed(ProjectRef project) {
        requests(project.name(), "", "", "not_served").increment();
    }

    private Counter requests(String project, String model, String version, String outcome) {
        return requestCounters.computeIfAbsent(project + '/' + model + '/' + version + '/' + outcome,
                k -> Counter.builder("keel_inference_requests").description("Prediction requests by model version and outcome "
                                + "(success, invalid, not_served; model and version empty for not_served)")
                        .tags("project", project, "model", model, "version", version, "outcome", outcome)
                        .register(meters));
    }

    private void count(ServedModel served, int rows) {
        ServedCounter last = lastCounter;
        if (last == null || last.served() != served) {
            String version = Integer.toString(served.version());
            last = new ServedCounter(served, rowCounters.computeIfAbsent(
                    served.project() + '/' + served.name() + '/' + served.version(),
                    k -> Counter.builder("keel_inference_rows_predicted").description("Rows predicted, by model version")
                            .tags("project", served.project(), "model", served.name(), "version", version)
                            .register(meters)),
                    requests(served.project(), served.name(), version, "success"));
            lastCounter = last;
        }
        last.rows().increment(rows);
        last.successes().increment();
    }

    /** The counters of the model version counted last: a replica serving one model finds them without building a key. */
    private record ServedCounter(ServedModel served, Counter rows, Counter successes) {
    }

    /**
     * The version that answered, its rows' predictions, and when their log records are safe: at
     * once when queued, after the spill file's fsync when the queue was full. Answer the request
     * only then, so an answered prediction is never lost.
     */
    public record Answer(ServedModel served, List<Prediction> predictions, CompletionStage<Void> logged) {

        /**
         * {@code body} once the rows' log records are safe, without blocking the calling thread. When
         * that waits for the spill file, the answer is written back on the request's own event loop,
         * not on the thread that ran the fsync (which has the next group to sync).
         */
        public <T> Uni<T> onceLogged(T body) {
            CompletableFuture<Void> safe = logged.toCompletableFuture();
            if (safe.isDone()) {
                return Uni.createFrom().item(body);
            }
            Uni<T> answer = Uni.createFrom().completionStage(safe).replaceWith(body);
            Context requestContext = Vertx.currentContext();
            return requestContext == null ? answer
                    : answer.emitOn(command -> requestContext.runOnContext(ignored -> command.run()));
        }
    }
}
