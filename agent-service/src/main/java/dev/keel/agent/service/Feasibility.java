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
     * Whether training-service would find data to retrain the model on: a model Keel trained before
     * has its latest run's dataset; otherwise training-service says whether the model's source has
     * data now ({@code data_available}: an {@code auto} source needs enough labelled traffic), or,
     * one that does not say, its source ({@code latest} has nothing for a model never trained). When
     * training-service cannot say (not reached, an error), retraining is taken as possible: the
     * approval then finds out, as it did before this check.
     */
    public Optional<String> whyNoRetraining(long projectId, String projectName, String model) {
        if (facts.trainedBefore(projectId, model)) {
            return Optional.empty();
        }
        TrainingClient.RetrainData data;
        try {
            data = training.retrainData(projectName, model);
        } catch (RuntimeException e) {
            LOG.infof("Could not ask training-service where %s in project %s would be retrained from (%s); "
                    + "taking retraining as possible", model, projectName, e.getMessage());
            return Optional.empty();
        }
        if (Boolean.FALSE.equals(data.available()) || (data.available() == null && "latest".equals(data.source()))) {
            return Optional.of(model + " has no earlier training run in Keel to take a dataset from, and "
                    + "training-service finds no data for it in its source (" + data.source() + ")");
        }
        return Optional.empty();
    }
}
