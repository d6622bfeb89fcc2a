package dev.keel.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The private server the restart tests rely on: it really goes away, and what was committed comes back. */
class RestartablePostgresTest {

    @Test
    void aCommittedRowSurvivesACrashAndAStop() throws Exception {
        try (RestartablePostgres server = RestartablePostgres.start()) {
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
                s.execute("INSERT INTO kept VALUES (1)");
            }
            server.crash();
            assertThatThrownBy(() -> connect(server).close()).isInstanceOf(SQLException.class);
            server.startAgain();
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                s.execute("INSERT INTO kept VALUES (2)");
            }
            server.stop();
            server.startAgain();
            try (Connection c = connect(server); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    private static Connection connect(RestartablePostgres server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
    }
}
