package dev.keel.common.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A throw-away PostgreSQL database for tests that need an empty one of their own. The server is
 * the one the environment names (QUARKUS_DATASOURCE_JDBC_URL, as for the services' tests); where
 * none is named and Docker runs, a Testcontainers PostgreSQL.
 */
public final class TestDatabase implements AutoCloseable {

    private static PostgreSQLContainer container;

    private final String serverUrl;
    private final String username;
    private final String password;
    private final String name;

    private TestDatabase(String serverUrl, String username, String password, String namePrefix) throws SQLException {
        if (!namePrefix.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("a database name prefix is lower-case letters, digits and '_': " + namePrefix);
        }
        this.serverUrl = serverUrl;
        this.username = username;
        this.password = password;
        this.name = namePrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(serverUrl, username, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** Creates a new, empty database on the test server, named {@code keel_t_<random>}. */
    public static TestDatabase create() throws SQLException {
        return create("keel_t_");
    }

    /** Creates a new, empty database on the test server, named {@code <namePrefix><random>}. */
    public static TestDatabase create(String namePrefix) throws SQLException {
        Optional<String> url = setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url");
        if (url.isPresent()) {
            return new TestDatabase(url.get(),
                    setting("QUARKUS_DATASOURCE_USERNAME", "quarkus.datasource.username").orElse("postgres"),
                    setting("QUARKUS_DATASOURCE_PASSWORD", "quarkus.datasource.password").orElse(""), namePrefix);
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("No test PostgreSQL: set QUARKUS_DATASOURCE_JDBC_URL "
                    + "(and _USERNAME/_PASSWORD) or run Docker for Testcontainers");
        }
        synchronized (TestDatabase.class) {
            if (container == null) {
                container = new PostgreSQLContainer("postgres:15-alpine");
                container.start();
            }
        }
        return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(), namePrefix);
    }

    /** Creates a new, empty database named {@code <namePrefix><random>} on the given server (a {@link RestartablePostgres}, say). */
    public static TestDatabase on(String serverUrl, String username, String password, String namePrefix) throws SQLException {
        return new TestDatabase(serverUrl, username, password, namePrefix);
    }

    public String jdbcUrl() {
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String params = query < 0 ? "" : serverUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + params;
    }

    /** The database's name on the server. */
    public String name() {
        return name;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username, password);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl, username, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static Optional<String> setting(String env, String property) {
        return Optional.ofNullable(System.getenv(env)).or(() -> Optional.ofNullable(System.getProperty(property)))
                .filter(v -> !v.isBlank());
    }
}
