package dev.keel.training.service;

import dev.keel.common.db.DatabaseFailures;
import dev.keel.common.text.Causes;
import dev.keel.training.client.RegistryUnavailableException;
import dev.keel.training.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * How a training worker lives through a database that is away for a while (a restart, a failover):
 * minutes of training are worth more than seconds of outage. Progress writes are skipped while the
 * database is away (the next one writes everything so far); the writes a run's outcome depends on
 * are tried again, with a growing pause, for up to {@code keel.training.database-patience}, and so
 * are the registry calls it needs (the registry shares the database). Any other failure is thrown
 * at once.
 */
@ApplicationScoped
public class DatabasePatience {

    private static final Logger LOG = Logger.getLogger(DatabasePatience.class);
    private static final long FIRST_PAUSE_MILLIS = 200;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;

    private final Duration patience;

    @Inject
    public DatabasePatience(TrainingConfig config) {
        this(config.databasePatience());
    }

    DatabasePatience(Duration patience) {
        this.patience = patience;
    }

    /**
     * A write that can be left out while the database is away: answers its result, or
     * {@code whileAway} when the database could not be reached.
     */
    public <T> T skippable(long runId, String what, Supplier<T> write, T whileAway) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unreachable(e)) {
                throw e;
            }
            LOG.warnf("Training run %d: the database is unreachable (%s); %s is skipped and the run goes on",
                    runId, Causes.rootMessage(e), what);
            return whileAway;
        }
    }

    /** A write the run cannot do without: tried again while the database is away, up to the patience. */
    public <T> T required(long runId, String what, Supplier<T> write) {
        return untilPatienceIsSpent(runId, what, write, DatabaseFailures::unreachable, "the database is unreachable");
    }

    /**
     * A registry call the run cannot do without: tried again, up to the same patience, while the
     * registry cannot be reached, answers 5xx (it shares this database, so it is away when the
     * database is), times out, or its circuit breaker is open. Only for calls that are safe to send
     * twice: reads, and a registration, which the registry answers with the version an earlier copy
     * of the same run's registration made.
     */
    public <T> T throughRegistry(long runId, String what, Supplier<T> call) {
        return untilPatienceIsSpent(runId, what, call, DatabasePatience::registryAway, "the registry is unavailable");
    }

    private <T> T untilPatienceIsSpent(long runId, String what, Supplier<T> action, Predicate<Throwable> away,
                                       String awayMeans) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (!away.test(e) || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warnf("Training run %d: %s (%s); %s is tried again in %d ms",
                        runId, awayMeans, Causes.rootMessage(e), what, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
            }
        }
    }

    /** Whether the registry was unavailable (not reached, 5xx, timed out, breaker open) rather than refusing the call. */
    static boolean registryAway(Throwable failure) {
        return failure instanceof RegistryUnavailableException || failure instanceof TimeoutException
                || failure instanceof CircuitBreakerOpenException;
    }
}
