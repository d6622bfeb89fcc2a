package dev.keel.common.db;

import dev.keel.common.text.Causes;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Tells a database that could not be reached from one that refused a statement. */
public final class DatabaseFailures {

    /** Seconds a client is told to wait ({@code Retry-After}) before sending again a request the database's absence failed. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseFailures() {
    }

    /**
     * Whether a failure means the database could not be reached: a connection error anywhere in the
     * causes (SQLSTATE class 08, or 57P01-57P03: the server shutting down, crashed, or starting up),
     * or the pool's timeout waiting for a connection. Hibernate's and the pool's wrappers keep the
     * driver's exception as a cause, so the chain is walked to its end.
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t : Causes.chain(failure)) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.matches("57P0[1-3]"))) {
                    return true;
                }
                // Agroal's, when no connection could be made in time; it carries no SQLSTATE
                if (state == null && sql.getMessage() != null && sql.getMessage().startsWith("Acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the database refused a row because one with the same unique key exists (SQLSTATE
     * 23505): a concurrent request created it after this one checked, a conflict, not a fault.
     */
    public static boolean uniqueViolation(Throwable failure) {
        return Causes.chain(failure).stream().anyMatch(t -> t instanceof SQLException sql && "23505".equals(sql.getSQLState()));
    }

    /**
     * Whether the database refused the row itself, not the connection: SQLSTATE class 22 (data) or
     * 23 (integrity) anywhere in the causes (a batch's error carries the statement's as its cause).
     */
    public static boolean rowRefused(Throwable failure) {
        return Causes.chain(failure).stream().anyMatch(t -> t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23")));
    }

    /**
     * Whether the database refused a text value it cannot store: a NUL character (U+0000, which
     * PostgreSQL's text and jsonb never hold; SQLSTATE 22021 or 22P05). It came from the client,
     * so it is the client's error, not the server's.
     */
    public static boolean unstorableText(Throwable failure) {
        return Causes.chain(failure).stream().anyMatch(t -> t instanceof SQLException sql
                && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState())));
    }
}
