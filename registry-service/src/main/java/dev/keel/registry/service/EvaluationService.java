package dev.keel.registry.service;

import dev.keel.common.model.XgbModel;
import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.EvaluationView;
import dev.keel.registry.config.RegistryConfig;
import dev.keel.common.features.FeatureSpec;
import dev.keel.registry.domain.ModelMetrics;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.evaluation.ClassificationMetrics;
import dev.keel.registry.evaluation.CsvTable;
import dev.keel.registry.mapping.JsonDocuments;
import dev.keel.registry.repository.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Scores a version on labelled data the caller uploads: the CSV's columns are matched to the
 * version's feature schema by name, each cell is checked against its feature's type, and the
 * version's own artifact predicts, through the same pure-Java runtime inference uses.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    static final String DATA = "data";
    static final String TARGET = "target";

    private final VersionService versionService;
    private final ArtifactStore artifacts;
    private final JsonDocuments json;
    private final int maxRows;
    private final int maxErrors;

    public EvaluationService(VersionService versionService, ArtifactStore artifacts, JsonDocuments json,
                             RegistryConfig config) {
        this.versionService = versionService;
        this.artifacts = artifacts;
        this.json = json;
        this.maxRows = config.evaluation().maxRows();
        this.maxErrors = config.evaluation().maxErrors();
    }

    public EvaluationView evaluate(ProjectRef project, String modelName, int number, byte[] csv, String target,
                                   Double threshold) {
        if (threshold != null && (threshold.isNaN() || threshold < 0 || threshold > 1)) {
            throw ProblemException.unprocessable("threshold", "threshold: must be a number from 0 to 1");
        }
        ModelVersionEntity version = versionService.require(project, modelName, number);
        byte[] bytes = artifacts.load(version.getId())
                .orElseThrow(() -> new IllegalStateException(modelName + " v" + number + " has no stored artifact"));
        XgbModel model = XgbModel.load(bytes);
        if (!model.objective().isBinaryProbability()) {
            throw ProblemException.unprocessable(null, modelName + " v" + number + " has objective '"
                    + model.objective().xgboostName() + "'; evaluation supports binary classifiers (binary:logistic)");
        }
        List<FeatureSpec> schema = json.featureSchema(version.getFeatureSchema());
        CsvTable table = CsvTable.parse(csv, DATA, maxRows);
        LabelledRows data = read(table, schema, target);
        float[] probabilities = new float[data.labels().length];
        model.predictBatch(data.features(), data.labels().length, probabilities);
        double cutOff = threshold != null ? threshold : version.getDecisionThreshold();
        ModelMetrics metrics = ClassificationMetrics.compute(probabilities, data.labels(), cutOff);
        int positives = 0;
        for (boolean label : data.labels()) {
            positives += label ? 1 : 0;
        }
        LOG.infof("Evaluated %s/%s v%d on %d rows: f1 %.4f, roc_auc %s", project.name(), modelName, number,
                data.labels().length, metrics.f1(), metrics.rocAuc());
        return new EvaluationView(modelName, number, data.target(), data.labels().length, positives, metrics);
    }

    private record LabelledRows(String target, float[] features, boolean[] labels) {
    }

    private LabelledRows read(CsvTable table, List<FeatureSpec> schema, String targetName) {
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
        boolean[] labels = new boolean[rows];
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
            Boolean label = label(row[targetColumn]);
            if (label == null) {
                errors.add(new Problem.FieldError(target, "row " + (r + 1) + ", column '" + target
                        + "': the label must be 0, 1, true or false"));
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
