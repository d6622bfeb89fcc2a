package dev.keel.registry.service;

import dev.keel.common.features.FeatureSpec;
import dev.keel.common.model.Objective;
import dev.keel.common.model.XgbModel;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.stats.ClassConfusion;
import dev.keel.common.stats.ClassLabels;
import dev.keel.registry.api.EvaluationView;
import dev.keel.registry.config.RegistryConfig;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.evaluation.ClassificationMetrics;
import dev.keel.registry.evaluation.EvaluationBaseline;
import dev.keel.registry.evaluation.CsvTable;
import dev.keel.registry.mapping.JsonDocuments;
import dev.keel.registry.repository.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Scores a version on labelled data the caller uploads: the CSV's columns are matched to the
 * version's feature schema by name, each cell is checked against its feature's type, and the
 * version's own artifact predicts, through the same pure-Java runtime inference uses. What is
 * measured follows the model's objective: a binary classifier at a probability threshold, a
 * multi-class one by its macro averages and class confusion matrix, a regression model by its errors.
 * Nothing is stored unless the caller asks for the figures to be recorded as the version's metrics
 * ({@link #evaluateAndRecord}): then a model uploaded from elsewhere can pass the deployment gate on
 * figures measured here, and be monitored against its evaluation data.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    static final String DATA = "data";
    static final String TARGET = "target";

    private final VersionService versionService;
    private final EvaluationRecorder recorder;
    private final ArtifactStore artifacts;
    private final JsonDocuments json;
    private final int maxRows;
    private final int maxErrors;

    public EvaluationService(VersionService versionService, EvaluationRecorder recorder, ArtifactStore artifacts,
                             JsonDocuments json, RegistryConfig config) {
        this.versionService = versionService;
        this.recorder = recorder;
        this.artifacts = artifacts;
        this.json = json;
        this.maxRows = config.evaluation().maxRows();
        this.maxErrors = config.evaluation().maxErrors();
    }

    /** Measures the version on the data; stores nothing. */
    public EvaluationView evaluate(ProjectRef project, String modelName, int number, byte[] csv, String target,
                                   Double threshold) {
        return evaluate(project, modelName, number, csv, target, threshold, null);
    }

    /**
     * Measures the version on the data and records the figures as its metrics, marked as measured
     * here by {@code actor} on this file ({@link EvaluationRecorder}); the data's feature columns
     * become its baseline statistics when it has none. Recorded figures describe the version as it
     * will serve, so a binary classifier is measured at its own decision threshold: another
     * {@code threshold} is refused (422).
     */
    public EvaluationView evaluateAndRecord(ProjectRef project, String modelName, int number, byte[] csv, String target,
                                            Double threshold, String actor) {
        return evaluate(project, modelName, number, csv, target, threshold, actor);
    }

    private EvaluationView evaluate(ProjectRef project, String modelName, int number, byte[] csv, String target,
                                    Double threshold, String recordAs) {
        if (threshold != null && (threshold.isNaN() || threshold < 0 || threshold > 1)) {
            throw ProblemException.unprocessable("threshold", "threshold: must be a number from 0 to 1");
        }
        ModelVersionEntity version = versionService.require(project, modelName, number);
        boolean record = recordAs != null;
        if (record) {
            EvaluationRecorder.requireRecordable(modelName, version);
            if (threshold != null && threshold != version.getDecisionThreshold()) {
                throw ProblemException.unprocessable("threshold", "threshold: recorded metrics are measured at the version's "
                        + "decision_threshold (" + version.getDecisionThreshold() + "); change it first (PATCH the version) "
                        + "or evaluate at " + threshold + " without record=true");
            }
        }
        byte[] bytes = artifacts.load(version.getId())
                .orElseThrow(() -> new IllegalStateException(modelName + " v" + number + " has no stored artifact"));
        XgbModel model = XgbModel.load(bytes);
        Objective.Task task = model.objective().task();
        String name = modelName + " v" + number + " (objective '" + model.objective().xgboostName() + "')";
        if (task == Objective.Task.MARGIN) {
            throw ProblemException.unprocessable(null, name + " predicts raw margins, which no label can be compared with");
        }
        if (task != Objective.Task.MULTICLASS && model.outputWidth() != 1) {
            throw ProblemException.unprocessable(null, name + " predicts " + model.outputWidth()
                    + " targets per row; evaluation scores single-target models");
        }
        if (threshold != null && task != Objective.Task.BINARY) {
            throw ProblemException.unprocessable("threshold", "threshold: applies to binary classifiers; " + name
                    + " is a " + task.wireName() + " model");
        }
        List<FeatureSpec> schema = json.featureSchema(version.getFeatureSchema());
        CsvTable table = CsvTable.parse(csv, DATA, maxRows);
        LabelledRows data = read(table, schema, target, Labels.of(task, model.numOutputGroups(), version.getParams()));
        int rows = data.labels().length;
        // a model's outputs per row times the rows: bounded like the table's cells, before it is allocated
        if ((long) rows * model.outputWidth() > CsvTable.MAX_CELLS) {
            throw ProblemException.unprocessable(DATA, DATA + ": " + rows + " rows of " + model.outputWidth()
                    + " outputs each are more than " + CsvTable.MAX_CELLS + " outputs; evaluate on a sample");
        }
        float[] out = new float[rows * model.outputWidth()];
        model.predictBatch(data.features(), rows, out);
        EvaluationView view = switch (task) {
            case BINARY -> {
                boolean[] labels = new boolean[rows];
                int positives = 0;
                for (int r = 0; r < rows; r++) {
                    labels[r] = data.labels()[r] == 1;
                    positives += labels[r] ? 1 : 0;
                }
                double cutOff = threshold != null ? threshold : version.getDecisionThreshold();
                yield new EvaluationView(modelName, number, task.wireName(), data.target(), rows, positives, null,
                        ClassificationMetrics.compute(out, labels, cutOff));
            }
            case MULTICLASS -> {
                ClassConfusion confusion = new ClassConfusion();
                int width = model.outputWidth();
                for (int r = 0; r < rows; r++) {
                    confusion.add(width == 1 ? out[r] : argmax(out, r * width, width), data.labels()[r], 1);
                }
                Double auc = width == 1 ? null : ClassificationMetrics.macroRocAuc(out, width, data.labels());
                yield new EvaluationView(modelName, number, task.wireName(), data.target(), rows, null,
                        confusion.classes().stream().map(Double::intValue).toList(), ClassificationMetrics.multiclass(confusion, auc));
            }
            default -> new EvaluationView(modelName, number, task.wireName(), data.target(), rows, null, null,
                    ClassificationMetrics.regression(out, data.labels()));
        };
        LOG.infof("Evaluated %s/%s v%d (%s) on %d rows: %s", project.name(), modelName, number, task.wireName(), rows,
                view.metrics());
        if (!record) {
            return view;
        }
        Map<String, Object> baseline = version.getBaselineStats() != null ? null
                : json.toMap(EvaluationBaseline.of(schema, data.features(), rows));
        return recorder.record(project, modelName, number, view, ModelArtifact.sha256Hex(csv), baseline, recordAs);
    }

    private static int argmax(float[] values, int offset, int width) {
        int best = 0;
        for (int k = 1; k < width; k++) {
            if (values[offset + k] > values[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    private record LabelledRows(String target, float[] features, double[] labels) {
    }

    /** How a task's label cells read: the value, or null with {@link #expected} saying what was wanted. */
    private record Labels(Function<String, Double> parse, String expected) {

        /**
         * A binary version Keel trained records the labels behind 1 and 0 ({@code positive_class},
         * {@code negative_class} in its params): read as training read them, so a dataset whose
         * positive class is {@code 0} or {@code no} is not scored against inverted labels.
         */
        static Labels of(Objective.Task task, int classes, Map<String, Object> params) {
            Object positive = params == null ? null : params.get("positive_class");
            Object negative = params == null ? null : params.get("negative_class");
            if (task == Objective.Task.BINARY && positive != null && negative != null) {
                String p = ClassLabels.canonical(positive.toString());
                String n = ClassLabels.canonical(negative.toString());
                return new Labels(raw -> {
                    String label = ClassLabels.canonical(raw);
                    if (label.equals(p)) {
                        return 1.0;
                    }
                    return label.equals(n) ? Double.valueOf(0.0) : null;
                }, "the label must be '" + p + "' (positive) or '" + n + "', the classes the version was trained on");
            }
            return switch (task) {
                case BINARY -> new Labels(raw -> {
                    Boolean b = label(raw);
                    return b == null ? null : b ? 1.0 : 0.0;
                }, "the label must be 0, 1, true or false");
                case MULTICLASS -> new Labels(raw -> {
                    Double v = number(raw);
                    return v != null && v >= 0 && v < classes && v == Math.rint(v) ? v : null;
                }, "the label must be a class index from 0 to " + (classes - 1));
                default -> new Labels(EvaluationService::number, "the label must be a number");
            };
        }
    }

    private LabelledRows read(CsvTable table, List<FeatureSpec> schema, String targetName, Labels parser) {
        List<String> header = table.header();
        String target = targetName == null || targetName.isBlank() ? header.get(header.size() - 1) : targetName.strip();
        int targetColumn = table.columnIndex(target);
        if (targetColumn < 0) {
            throw ProblemException.unprocessable(TARGET, "target: the CSV has no column '" + target + "'; its columns are " + header);
        }
        int[] columns = new int[schema.size()];
        List<Problem.FieldError> missing = new ArrayList<>();
        for (int f = 0; f < schema.size(); f++) {
            columns[f] = table.columnIndex(schema.get(f).name());
            if (columns[f] < 0) {
                missing.add(new Problem.FieldError(schema.get(f).name(), "column '" + schema.get(f).name()
                        + "' is missing; the model needs it"));
            } else if (columns[f] == targetColumn) {
                missing.add(new Problem.FieldError(schema.get(f).name(), "column '" + target
                        + "' is a model feature and cannot be the target"));
            }
        }
        if (!missing.isEmpty()) {
            throw problem(missing);
        }

        int rows = table.size();
        float[] features = new float[rows * schema.size()];
        double[] labels = new double[rows];
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int r = 0; r < rows && errors.size() < maxErrors; r++) {
            String[] row = table.row(r);
            if (row.length != header.size()) {
                errors.add(new Problem.FieldError("row " + (r + 1), "row " + (r + 1) + " has " + row.length
                        + " values; the header has " + header.size()));
                continue;
            }
            for (int f = 0; f < schema.size() && errors.size() < maxErrors; f++) {
                FeatureSpec spec = schema.get(f);
                try {
                    features[r * schema.size() + f] = cell(spec, row[columns[f]]);
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError(spec.name(), "row " + (r + 1) + ", column '" + spec.name() + "': "
                            + e.getMessage()));
                }
            }
            Double label = parser.parse().apply(row[targetColumn]);
            if (label == null) {
                errors.add(new Problem.FieldError(target, "row " + (r + 1) + ", column '" + target + "': "
                        + parser.expected()));
            } else {
                labels[r] = label;
            }
        }
        if (!errors.isEmpty()) {
            throw problem(errors);
        }
        return new LabelledRows(target, features, labels);
    }

    private static ProblemException problem(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).message()
                : errors.size() + " problems in the CSV; the first: " + errors.get(0).message();
        return new ProblemException(422, "Unprocessable content", detail, errors.get(0).field(), errors);
    }

    /** One cell as the model's float; an empty cell is a missing value. Messages name the cell, never echo long values. */
    static float cell(FeatureSpec spec, String raw) {
        if (raw.isEmpty()) {
            return Float.NaN;
        }
        return switch (spec.type()) {
            case NUMERIC -> {
                try {
                    double value = Double.parseDouble(raw);
                    if (Double.isInfinite(value)) {
                        throw new IllegalArgumentException("infinite values are not allowed");
                    }
                    yield (float) value;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + shorten(raw) + "' is not a number");
                }
            }
            case BOOLEAN -> {
                Boolean value = bool(raw);
                if (value == null) {
                    throw new IllegalArgumentException("'" + shorten(raw) + "' is not a boolean (true/false/1/0)");
                }
                yield value ? 1f : 0f;
            }
            case CATEGORICAL -> category(spec, raw);
        };
    }

    private static float category(FeatureSpec spec, String raw) {
        if (spec.categories() != null && !spec.categories().isEmpty()) {
            int code = spec.categories().indexOf(raw);
            if (code >= 0) {
                return code;
            }
            throw new IllegalArgumentException("'" + shorten(raw) + "' is not one of the categories " + spec.categories());
        }
        try {
            double code = Double.parseDouble(raw);
            if (code >= 0 && code == Math.rint(code) && code < 16_777_215) {
                return (float) code;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + shorten(raw) + "' is not a category code (a whole number from 0); "
                + "the version's schema lists no category names");
    }

    private static Boolean label(String raw) {
        Boolean value = bool(raw);
        if (value != null) {
            return value;
        }
        try {
            double number = Double.parseDouble(raw);
            return number == 1 ? Boolean.TRUE : number == 0 ? Boolean.FALSE : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A finite number, or null. */
    private static Double number(String raw) {
        try {
            double v = Double.parseDouble(raw);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Boolean bool(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String shorten(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 37) + "...";
    }
}
