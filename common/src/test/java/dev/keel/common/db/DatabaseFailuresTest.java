package dev.keel.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class DatabaseFailuresTest {

    @Test
    void aTextValueTheDatabaseCannotStoreIsTold() {
        assertThat(DatabaseFailures.unstorableText(new RuntimeException(new SQLException(
                "invalid byte sequence for encoding \"UTF8\": 0x00", "22021")))).isTrue();
        assertThat(DatabaseFailures.unstorableText(new SQLException("unsupported Unicode escape sequence", "22P05"))).isTrue();
        assertThat(DatabaseFailures.unstorableText(new SQLException("duplicate key value", "23505"))).isFalse();
    }

    @Test
    void aUniqueKeyTakenFirstIsToldFromOtherRefusals() {
        assertThat(DatabaseFailures.uniqueViolation(new IllegalStateException("insert failed",
                new PSQLException("duplicate key value violates unique constraint", PSQLState.UNIQUE_VIOLATION)))).isTrue();
        assertThat(DatabaseFailures.uniqueViolation(new SQLException("violates foreign key constraint", "23503"))).isFalse();
        assertThat(DatabaseFailures.uniqueViolation(new SQLException("no state"))).isFalse();
    }

    @Test
    void aRowTheDatabaseRefusesIsToldFromAConnectionThatFailed() {
        assertThat(DatabaseFailures.rowRefused(new java.sql.BatchUpdateException("batch entry 3 failed", "23503", 0,
                new int[0], new PSQLException("violates foreign key constraint", PSQLState.FOREIGN_KEY_VIOLATION)))).isTrue();
        assertThat(DatabaseFailures.rowRefused(new SQLException("invalid byte sequence", "22021"))).isTrue();
        assertThat(DatabaseFailures.rowRefused(new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))
                .isFalse();
        assertThat(DatabaseFailures.rowRefused(new SQLException("no state"))).isFalse();
    }

    @Test
    void aDatabaseThatCannotBeReachedIsToldFromOneThatRefusesTheStatement() {
        assertThat(DatabaseFailures.unreachable(new IllegalStateException("write failed",
                new PSQLException("Connection to 127.0.0.1:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))).isTrue();
        assertThat(DatabaseFailures.unreachable(new RuntimeException("I/O error",
                new PSQLException("An I/O error occurred while sending to the backend", PSQLState.CONNECTION_FAILURE)))).isTrue();
        assertThat(DatabaseFailures.unreachable(new RuntimeException(new SQLException("terminating connection due to "
                + "administrator command", "57P01")))).isTrue();
        assertThat(DatabaseFailures.unreachable(new RuntimeException(new SQLException("the database system is starting up",
                "57P03")))).isTrue();
        assertThat(DatabaseFailures.unreachable(new RuntimeException(
                new SQLException("Acquisition timeout while waiting for new connection")))).isTrue();
        assertThat(DatabaseFailures.unreachable(new SQLTransientConnectionException("gone"))).isTrue();

        assertThat(DatabaseFailures.unreachable(new IllegalStateException("write failed",
                new PSQLException("duplicate key value", PSQLState.UNIQUE_VIOLATION)))).isFalse();
        assertThat(DatabaseFailures.unreachable(new SQLException("canceling statement due to statement timeout", "57014")))
                .isFalse();
        assertThat(DatabaseFailures.unreachable(new IllegalStateException("its project is gone"))).isFalse();
        assertThat(DatabaseFailures.unreachable(new RuntimeException(new SQLException("no state")))).isFalse();
        assertThat(DatabaseFailures.unreachable(null)).isFalse();
    }
}
