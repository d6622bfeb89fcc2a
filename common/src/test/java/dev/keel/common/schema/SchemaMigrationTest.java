package dev.keel.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The production migrations, run the way the five services run them, on a real, empty PostgreSQL. */
class SchemaMigrationTest {

    private static final int SERVICES = 5;

    private static TestDatabase db;
    private static List<MigrateResult> results;

    @BeforeAll
    static void migrateConcurrentlyAsFiveStartingServicesWould() throws Exception {
        db = TestDatabase.create();
        CyclicBarrier start = new CyclicBarrier(SERVICES);
        ExecutorService pool = Executors.newFixedThreadPool(SERVICES);
        try {
            List<Future<MigrateResult>> futures = new ArrayList<>();
            for (int i = 0; i < SERVICES; i++) {
                Callable<MigrateResult> migrate = () -> {
                    Flyway flyway = Flyway.configure()
                            .dataSource(db.jdbcUrl(), db.username(), db.password())
                            .locations("classpath:db/migration")
                            .load();
                    start.await();
                    return flyway.migrate();
                };
                futures.add(pool.submit(migrate));
            }
            results = new ArrayList<>();
            for (Future<MigrateResult> f : futures) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void concurrentStartsAllSucceedAndApplyEachMigrationOnce() throws SQLException {
        assertThat(results).hasSize(SERVICES).allSatisfy(r -> assertThat(r.success).isTrue());
        assertThat(results.stream().mapToInt(r -> r.migrationsExecuted).sum())
                .as("migrations executed across all five starts")
                .isEqualTo(migrationCount());
        assertThat(queryInt("SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")).isEqualTo(1);
    }

    @Test
    void everyDomainTableExists() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("projects", "api_keys", "registered_models", "model_versions", "model_artifacts",
                "stage_transitions", "datasets", "dataset_contents", "training_runs", "predictions", "feedback",
                "drift_reports", "performance_metrics", "agent_actions", "alerts", "job_leases");
    }

    @Test
    void theDatabaseAllowsOnlyOneProductionVersionPerModel() throws SQLException {
        try (Connection c = db.connect()) {
            long model = newModel(c, "one-prod");
            long v1 = newVersion(c, model, 1);
            long v2 = newVersion(c, model, 2);
            execute(c, "UPDATE model_versions SET stage = 'production' WHERE id = " + v1);
            assertThatThrownBy(() -> execute(c, "UPDATE model_versions SET stage = 'production' WHERE id = " + v2))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("model_versions_one_production_idx");
            // archiving the first makes room: the promotion the registry performs in one transaction
            execute(c, "UPDATE model_versions SET stage = 'archived' WHERE id = " + v1);
            execute(c, "UPDATE model_versions SET stage = 'production' WHERE id = " + v2);
        }
    }

    @Test
    void stagesRolesAndSeveritiesOutsideTheirSetsAreRejected() throws SQLException {
        try (Connection c = db.connect()) {
            long model = newModel(c, "checks");
            long v = newVersion(c, model, 1);
            assertThatThrownBy(() -> execute(c, "UPDATE model_versions SET stage = 'live' WHERE id = " + v))
                    .hasMessageContaining("model_versions_stage_check");
            assertThatThrownBy(() -> execute(c, "INSERT INTO api_keys (project_id, name, role, key_prefix, key_hash, created_by) "
                    + "SELECT project_id, 'k', 'root', 'keel_abc', repeat('a', 64), 'test' FROM registered_models WHERE id = " + model))
                    .hasMessageContaining("api_keys_role_check");
            assertThatThrownBy(() -> execute(c, "UPDATE model_versions SET decision_threshold = 1.5 WHERE id = " + v))
                    .hasMessageContaining("decision_threshold");
        }
    }

    @Test
    void anOpenAlertIsDeduplicatedByModelAndKindUntilResolved() throws SQLException {
        try (Connection c = db.connect()) {
            long project = newProject(c, "alerts");
            String insert = "INSERT INTO alerts (project_id, model_name, kind, severity, title, source) "
                    + "VALUES (" + project + ", 'churn', 'data_drift', 'warning', 'drift', 'test')";
            execute(c, insert);
            assertThatThrownBy(() -> execute(c, insert)).hasMessageContaining("alerts_open_dedup_idx");
            execute(c, "UPDATE alerts SET status = 'resolved' WHERE project_id = " + project);
            execute(c, insert);
        }
    }

    @Test
    void predictionsLandInDailyPartitionsMadeAheadAndOldOnesAreDropped() throws SQLException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            for (int day = 0; day <= 7; day++) {
                assertThat(exists(c, partition(today.plusDays(day)))).as("partition for today + %d", day).isTrue();
            }
            long project = newProject(c, "preds");
            assertThat(insertPrediction(c, project, "now()")).isEqualTo(partition(today));
            assertThat(insertPrediction(c, project, "now() + interval '400 days'")).isEqualTo("predictions_default");

            String old = partition(today.minusDays(100));
            execute(c, "CREATE TABLE " + old + " PARTITION OF predictions FOR VALUES FROM ('"
                    + today.minusDays(100) + "') TO ('" + today.minusDays(99) + "')");
            assertThat(queryInt(c, "SELECT keel_drop_prediction_partitions(90)")).isEqualTo(1);
            assertThat(exists(c, old)).isFalse();
            assertThat(exists(c, partition(today))).isTrue();
            assertThat(queryInt(c, "SELECT keel_create_prediction_partitions(7)")).as("already made").isZero();
            assertThat(queryInt(c, "SELECT keel_create_prediction_partitions(9)")).isEqualTo(2);
        }
    }

    @Test
    void theAgentsQuestionsAboutOneAlertReadAnIndexNotEveryAction() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long project = newProject(c, "alert-index");
            long alert = queryLong(c, "INSERT INTO alerts (project_id, model_name, kind, severity, title, message, source) "
                    + "VALUES (" + project + ", 'm', 'data_drift', 'warning', 't', 'm', 'drift-service') RETURNING id");
            s.execute("INSERT INTO agent_actions (project_id, model_name, issue_kind, action, risk, status, severity, dry_run, "
                    + "explanation, proposed_by, alert_id) SELECT " + project + ", 'm', 'data_drift', 'send_alert', 'low', "
                    + "'succeeded', 'warning', false, 'e', 'test', "
                    + "CASE WHEN i = 1 THEN " + alert + " END FROM generate_series(1, 5000) i");
            s.execute("ANALYZE agent_actions");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT 1 FROM agent_actions WHERE project_id = " + project
                    + " AND alert_id = " + alert + " AND NOT dry_run")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("agent_actions_alert_idx");
        }
    }

    private static String insertPrediction(Connection c, long project, String time) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "INSERT INTO predictions (request_id, predicted_at, project_id, model_name, model_version, features, "
                        + "prediction, probability, latency_us) VALUES (gen_random_uuid(), " + time + ", " + project
                        + ", 'm', 1, '{}', 1, 0.9, 120) RETURNING tableoid::regclass::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String partition(LocalDate day) {
        return "predictions_p" + day.toString().replace("-", "");
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long newProject(Connection c, String name) throws SQLException {
        return queryLong(c, "INSERT INTO projects (name) VALUES ('" + name + "') RETURNING id");
    }

    private static long newModel(Connection c, String name) throws SQLException {
        long project = newProject(c, name);
        return queryLong(c, "INSERT INTO registered_models (project_id, name) VALUES (" + project + ", 'm') RETURNING id");
    }

    private static long newVersion(Connection c, long model, int version) throws SQLException {
        return queryLong(c, "INSERT INTO model_versions (model_id, version, algorithm, artifact_sha256, artifact_size, "
                + "created_by) VALUES (" + model + ", " + version + ", 'gbtree', repeat('0', 64), 10, 'test') RETURNING id");
    }

    private static int migrationCount() {
        return (int) results.stream().mapToInt(r -> r.migrationsExecuted).max().orElse(0);
    }

    private static int queryInt(String sql) throws SQLException {
        try (Connection c = db.connect()) {
            return queryInt(c, sql);
        }
    }

    private static int queryInt(Connection c, String sql) throws SQLException {
        return (int) queryLong(c, sql);
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
