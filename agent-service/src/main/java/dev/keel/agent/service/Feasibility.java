package dev.keel.agent.service;

import dev.keel.agent.client.TrainingClient;
import dev.keel.agent.repository.MonitoringFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the registry and training-service could carry out a rollback or a retraining of a model
 * now, asked before either is proposed: a proposal that cannot run would be approved, fail, and
 * count toward the circuit breaker. Each answer is empty when the action can run, else why not.
 */
@ApplicationScoped
public class Feasibility {

    private static final Logger LOG = Logger.getLogger(Feasibility.class);

    private final MonitoringFacts facts;
    private final TrainingClient training;

    public Feasibility(MonitoringFacts facts, TrainingClient training) {
        this.facts = facts;
        this.training = training;
    }

    /** The registry rolls back only to an earlier production version: none before the first one. */
    public Optional<String> whyNoRollback(long projectId, String model) {
        Optional<MonitoringFacts.ProductionVersion> production = facts.productionVersion(projectId, model);
        if (production.isEmpty()) {
            return Optional.of(model + " has no production version to roll back");
        }
        if (facts.rollbackTarget(projectId, model).isEmpty()) {
            return Optional.of(model + " v" + production.get().version() + " is its first production version: the "
                    + "registry has no earlier production version to roll back to");
        }
        return Optional.empty();
    }

    /**
     * training-service retrains on the dataset of the model's latest run unless another source is
     * configured for the model; a model Keel never trained, with no other source, cannot be retrained.
     * When training-service cannot say (not reached, an error), retraining is taken as possible: the
     * approval then finds out, as it did before this check.
     */
    public Optional<String> whyNoRetraining(long projectId, String projectName, String model) {
        if (facts.trainedBefore(projectId, model)) {
            return Optional.empty();
        }
        String source;
        try {
            source = training.dataSource(projectName, model);
        } catch (RuntimeException e) {
            LOG.infof("Could not ask training-service where %s in project %s would be retrained from (%s); "
                    + "taking retraining as possible", model, projectName, e.getMessage());
            return Optional.empty();
        }
        if ("latest".equals(source)) {
            return Optional.of(model + " has no earlier training run in Keel to take a dataset from, and "
                    + "training-service has no other data source configured for it");
        }
        return Optional.empty();
    }
}
