package dev.keel.agent.domain;

import java.util.List;
import java.util.Optional;

/**
 * The seven things the agent can do, each with its risk. A closed set: {@link Effects} has one
 * method per action, so adding an action does not compile until every executor handles it.
 */
public sealed interface AgentAction {

    String name();

    Risk risk();

    <R> R applyTo(Effects<R> effects);

    /** One handler per action; the action picks its own. */
    interface Effects<R> {
        R sendAlert(SendAlert action);

        R collectDiagnostics(CollectDiagnostics action);

        R validateData(ValidateData action);

        R generateReport(GenerateReport action);

        R adjustThreshold(AdjustThreshold action);

        R retrainModel(RetrainModel action);

        R rollbackModel(RollbackModel action);
    }

    /** An alert row (raised or bumped) and, when it is new, a webhook notification. */
    record SendAlert() implements AgentAction {
        public String name() { return "send_alert"; }
        public Risk risk() { return Risk.LOW; }
        public <R> R applyTo(Effects<R> e) { return e.sendAlert(this); }
    }

    /** A bundle of what the shared schema knows about the model right now, stored as the action's result. */
    record CollectDiagnostics() implements AgentAction {
        public String name() { return "collect_diagnostics"; }
        public Risk risk() { return Risk.LOW; }
        public <R> R applyTo(Effects<R> e) { return e.collectDiagnostics(this); }
    }

    /** Validation of the recently logged requests against the production version's feature schema. */
    record ValidateData() implements AgentAction {
        public String name() { return "validate_data"; }
        public Risk risk() { return Risk.LOW; }
        public <R> R applyTo(Effects<R> e) { return e.validateData(this); }
    }

    /** A drift report made by drift-service. */
    record GenerateReport() implements AgentAction {
        public String name() { return "generate_report"; }
        public Risk risk() { return Risk.LOW; }
        public <R> R applyTo(Effects<R> e) { return e.generateReport(this); }
    }

    /** A new decision threshold on the production version, in the registry (inference applies it on its next poll). */
    record AdjustThreshold() implements AgentAction {
        public String name() { return "adjust_threshold"; }
        public Risk risk() { return Risk.LOW; }
        public <R> R applyTo(Effects<R> e) { return e.adjustThreshold(this); }
    }

    /** A retraining run by training-service, gated and registered like any other. */
    record RetrainModel() implements AgentAction {
        public String name() { return "retrain_model"; }
        public Risk risk() { return Risk.MEDIUM; }
        public <R> R applyTo(Effects<R> e) { return e.retrainModel(this); }
    }

    /** Production back to the previous version, by the registry. */
    record RollbackModel() implements AgentAction {
        public String name() { return "rollback_model"; }
        public Risk risk() { return Risk.HIGH; }
        public <R> R applyTo(Effects<R> e) { return e.rollbackModel(this); }
    }

    SendAlert SEND_ALERT = new SendAlert();
    CollectDiagnostics COLLECT_DIAGNOSTICS = new CollectDiagnostics();
    ValidateData VALIDATE_DATA = new ValidateData();
    GenerateReport GENERATE_REPORT = new GenerateReport();
    AdjustThreshold ADJUST_THRESHOLD = new AdjustThreshold();
    RetrainModel RETRAIN_MODEL = new RetrainModel();
    RollbackModel ROLLBACK_MODEL = new RollbackModel();

    List<AgentAction> ALL = List.of(SEND_ALERT, COLLECT_DIAGNOSTICS, VALIDATE_DATA, GENERATE_REPORT, ADJUST_THRESHOLD,
            RETRAIN_MODEL, ROLLBACK_MODEL);

    static Optional<AgentAction> fromName(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
