package dev.keel.registry.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * {@code keel_registry_promotions_total{project,model,outcome}} and
 * {@code keel_registry_rollbacks_total{project,model}}, with a log line per change of production.
 * Successful changes are counted after their transaction commits, so a promotion that rolled back
 * is never counted as one.
 */
@ApplicationScoped
public class PromotionMetrics {

    private static final Logger LOG = Logger.getLogger(PromotionMetrics.class);

    private final MeterRegistry registry;

    public PromotionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StageChanged change) {
        if ("rollback".equals(change.outcome())) {
            Counter.builder("keel.registry.rollbacks")
                    .description("Rollbacks of a model's production version")
                    .tag("project", change.project()).tag("model", change.model())
                    .register(registry).increment();
            LOG.infof("Rolled back %s/%s: production is v%d (was %s) by %s", change.project(), change.model(),
                    change.version(), change.replacedVersion() == null ? "none" : "v" + change.replacedVersion(),
                    change.actor());
            return;
        }
        promotions(change.project(), change.model(), change.outcome()).increment();
        LOG.infof("Promoted %s/%s v%d from %s to production (%s), replacing %s, by %s; gate took %d ms",
                change.project(), change.model(), change.version(), change.from().wireName(), change.outcome(),
                change.replacedVersion() == null ? "none" : "v" + change.replacedVersion(), change.actor(),
                change.gateMillis());
    }

    /** A promotion the gate refused; nothing was committed, so it is counted at once. */
    void rejected(String project, String model, int version, String actor, String failedChecks) {
        promotions(project, model, "rejected").increment();
        LOG.warnf("Promotion of %s/%s v%d to production by %s refused by the deployment gate: %s", project, model,
                version, actor, failedChecks);
    }

    private Counter promotions(String project, String model, String outcome) {
        return Counter.builder("keel.registry.promotions")
                .description("Attempts to promote a model version to production, by outcome")
                .tag("project", project).tag("model", model).tag("outcome", outcome)
                .register(registry);
    }
}
