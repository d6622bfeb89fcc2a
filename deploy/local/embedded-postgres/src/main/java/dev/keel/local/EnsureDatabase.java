package dev.keel.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Creates a database if it does not exist yet, over JDBC. up.sh uses it when psql is not installed:
 * {@code java -cp keel-embedded-postgres.jar dev.keel.local.EnsureDatabase <maintenance-jdbc-url> <database>}
 * with the credentials in KEEL_DB_USER / KEEL_DB_PASSWORD (default postgres / empty).
 */
public final class EnsureDatabase {

    private EnsureDatabase() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: EnsureDatabase <maintenance-jdbc-url> <database>");
            System.exit(2);
        }
        String user = System.getenv().getOrDefault("KEEL_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("KEEL_DB_PASSWORD", "");
        try {
            ensure(args[0], user, password, args[1]);
        } catch (SQLException e) {
            System.err.println("could not create database " + args[1] + " via " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static void ensure(String maintenanceUrl, String user, String password, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(maintenanceUrl, props)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                // identifiers cannot be bound as parameters; quote it the PostgreSQL way
                s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            } catch (SQLException e) {
                // another process created it in between (duplicate_database): that is fine
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
            System.out.println("created database " + database);
        }
    }
}
