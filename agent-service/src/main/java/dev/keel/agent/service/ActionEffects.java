package dev.keel.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.client.DownstreamException;
import dev.keel.agent.client.DriftClient;
import dev.keel.agent.client.RegistryClient;
import dev.keel.agent.client.TrainingClient;
import dev.keel.agent.config.AgentConfig;
import dev.keel.agent.domain.AgentAction;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.domain.Severity;
import dev.keel.agent.repository.ActionRecord;
import dev.keel.agent.repository.AlertRepository;
import dev.keel.agent.repository.MonitoringFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What each action does for real. {@link #run} hands the action a fresh {@link AgentAction.Effects}
 * bound to the row being executed; each effect answers the JSON stored as the row's result, or
 * throws (a downstream refusal, no production version), which makes the row failed.
 */
@ApplicationScoped
public class ActionEffects {

    /** The result of one execution and, for send_alert, the alert it raised. */
    public record Result(ObjectNode result, Long alertId) {
    }

    private final RegistryClient registry;
    private final TrainingClient training;
    private final DriftClient drift;
    private final AlertService alerts;
    private final MonitoringFacts facts;
    private final AgentConfig config;
    private final ObjectMapper json;

    public ActionEffects(RegistryClient registry, TrainingClient training, DriftClient drift, AlertService alerts,
                         MonitoringFacts facts, AgentConfig config, ObjectMapper json) {
        this.registry = registry;
        this.training = training;
        this.drift = drift;
        this.alerts = alerts;
        this.facts = facts;
        this.config = config;
        this.json = json;
    }

    public Result run(AgentAction action, ActionRecord row, String projectName) {
        return action.applyTo(new Bound(row, projectName));
    }

    /** What an action would do, for a dry run's result. */
    public static String describe(AgentAction action, ActionRecord row) {
        String model = row.modelName();
        JsonNode p = row.params();
        return action.applyTo(new AgentAction.Effects<String>() {
            public String sendAlert(AgentAction.SendAlert a) {
                return "raise or bump the open " + row.issueKind() + " alert of " + model + " and notify the webhook";
            }

            public String collectDiagnostics(AgentAction.CollectDiagnostics a) {
                return "store a diagnostics bundle of " + model;
            }

            public String validateData(AgentAction.ValidateData a) {
                return "validate the recent requests of " + model + " against its feature schema";
            }

            public String generateReport(AgentAction.GenerateReport a) {
                return "POST drift-service /api/v1/drift/reports for " + model;
            }

            public String adjustThreshold(AgentAction.AdjustThreshold a) {
                return "PATCH registry /api/v1/models/" + model + "/versions/" + p.path("model_version").asText()
                        + " decision_threshold " + p.path("previous_threshold").asText("?") + " → "
                        + p.path("decision_threshold").asText();
            }

            public String retrainModel(AgentAction.RetrainModel a) {
                return "POST training-service /api/v1/models/" + model + "/retrain (trigger agent)";
            }

            public String rollbackModel(AgentAction.RollbackModel a) {
                return "POST registry /api/v1/models/" + model + "/rollback";
            }
        });
    }

    private final class Bound implements AgentAction.Effects<Result> {

        private final ActionRecord row;
        private final String project;

        Bound(ActionRecord row, String project) {
            this.row = row;
            this.project = project;
        }

        @Override
        public Result sendAlert(AgentAction.SendAlert action) {
            IssueKind kind = IssueKind.fromWireName(row.issueKind()).orElseThrow();
            Severity severity = Severity.fromWireName(row.severity()).orElseThrow();
            String title = title(kind) + " in " + row.modelName();
            AlertRepository.Raised raised = alerts.raise(row.projectId(), project, row.modelName(), kind.wireName(), severity,
                    title, row.explanation(), row.evidence(), row.id());
            ObjectNode out = json.createObjectNode();
            out.put("alert_id", raised.alert().id());
            out.put("occurrences", raised.alert().occurrences());
            out.put("new", raised.isNew());
            return new Result(out, raised.alert().id());
        }

        @Override
        public Result collectDiagnostics(AgentAction.CollectDiagnostics action) {
            ObjectNode out = json.createObjectNode();
            out.put("collected_at", Instant.now().toString());
            Optional<MonitoringFacts.ProductionVersion> production = facts.productionVersion(row.projectId(), row.modelName());
            Instant now = Instant.now();
            Instant from = now.minus(config.check().window());
            if (production.isPresent()) {
                MonitoringFacts.ProductionVersion v = production.get();
                ObjectNode pv = out.putObject("production_version");
                pv.put("version", v.version());
                pv.put("decision_threshold", v.decisionThreshold());
                pv.set("metrics", v.metrics());
                MonitoringFacts.PredictionStats stats = facts.predictionStats(v, from, now,
                        config.thresholds().lowConfidenceMargin());
                ObjectNode traffic = out.putObject("traffic");
                traffic.put("window_start", from.toString());
                traffic.put("window_end", now.toString());
                traffic.put("predictions", stats.rows());
                traffic.put("positive_rate", stats.positiveRate());
                traffic.put("mean_probability", stats.meanProbability());
                traffic.put("low_confidence_share", stats.lowConfidenceShare());
            } else {
                out.putNull("production_version");
            }
            out.set("performance", json.valueToTree(facts.realizedPerformance(row.projectId(), row.modelName(), null,
                    now.minus(java.time.Duration.ofDays(7)), 1, 10)));
            out.set("drift_reports", json.valueToTree(facts.driftReports(row.projectId(), row.modelName(), 5)));
            return new Result(out, null);
        }

        @Override
        public Result validateData(AgentAction.ValidateData action) {
            MonitoringFacts.ProductionVersion v = production();
            Instant now = Instant.now();
            Instant from = now.minus(config.check().window());
            ObjectNode out = DataValidator.validate(v.featureSchema(),
                    facts.recentFeatures(v, from, now, config.check().maxValidatedRows()));
            out.put("model_version", v.version());
            out.put("window_start", from.toString());
            out.put("window_end", now.toString());
            double rate = out.get("invalid_rate").asDouble();
            out.put("passed", rate < config.thresholds().dataQualityWarningRate());
            return new Result(out, null);
        }

        @Override
        public Result generateReport(AgentAction.GenerateReport action) {
            Integer version = row.params().hasNonNull("model_version") ? row.params().get("model_version").asInt() : null;
            JsonNode report = drift.report(project, row.modelName(), version);
            ObjectNode out = json.createObjectNode();
            out.set("report_id", report.get("id"));
            out.set("model_version", report.get("model_version"));
            out.set("dataset_drift", report.get("dataset_drift"));
            out.set("drift_score", report.get("drift_score"));
            out.set("severity", report.get("severity"));
            return new Result(out, null);
        }

        @Override
        public Result adjustThreshold(AgentAction.AdjustThreshold action) {
            int version = row.params().path("model_version").asInt();
            double threshold = row.params().path("decision_threshold").asDouble();
            registry.setDecisionThreshold(project, row.modelName(), version, threshold,
                    "agent action " + row.id() + ": " + row.explanation());
            ObjectNode out = json.createObjectNode();
            out.put("model_version", version);
            out.set("previous_threshold", row.params().get("previous_threshold"));
            out.put("decision_threshold", threshold);
            return new Result(out, null);
        }

        @Override
        public Result retrainModel(AgentAction.RetrainModel action) {
            // one run per action, however often the request is sent
            JsonNode run = training.retrain(project, row.modelName(), reason(), "keel-agent-action-" + row.id());
            ObjectNode out = json.createObjectNode();
            out.set("training_run_id", run.get("id"));
            out.set("training_status", run.get("status"));
            return new Result(out, null);
        }

        @Override
        public Result rollbackModel(AgentAction.RollbackModel action) {
            Integer to = row.params().hasNonNull("to_version") ? row.params().get("to_version").asInt() : null;
            // the version the diagnosis was about: if production has moved on since, the registry refuses
            Integer from = row.params().hasNonNull("model_version") ? row.params().get("model_version").asInt() : null;
            ObjectNode out = json.createObjectNode();
            try {
                JsonNode rollback = registry.rollback(project, row.modelName(), from, to, reason());
                out.set("from_version", rollback.get("from_version"));
                out.set("to_version", rollback.get("to_version"));
            } catch (DownstreamException e) {
                if (e.status() != 409) {
                    throw e;
                }
                // a 409 to a retry whose first try's answer was lost: the history says whether that try rolled back
                MonitoringFacts.RecordedRollback done = facts.rollbackOf(row.projectId(), row.modelName(), row.id())
                        .orElseThrow(() -> e);
                out.put("from_version", done.fromVersion());
                out.put("to_version", done.toVersion());
            }
            return new Result(out, null);
        }

        private String reason() {
            String approved = row.decidedBy() == null ? "" : ", approved by " + row.decidedBy();
            return "agent action " + row.id() + approved + ": " + row.explanation();
        }

        private MonitoringFacts.ProductionVersion production() {
            return facts.productionVersion(row.projectId(), row.modelName()).orElseThrow(() ->
                    new IllegalStateException("model " + row.modelName() + " has no production version"));
        }
    }

    static String title(IssueKind kind) {
        String words = kind.wireName().replace('_', ' ');
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
