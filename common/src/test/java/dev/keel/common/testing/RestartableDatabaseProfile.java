package dev.keel.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A test profile whose application uses a PostgreSQL server of the test's own
 * ({@link RestartablePostgres}), which the test may crash and start again with {@link #server()}.
 * Services migrate its empty database at start, as they would a new deployment's.
 */
public class RestartableDatabaseProfile implements QuarkusTestProfile {

    private static RestartablePostgres server;

    /** The running application's database server. */
    public static RestartablePostgres server() {
        if (server == null) {
            throw new IllegalStateException("no application with RestartableDatabaseProfile is running");
        }
        return server;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    public static class Server implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                server = RestartablePostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.datasource.jdbc.url", server.jdbcUrl(),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "");
        }

        @Override
        public void stop() {
            try {
                server.close();
                server = null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
