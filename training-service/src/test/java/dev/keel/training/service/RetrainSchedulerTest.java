package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.jobs.JobLeases;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.repository.ModelCatalog;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the scheduler, as two instances sharing the real database with different lease
 * holder names, prove that a weekly firing is run once whatever their timing.
 */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class RetrainSchedulerTest {

    @Inject
    DataSource db;
    @Inject
    ModelCatalog catalog;
    @Inject
    JobLeases leases;
    @Inject
    RetrainService retrain;
    @Inject
    TrainingConfig config;

    TestProjects.Project project;
    String model;

    @BeforeEach
    void setUp() {
        project = TestProjects.create(db);
        model = "heart-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void forgetTheModels() {
        TestProjects.forgetModels(db, project);
    }

    @Test
    void twoReplicasCheckingTheScheduleAtOnceStartTheWeeklyRetrainingOnce() throws Exception {
        long dataset = Runs.heartDataset(project, 300, 41);
        TestProjects.finishedRun(db, project, model, dataset);
        TestProjects.registerModel(db, project, model, null, Instant.now().minus(Duration.ofDays(8)));
        RetrainScheduler a = new RetrainScheduler(catalog, leases, retrain, config, "replica-a");
        RetrainScheduler b = new RetrainScheduler(catalog, leases, retrain, config, "replica-b");
        Instant now = Instant.now();

        List<RetrainScheduler.Started> started = concurrently(() -> a.tick(now), () -> b.tick(now));

        List<RetrainScheduler.Started> ours = started.stream().filter(s -> s.model().equals(model)).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).runId()).isNotNull();
        Instant lastSunday = LocalDate.ofInstant(now.minus(Duration.ofHours(2)), ZoneOffset.UTC)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).atTime(2, 0).toInstant(ZoneOffset.UTC);
        assertThat(ours.get(0).firing()).as("the default cron: Sundays 02:00 UTC").isEqualTo(lastSunday);
        assertThat(scheduledRuns()).isEqualTo(1);
        assertThat(leases.lastRun("retrain:" + project.name() + "/" + model)).contains(lastSunday);
        project.asAdmin().when().get("/api/v1/training-runs/" + ours.get(0).runId()).then().statusCode(200)
                .body("trigger", equalTo("schedule"))
                .body("dataset_id", equalTo((int) dataset));

        assertThat(a.tick(now).stream().filter(s -> s.model().equals(model))).as("the firing is spent").isEmpty();
        // a minute before the next Sunday's 02:00, wherever in the week the test runs (a day later,
        // on a Saturday evening, would already be past it)
        Instant justBeforeNext = lastSunday.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(1));
        assertThat(b.tick(justBeforeNext).stream().filter(s -> s.model().equals(model)))
                .as("nothing new fires before next Sunday").isEmpty();
        Runs.awaitFinished(project, ours.get(0).runId());
    }

    @Test
    void aModelsOwnCronFromTheRegistryIsUsed() throws Exception {
        TestProjects.finishedRun(db, project, model, Runs.heartDataset(project, 300, 42));
        TestProjects.registerModel(db, project, model, "30 4 * * *", Instant.now().minus(Duration.ofDays(2)));
        RetrainScheduler scheduler = new RetrainScheduler(catalog, leases, retrain, config, "replica-a");
        Instant now = Instant.now();

        List<RetrainScheduler.Started> ours = scheduler.tick(now).stream().filter(s -> s.model().equals(model)).toList();

        Instant todayAt0430 = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofMinutes(4 * 60 + 30));
        Instant expected = todayAt0430.isAfter(now) ? todayAt0430.minus(Duration.ofDays(1)) : todayAt0430;
        assertThat(ours).singleElement().satisfies(s -> assertThat(s.firing()).isEqualTo(expected));
        project.asAdmin().when().get("/api/v1/models/" + model + "/retrain-schedule").then().statusCode(200)
                .body("cron", equalTo("30 4 * * *"))
                .body("cron_source", equalTo("registry"))
                .body("data_source", equalTo("auto"))
                .body("data_source_origin", equalTo("default"));
        Runs.awaitFinished(project, ours.get(0).runId());
    }

    @Test
    void aModelRegisteredAfterTheLastFiringWaitsForTheNextOne() throws Exception {
        TestProjects.finishedRun(db, project, model, Runs.heartDataset(project, 300, 43));
        // registered now: the last firing is before it whenever the test runs (registered a minute ago,
        // it would fire in the first minute after a Sunday's 02:00)
        Instant now = Instant.now();
        TestProjects.registerModel(db, project, model, null, now);
        RetrainScheduler scheduler = new RetrainScheduler(catalog, leases, retrain, config, "replica-a");

        assertThat(scheduler.tick(now).stream().filter(s -> s.model().equals(model))).isEmpty();
        assertThat(scheduledRuns()).isZero();
    }

    @Test
    void ofTwoClaimersOfTheSameFiringExactlyOneWinsEveryTime() throws Exception {
        String job = "test-job-" + UUID.randomUUID();
        Instant firing = Instant.parse("2025-01-05T02:00:00Z");
        int winsA = 0;
        for (int week = 0; week < 20; week++) {
            Instant f = firing.plus(Duration.ofDays(7L * week));
            List<Boolean> results = concurrently(
                    () -> List.of(leases.claim(job, f, "replica-a", Duration.ofMinutes(10))),
                    () -> List.of(leases.claim(job, f, "replica-b", Duration.ofMinutes(10))));
            assertThat(results).as("week %d", week).containsExactlyInAnyOrder(true, false);
            winsA += results.get(0) ? 1 : 0;
            leases.release(job, "replica-a");
            leases.release(job, "replica-b");
        }
        assertThat(leases.lastRun(job)).contains(firing.plus(Duration.ofDays(7 * 19)));
        assertThat(winsA).isBetween(0, 20);
    }

    @SafeVarargs
    private static <T> List<T> concurrently(Callable<List<T>>... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        CyclicBarrier start = new CyclicBarrier(tasks.length);
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (Callable<List<T>> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<List<T>> f : futures) {
                out.addAll(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private int scheduledRuns() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM training_runs WHERE project_id = ? AND model_name = ? AND trigger = 'schedule'")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
