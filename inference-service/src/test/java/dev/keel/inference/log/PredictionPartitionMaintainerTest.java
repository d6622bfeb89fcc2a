package dev.keel.inference.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PredictionPartitionMaintainerTest {

    @Inject
    PredictionPartitionMaintainer maintainer;

    @Inject
    DataSource dataSource;

    @Test
    void partitionsAreMadeAheadAndThoseBeyondTheRetentionAreDropped() throws SQLException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expired = today.minusDays(400);
        String expiredPartition = partition(expired);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + partition(today.plusDays(7)));
            s.execute("CREATE TABLE " + expiredPartition + " PARTITION OF predictions FOR VALUES FROM ('"
                    + expired + "') TO ('" + expired.plusDays(1) + "')");
        }

        int[] createdAndDropped = maintainer.maintain();

        assertThat(createdAndDropped[0]).as("created").isEqualTo(1);
        assertThat(createdAndDropped[1]).as("dropped").isGreaterThanOrEqualTo(1);
        assertThat(exists(partition(today.plusDays(7)))).isTrue();
        assertThat(exists(expiredPartition)).isFalse();
        assertThat(exists(partition(today))).isTrue();
    }

    private boolean exists(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static String partition(LocalDate day) {
        return "predictions_p" + day.toString().replace("-", "");
    }
}
