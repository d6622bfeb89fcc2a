package dev.keel.inference.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Prediction records as the rows of a PostgreSQL {@code COPY ... FROM STDIN} in text format: one
 * line a record, columns split by tabs, {@code \N} for null, and backslash, tab, newline and
 * carriage return escaped inside values (the JSON of the features may hold backslashes).
 *
 * <p>A record becomes its line as soon as it is handed over, on the request's thread: the queue and
 * the spill file then hold one byte array a record instead of the request's map of boxed feature
 * values, which is what a young-generation collection would otherwise copy while the record waits
 * for its batch (tens of objects a record, tens of thousands of records a second).
 *
 * <p>Because that work is on the request path, the two costly parts of a line are written
 * directly: the features object's scalar values (what a valid request holds) are appended as
 * Jackson would write them, with Jackson's own string quoting, and anything else goes through the
 * ObjectMapper; the time reuses the formatted date and time of the current second.
 */
final class PredictionCopyRows {

    /** The columns, in the order each line carries them. */
    static final String COLUMNS = "request_id, predicted_at, project_id, model_name, model_version, features, "
            + "prediction, probability, outputs, latency_us, api_key_name";

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final JsonStringEncoder QUOTING = JsonStringEncoder.getInstance();

    private final ObjectMapper json;
    /** The last second formatted, shared by the request threads (an immutable pair, so a stale read is only a miss). */
    private volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    PredictionCopyRows(ObjectMapper json) {
        this.json = json;
    }

    /** One record as one line, newline included, ready to be sent as it is. */
    byte[] line(PredictionRecord r) {
        StringBuilder row = new StringBuilder(320);
        row.append(r.requestId()).append('\t');
        time(row, r.predictedAt()).append('\t');
        row.append(r.projectId()).append('\t');
        text(row, r.modelName()).append('\t');
        row.append(r.modelVersion()).append('\t');
        features(row, r.features()).append('\t');
        row.append(r.prediction()).append('\t');
        probability(row, r.probability()).append('\t');
        text(row, r.outputs() == null ? null : toJson(r.outputs())).append('\t');
        row.append(r.latencyMicros()).append('\t');
        text(row, r.apiKeyName()).append('\n');
        return row.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** ISO-8601 in UTC with nine fraction digits, which timestamptz reads (rounding to microseconds) as Instant.toString's. */
    private StringBuilder time(StringBuilder row, Instant t) {
        FormattedSecond second = lastSecond;
        if (second.epochSecond != t.getEpochSecond()) {
            second = new FormattedSecond(t.getEpochSecond(), SECOND.format(t));
            lastSecond = second;
        }
        row.append(second.text).append('.');
        int nanos = t.getNano();
        for (int unit = 100_000_000; unit > 0; unit /= 10) {
            row.append((char) ('0' + nanos / unit % 10));
        }
        return row.append('Z');
    }

    /** The features object as compact JSON, escaped for COPY. */
    private StringBuilder features(StringBuilder row, Map<String, Object> features) {
        row.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> feature : features.entrySet()) {
            if (!first) {
                row.append(',');
            }
            first = false;
            string(row, feature.getKey()).append(':');
            Object value = feature.getValue();
            if (value == null) {
                row.append("null");
            } else if (value instanceof String s) {
                string(row, s);
            } else if (value instanceof Integer i) {   // unboxed: append(Object) would make a String of each
                row.append(i.intValue());
            } else if (value instanceof Double d && Double.isFinite(d)) {
                row.append(d.doubleValue());
            } else if (value instanceof Long l) {
                row.append(l.longValue());
            } else if (value instanceof Boolean b) {
                row.append(b.booleanValue());
            } else if (value instanceof Float f && Float.isFinite(f)) {
                row.append(f.floatValue());
            } else {
                text(row, toJson(value));   // big numbers, NaN, lists, objects: as Jackson writes them
            }
        }
        return row.append('}');
    }

    /** A JSON string; names and categories rarely need quoting, so only those that do go through Jackson's. */
    private static StringBuilder string(StringBuilder row, String value) {
        row.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return escaped(row, CharBuffer.wrap(QUOTING.quoteAsString(value))).append('"');
            }
        }
        return row.append(value).append('"');
    }

    private static StringBuilder probability(StringBuilder rows, Double value) {
        return value == null ? rows.append("\\N") : rows.append(value.doubleValue());
    }

    private static StringBuilder text(StringBuilder rows, String value) {
        return value == null ? rows.append("\\N") : escaped(rows, value);
    }

    private static StringBuilder escaped(StringBuilder rows, CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return rows;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Prediction record cannot be written as JSON", e);
        }
    }

    private record FormattedSecond(long epochSecond, String text) {
    }
}
