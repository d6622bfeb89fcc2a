package dev.keel.inference.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

@QuarkusTest
class PredictionCopyRowsTest {

    @Inject
    ObjectMapper json;

    @Inject
    DataSource dataSource;

    @Test
    void featuresAreWrittenAsJacksonWritesThem() throws Exception {
        PredictionCopyRows rows = new PredictionCopyRows(json);
        Map<String, Object> features = awkwardFeatures();

        String[] columns = columns(rows.line(record(features, Instant.parse("2026-12-03T10:00:00Z"))));

        assertThat(columns).hasSize(11);
        assertThat(unescape(columns[5])).isEqualTo(json.writeValueAsString(features));
        assertThat(unescape(columns[10])).isEqualTo("key\twith\\tab");
    }

    @Test
    void timesKeepEveryDigitWithinAndAcrossSeconds() {
        PredictionCopyRows rows = new PredictionCopyRows(json);
        for (String time : List.of("2026-12-03T10:00:00Z", "2026-12-03T10:00:00.000001Z", "2026-12-03T10:00:00.123456789Z",
                "2026-12-03T10:00:01.5Z", "2026-12-03T10:00:00.999999999Z", "1999-12-31T23:59:59.000000100Z")) {
            Instant t = Instant.parse(time);
            assertThat(Instant.parse(columns(rows.line(record(Map.of("a", 1), t)))[1])).as(time).isEqualTo(t);
        }
    }

    @Test
    void aLineOfAwkwardValuesReadsBackFromPostgresqlAsWritten() throws Exception {
        PredictionCopyRows rows = new PredictionCopyRows(json);
        Map<String, Object> features = awkwardFeatures();
        Instant t = Instant.parse("2026-12-03T10:15:30.123456Z");
        PredictionRecord record = record(features, t);

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE TEMP TABLE copy_rows_check (LIKE predictions) ON COMMIT DROP");
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_rows_check (" + PredictionCopyRows.COLUMNS
                    + ") FROM STDIN", new ByteArrayInputStream(rows.line(record)));
            try (ResultSet rs = st.executeQuery("SELECT request_id, predicted_at, features::text, outputs::text, "
                    + "probability, api_key_name, model_name FROM copy_rows_check")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isEqualTo(record.requestId());
                assertThat(rs.getTimestamp(2).toInstant()).isEqualTo(t.truncatedTo(ChronoUnit.MICROS));
                assertThat(json.readValue(rs.getString(3), Map.class)).isEqualTo(json.readValue(json.writeValueAsString(features), Map.class));
                assertThat(json.readValue(rs.getString(4), float[].class)).containsExactly(0.25f, 0.75f);
                assertThat(rs.getDouble(5)).isEqualTo(0.75);
                assertThat(rs.getString(6)).isEqualTo("key\twith\\tab");
                assertThat(rs.getString(7)).isEqualTo("model\nname");
            }
            c.rollback();
        }
    }

    private static Map<String, Object> awkwardFeatures() {
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("age", 55);
        features.put("big", 1_000_000_000_000L);
        features.put("oldpeak", 1.5);
        features.put("tiny", 1e-7);
        features.put("float", 2.5f);
        features.put("smoker", true);
        features.put("missing", null);
        features.put("decimal", new BigDecimal("1.10"));
        features.put("not a number", Double.NaN);
        features.put("list", List.of(1, "two"));
        features.put("tab\tkey", "tab\there");
        features.put("lines", "line\nbreak\r\n");
        features.put("slash", "back\\slash and \"quotes\"");
        features.put("control", "\u0001bell\u0007");
        features.put("unicode", "ünïcödé € 日本");
        return features;
    }

    private static PredictionRecord record(Map<String, Object> features, Instant at) {
        return new PredictionRecord(UUID.randomUUID(), at, 7, "model\nname", 3, features, 1.0, 0.75,
                new float[] {0.25f, 0.75f}, 412, "key\twith\\tab");
    }

    /** The line's columns, still escaped, without its newline. */
    private static String[] columns(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n");
        return text.substring(0, text.length() - 1).split("\t", -1);
    }

    /** COPY's text-format escapes undone, as PostgreSQL reads them. */
    private static String unescape(String column) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < column.length(); i++) {
            char c = column.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = column.charAt(++i);
            out.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next;
            });
        }
        return out.toString();
    }
}
