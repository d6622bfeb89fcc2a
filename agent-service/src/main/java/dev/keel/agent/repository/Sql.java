package dev.keel.agent.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Small JDBC conversions the repositories share. */
final class Sql {

    private Sql() {
    }

    /**
     * Runs {@code step} in a transaction of its own that first takes PostgreSQL's transaction-scoped
     * advisory lock named {@code key}: steps under one key, in this replica or another, run one after
     * the other, and each sees what the one before it committed. The repositories' statements inside
     * {@code step} join the transaction (the pool hands them its connection).
     */
    static <T> T serialised(DataSource dataSource, String key, Supplier<T> step) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                ps.setString(1, key);
                ps.execute();
            } catch (SQLException e) {
                throw new RepositoryException("taking the lock " + key, e);
            }
            return step.get();
        });
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static JsonNode json(ObjectMapper mapper, ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " holds invalid JSON", e);
        }
    }

    static String text(ObjectMapper mapper, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    /** Reads one row; may throw, as JDBC does. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * One page of {@code SELECT columns FROM table where ORDER BY orderBy}, with the total count of
     * matching rows; {@code where} is empty or starts with " WHERE", its values in {@code params}.
     */
    static <T> Page<T> page(Connection c, String columns, String table, String where, List<Object> params,
                            String orderBy, int page, int size, RowMapper<T> mapper) throws SQLException {
        long total;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + where)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<Object> paged = new ArrayList<>(params);
        paged.add(size);
        paged.add((long) page * size);
        List<T> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table + where
                + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?")) {
            bind(ps, paged);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(mapper.map(rs));
                }
            }
        }
        return new Page<>(items, page, size, total);
    }
}
