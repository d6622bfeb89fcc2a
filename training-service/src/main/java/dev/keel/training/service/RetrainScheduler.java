package dev.keel.training.service;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import dev.keel.common.jobs.JobLeases;
import dev.keel.common.retrain.RetrainCron;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.training.repository.ModelCatalog;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Weekly retraining. Every {@code keel.training.schedule.check-every} each registered model's cron is
 * evaluated (its own from config, else the registry's {@code retrain_cron}, else the default,
 * Sundays 02:00 UTC); a firing that is due is claimed in {@code job_leases}, so with several replicas
 * exactly one starts it, and a replica that was down at the firing catches up once when it returns.
 * A model registered after the firing is not due until the next one.
 */
@ApplicationScoped
public class RetrainScheduler {

    private static final Logger LOG = Logger.getLogger(RetrainScheduler.class);

    /**
     * A retraining the scheduler started, skipped (the default source found no data: a model uploaded,
     * never trained here, without feedback yet) or could not start (with why).
     */
    public record Started(String project, String model, Instant firing, Long runId, String skipped, String problem) {
    }

    private final ModelCatalog catalog;
    private final JobLeases leases;
    private final RetrainService retrain;
    private final TrainingConfig config;
    private final String holder;

    @Inject
    public RetrainScheduler(ModelCatalog catalog, JobLeases leases, RetrainService retrain, TrainingConfig config,
                            WorkerIdentity identity) {
        this(catalog, leases, retrain, config, identity.id());
    }

    /** With an explicit lease holder name: a second "replica" in one JVM, as the lease test builds. */
    public RetrainScheduler(ModelCatalog catalog, JobLeases leases, RetrainService retrain, TrainingConfig config,
                            String holder) {
        this.catalog = catalog;
        this.leases = leases;
        this.retrain = retrain;
        this.config = config;
        this.holder = holder;
        RetrainCron.parse(config.schedule().defaultCron()).orElseThrow(() -> new IllegalStateException(
                "keel.training.schedule.default-cron is not a valid cron: " + config.schedule().defaultCron()));
    }

    @Scheduled(every = "${keel.training.schedule.check-every:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "keel-retrain-schedule")
    void check() {
        if (config.schedule().enabled()) {
            tick(Instant.now());
        }
    }

    /** Starts every retraining due at {@code now} that no other replica has claimed. */
    public List<Started> tick(Instant now) {
        List<Started> started = new ArrayList<>();
        for (ModelCatalog.ScheduledModel model : catalog.all()) {
            String key = model.project() + "/" + model.model();
            String expression = cronOf(model);
            Optional<Cron> cron = RetrainCron.parse(expression);
            if (cron.isEmpty()) {
                LOG.warnf("The retraining cron of %s is not valid (%s); using the default", key, expression);
                cron = RetrainCron.parse(config.schedule().defaultCron());
            }
            Optional<ZonedDateTime> last = ExecutionTime.forCron(cron.get()).lastExecution(now.atZone(ZoneOffset.UTC));
            if (last.isEmpty()) {
                continue;
            }
            Instant firing = last.get().toInstant();
            if (!firing.isAfter(model.createdAt())) {
                continue;
            }
            String job = "retrain:" + key;
            if (leases.lastRun(job).filter(claimed -> !claimed.isBefore(firing)).isPresent()) {
                continue;
            }
            if (!leases.claim(job, firing, holder, config.schedule().leaseDuration())) {
                LOG.debugf("Retraining %s for %s was claimed by another replica", key, firing);
                continue;
            }
            try {
                TrainingRunEntity run = retrain.retrain(model.projectId(), model.project(), model.model(), null,
                        RunTrigger.SCHEDULE, "scheduler@" + holder);
                LOG.infof("Scheduled retraining of %s (cron %s, firing %s) started run %d", key, expression, firing, run.id);
                started.add(new Started(model.project(), model.model(), firing, run.id, null, null));
            } catch (RetrainService.NothingToRetrainOn e) {
                LOG.infof("Scheduled retraining of %s (firing %s) skipped: %s", key, firing, e.getMessage());
                started.add(new Started(model.project(), model.model(), firing, null, e.getMessage(), null));
            } catch (RuntimeException e) {
                // the firing stays claimed: a model without data would otherwise be retried every minute
                LOG.warnf("Scheduled retraining of %s (firing %s) could not start: %s", key, firing, e.getMessage());
                started.add(new Started(model.project(), model.model(), firing, null, null, e.getMessage()));
            } finally {
                leases.release(job, holder);
            }
        }
        return started;
    }

    /** The model's cron: its own from config, else the registry's, else the default. */
    public String cronOf(ModelCatalog.ScheduledModel model) {
        TrainingConfig.ModelSchedule own = config.schedule().models().get(model.project() + "/" + model.model());
        if (own != null && own.cron().isPresent()) {
            return own.cron().get();
        }
        if (model.retrainCron() != null && !model.retrainCron().isBlank()) {
            return model.retrainCron();
        }
        return config.schedule().defaultCron();
    }

    /** The next firing after {@code now}, for display. */
    public Optional<Instant> nextFiring(String expression, Instant now) {
        return RetrainCron.parse(expression).flatMap(c -> ExecutionTime.forCron(c).nextExecution(now.atZone(ZoneOffset.UTC)))
                .map(ZonedDateTime::toInstant);
    }
}
