package dev.keel.inference.service;

import dev.keel.common.model.Objective;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import dev.keel.inference.rest.FeedbackRequest;
import dev.keel.inference.serving.ModelCatalog;
import dev.keel.inference.serving.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Checks that each label fits the model version that made the prediction it labels: 0 or 1 for a
 * binary classifier, a class index for a multi-class one, any finite number for regression.
 * Monitoring and retraining from feedback read a label as that model's kind of answer, so a label
 * of another kind (2^63, -1 or 1.5 for a binary model) would only count as a wrong prediction or
 * a class no model has.
 *
 * <p>The version comes from the logged prediction: a label sent before its prediction left the
 * log's queue (within {@code KEEL_PREDICTIONS_FLUSH_INTERVAL}), or while it waits in the spill file,
 * or for a request id that was never logged, is stored unchecked, as before. The version's
 * objective and class count are the served model's when that version still serves, else the
 * objective the registry recorded for it and, for {@code multi:softprob}, the number of logged
 * class probabilities ({@code multi:softmax} logs none: then any class index from 0 passes).
 */
@ApplicationScoped
public class FeedbackLabels {

    // the registry's tables are read as drift and the agent read them: model_versions.params holds the objective
    private static final String ORIGINS = """
            SELECT p.request_id, p.model_name, p.model_version, v.id IS NOT NULL, v.params->>'objective',
                   CASE WHEN json_typeof(p.outputs) = 'array' THEN json_array_length(p.outputs) END
            FROM predictions p
            LEFT JOIN registered_models m ON m.project_id = p.project_id AND m.name = p.model_name
            LEFT JOIN model_versions v ON v.model_id = m.id AND v.version = p.model_version
            WHERE p.project_id = ? AND p.request_id = ANY (?)
            """;

    private final DataSource dataSource;
    private final ModelCatalog catalog;

    public FeedbackLabels(DataSource dataSource, ModelCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /** 422 naming {@code items[i].label} for the first label that does not fit its prediction's model. */
    public void check(ProjectRef project, List<FeedbackRequest.Item> items) throws SQLException {
        Map<UUID, LabelFit> fits = fits(project, items.stream().map(FeedbackRequest.Item::requestId).toArray(UUID[]::new));
        for (int i = 0; i < items.size(); i++) {
            LabelFit fit = fits.get(items.get(i).requestId());
            String misfit = fit == null ? null : fit.misfit(items.get(i).label());
            if (misfit != null) {
                String field = "items[" + i + "].label";
                throw ProblemException.unprocessable(field, field + ": " + misfit);
            }
        }
    }

    private Map<UUID, LabelFit> fits(ProjectRef project, UUID[] requestIds) throws SQLException {
        Map<UUID, LabelFit> fits = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ORIGINS)) {
            ps.setLong(1, project.id());
            ps.setArray(2, c.createArrayOf("uuid", requestIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int loggedClasses = rs.getInt(6);
                    Integer classes = rs.wasNull() ? null : loggedClasses;
                    UUID requestId = rs.getObject(1, UUID.class);
                    fit(project, rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getString(5), classes)
                            .ifPresent(fit -> fits.put(requestId, fit));
                }
            }
        }
        return fits;
    }

    private Optional<LabelFit> fit(ProjectRef project, String model, int version, boolean registered, String objectiveName,
                                   Integer loggedClasses) {
        Optional<ServedModel> served = catalog.find(project.name(), model).filter(s -> s.version() == version);
        if (served.isPresent()) {
            Objective objective = served.get().model().objective();
            return Optional.of(new LabelFit(model, version, objective.xgboostName(), objective.task(),
                    served.get().model().numOutputGroups()));
        }
        if (!registered) {
            return Optional.empty();   // the version is gone from the registry: nothing says what it was
        }
        if (objectiveName == null) {
            // versions registered before the registry recorded the objective were Keel's binary classifiers
            return Optional.of(new LabelFit(model, version, "binary:logistic", Objective.Task.BINARY, null));
        }
        return Objective.byXgboostName(objectiveName)
                .map(o -> new LabelFit(model, version, o.xgboostName(), o.task(),
                        o.task() == Objective.Task.MULTICLASS ? loggedClasses : null));
    }

    /** A label's rule: the version, its objective, and its class count for a multi-class model where known. */
    record LabelFit(String model, int version, String objective, Objective.Task task, Integer classes) {

        /** Why a finite {@code label} does not fit; null when it does. */
        String misfit(double label) {
            String of = model + " v" + version + " (" + objective + ")";
            if (objective.equals("reg:logistic")) {
                // served as a probability, but trained on any target from 0 to 1 (a rate, a share), not two classes
                return label >= 0 && label <= 1 ? null
                        : "must be from 0 to 1: the prediction was made by " + of + ", whose targets are 0 to 1; got " + label;
            }
            return switch (task) {
                // binary:logitraw answers a margin, but what it is trained on and labelled with are the same two classes
                case BINARY, MARGIN -> label == 0 || label == 1 ? null
                        : "must be 0 or 1: the prediction was made by " + of + ", a binary classifier; got " + label;
                case MULTICLASS -> label == Math.rint(label) && label >= 0
                        && (classes == null ? label <= Integer.MAX_VALUE : label < classes) ? null
                        : "must be a class index, an integer from 0" + (classes == null ? "" : " to " + (classes - 1))
                        + ": the prediction was made by " + of + ", a multi-class model"
                        + (classes == null ? "" : " of " + classes + " classes") + "; got " + label;
                case REGRESSION -> null;
            };
        }
    }
}
