package dev.keel.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The test resource of every service's {@code @QuarkusIntegrationTest}: a fresh database
 * ({@code keel_it_*}, on the server {@link TestDatabase} finds) that the packaged service - JVM
 * jar or native binary - is started against and migrates at start, and that the test reaches
 * through {@link #dataSource()} to seed projects and check rows. Injected into a test field of this type.
 */
public class PackagedApp implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            database = TestDatabase.create("keel_it_");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the integration test's database", e);
        }
        return Map.of("quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(PackagedApp.class));
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                database.close();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop " + database.name(), e);
            }
        }
    }

    /** The database the service runs on, once the service has migrated it. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(database.jdbcUrl());
        ds.setUser(database.username());
        ds.setPassword(database.password());
        return ds;
    }

    /** A fresh project with a key per role, for the service's own API. */
    public TestProjects.Project project(String namePrefix) throws SQLException {
        return TestProjects.create(dataSource(), namePrefix);
    }
}
