package dev.keel.inference.log;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A test profile whose whole application reaches PostgreSQL through a relay the test can cut. */
public class DatabaseBehindRelay implements QuarkusTestProfile {

    static TcpProxy relay;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Relay.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("keel.predictions.retry-interval", "300ms",
                "quarkus.datasource.jdbc.acquisition-timeout", "2S");
    }

    public static class Relay implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
            if (url == null) {
                url = System.getProperty("quarkus.datasource.jdbc.url");
            }
            if (url == null) {
                throw new IllegalStateException("set QUARKUS_DATASOURCE_JDBC_URL: this test relays to a real PostgreSQL");
            }
            URI server = URI.create(url.substring("jdbc:".length()));
            try {
                relay = new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String query = server.getQuery() == null ? "" : "?" + server.getQuery();
            return Map.of("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + relay.port() + server.getPath() + query);
        }

        @Override
        public void stop() {
            try {
                relay.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
