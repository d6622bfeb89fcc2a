package dev.keel.drift.service;

import dev.keel.common.jobs.JobLeases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The claim of one scheduled job's rounds in {@code job_leases}, made to heal itself when the replica
 * running a round dies. A firing is claimed for a short lease that the running replica renews on its
 * {@link #heartbeat}; a round that ends records its firing in the job's {@code <job>.completed} row. A
 * firing claimed but not completed whose claim nobody renews is a dead round: the next heartbeat of
 * any replica takes it over and hands its firing to the job, which finishes what the dead round did
 * not. Each job holds one, with its own holder, so the scheduled drift reports and the performance job
 * never take each other's claims.
 *
 * <p>A takeover runs on a thread of its own, not on the heartbeat's: the scheduler skips a heartbeat
 * while the previous one runs, so a takeover run by the heartbeat itself would never be renewed, and
 * one longer than the lease would be taken over again by another replica while it still ran.
 *
 * <p>One round at a time per replica: a firing and a takeover share the replica's holder, so the claim
 * would let a firing in while a takeover ran here, and the two would share the renewal and the release
 * (the first to end letting the lease go under the other). A firing waits for a takeover running here,
 * and a takeover does not start while a round runs here. A firing also waits while the round of an
 * earlier firing is unfinished (a takeover, or a round longer than the cron, on another replica): it is
 * claimed once that round completes, or finished first by the firing itself when its claim lapses, so
 * neither firing is skipped. The claim is keyed by the firing, so a late claim still works.
 */
final class RoundClaim {

    private static final Logger LOG = Logger.getLogger(RoundClaim.class);

    private final String job;
    private final String completed;
    private final JobLeases leases;
    private final Supplier<Duration> lease;
    /** How long a waiting firing waits before it looks again. */
    private final Supplier<Duration> poll;
    private final String holder = "drift-service-" + UUID.randomUUID();
    /** Held by the round (a firing's or a takeover) this replica runs, and by a firing waiting to claim. */
    private final ReentrantLock rounds = new ReentrantLock();
    /** The firing whose round this replica runs now, whose claim its heartbeat renews. */
    private final AtomicReference<Instant> running = new AtomicReference<>();
    /** Set when a renewal found the claim taken: the round stops before its next model. */
    private volatile boolean lost;
    /** Set while a takeover (or the look for one) runs, so the heartbeat starts no second one. */
    private final AtomicBoolean takingOver = new AtomicBoolean();
    /** Runs takeovers; its one thread ends after a minute idle. */
    private final Executor takeovers;

    RoundClaim(String job, JobLeases leases, Supplier<Duration> lease, Supplier<Duration> poll) {
        this.job = job;
        this.completed = completedRow(job);
        this.leases = leases;
        this.lease = lease;
        this.poll = poll;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, job + "-takeover");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.takeovers = pool;
    }

    /** The job_leases row whose last_run_at is the last firing of {@code job} whose round finished. */
    static String completedRow(String job) {
        return job + ".completed";
    }

    /**
     * Runs {@code round} for the cron firing at {@code firing} when this replica claims it (once across
     * replicas: their timers fire at the same instant, and one that fires after another finished finds
     * the firing taken); empty when another replica has it. While the round of an earlier firing is
     * unfinished it waits, looking again every {@code poll}: for a takeover running here to end, for a
     * round another replica renews to complete, and a round whose claim lapsed it finishes first itself,
     * giving {@code finish} that round's firing (as {@link #takeOver} does); then it claims its firing. If
     * that takeover fails, the firing goes ahead without it (the dead round's firing is then no longer the
     * last claimed, as when a firing comes before any heartbeat took it over).
     */
    <T> List<T> runFiring(Instant firing, Supplier<List<T>> round, Function<Instant, List<T>> finish) {
        Instant claimed = firing.truncatedTo(ChronoUnit.SECONDS);
        try {
            rounds.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("Firing %s of %s not run: interrupted while a takeover ran", firing, job);
            return List.of();
        }
        try {
            boolean waiting = false;
            while (true) {
                Instant last = leases.lastRun(job).orElse(null);
                if (last != null && !last.isBefore(claimed)) {
                    LOG.debugf("Firing %s of %s skipped: another replica runs it", firing, job);
                    return List.of();
                }
                boolean goAhead = completed(last);
                if (!goAhead) {
                    try {
                        if (finishUnfinished(finish).isPresent()) {
                            continue;
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf("Firing %s of %s goes ahead without finishing the round of firing %s, whose takeover "
                                + "failed: %s", firing, job, last, e.getMessage());
                        goAhead = true;
                    }
                }
                if (goAhead && leases.claim(job, claimed, holder, lease.get())) {
                    try {
                        return run(claimed, round);
                    } finally {
                        leases.release(job, holder);
                    }
                }
                if (!waiting) {
                    waiting = true;
                    LOG.infof("Firing %s of %s waits for the round of firing %s, which another replica runs", firing, job, last);
                }
                try {
                    Thread.sleep(poll.get().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    LOG.warnf("Firing %s of %s not run: interrupted while waiting for the round of firing %s", firing, job, last);
                    return List.of();
                }
            }
        } finally {
            rounds.unlock();
        }
    }

    /**
     * Renews the claim of the round this replica runs (a takeover's too), and when it runs none, starts
     * {@code takeOver} (which calls {@link #takeOver}) on the takeover thread to take over a round another
     * replica left unfinished; returns without waiting for it. A failure is a warning: the next heartbeat
     * tries again.
     */
    void heartbeat(Runnable takeOver) {
        try {
            Instant firing = running.get();
            if (firing != null) {
                if (!leases.acquire(job, holder, lease.get())) {
                    lost = true;
                    LOG.warnf("The claim of %s's round of %s was taken by another replica; this one stops", job, firing);
                }
                return;
            }
            if (takingOver.compareAndSet(false, true)) {
                takeovers.execute(() -> {
                    try {
                        takeOver.run();
                    } catch (RuntimeException e) {
                        LOG.warnf("Takeover of %s failed (tried again at the next heartbeat): %s", job, e.getMessage());
                    } finally {
                        takingOver.set(false);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("Heartbeat of %s failed (tried again at the next one): %s", job, e.getMessage());
        }
    }

    /**
     * The round of the last firing claimed, when it never completed and its claim is no longer renewed
     * (its replica died, or its round failed on a database error): {@code finish} is given that firing
     * and runs under the claim, and the firing is recorded as completed. Empty when there is none, its
     * replica still renews it, or a round of this job runs here (a firing finishes it itself).
     */
    <T> List<T> takeOver(Function<Instant, List<T>> finish) {
        if (!rounds.tryLock()) {
            return List.of();
        }
        try {
            return finishUnfinished(finish).orElse(List.of());
        } finally {
            rounds.unlock();
        }
    }

    /** Whether a renewal found this replica's claim taken: the round it runs stops before its next model. */
    boolean lost() {
        return lost;
    }

    /**
     * {@link #takeOver}'s work, with {@link #rounds} held: what {@code finish} made, or empty when there was
     * no round to take over (none unfinished, or its claim still renewed).
     */
    private <T> Optional<List<T>> finishUnfinished(Function<Instant, List<T>> finish) {
        if (completed(leases.lastRun(job).orElse(null))) {
            return Optional.empty();
        }
        if (!leases.acquire(job, holder, lease.get())) {
            return Optional.empty();
        }
        try {
            // read again under the claim: another replica may have finished it meanwhile
            Instant firing = leases.lastRun(job).orElse(null);
            if (completed(firing)) {
                return Optional.empty();
            }
            LOG.warnf("Taking over the round of %s's firing %s, claimed by a replica that stopped renewing it", job, firing);
            List<T> made = run(firing, () -> finish.apply(firing));
            LOG.infof("Round of %s's firing %s finished by this replica: %d made", job, firing, made.size());
            return Optional.of(made);
        } finally {
            leases.release(job, holder);
        }
    }

    /** Whether the round of {@code firing} finished (or there is none). */
    private boolean completed(Instant firing) {
        return firing == null || leases.lastRun(completed).filter(done -> !done.isBefore(firing)).isPresent();
    }

    /** Runs a round with its claim renewed by the heartbeat, and records the firing as completed when it ends. */
    private <T> List<T> run(Instant firing, Supplier<List<T>> round) {
        lost = false;
        running.set(firing);
        try {
            List<T> made = round.get();
            if (!lost) {
                leases.claim(completed, firing, holder, Duration.ZERO);
            }
            return made;
        } finally {
            running.set(null);
        }
    }
}
