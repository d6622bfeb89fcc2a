package dev.keel.agent.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/** How console templates write numbers, times and durations: {@code fmt:num(x, 3)}, {@code fmt:when(t)}. */
@TemplateExtension(namespace = "fmt")
public final class Format {

    private static final String NONE = "—";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules().writerWithDefaultPrettyPrinter();

    private Format() {
    }

    static String num(Object value, int digits) {
        if (!(value instanceof Number n)) {
            return absent(value) ? NONE : value.toString();
        }
        if (n instanceof Integer || n instanceof Long) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        return String.format(Locale.ROOT, "%." + digits + "f", n.doubleValue());
    }

    static String pct(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.1f %%", 100 * n.doubleValue()) : NONE;
    }

    static String when(Object value) {
        if (absent(value)) {
            return NONE;
        }
        Instant at = instant(value);
        return at == null ? value.toString() : WHEN.format(at);
    }

    /** A time as the services' JSON writes it (ISO-8601, or epoch seconds); null when it is none. */
    static Instant instant(Object value) {
        if (absent(value)) {
            return null;
        }
        if (value instanceof Number n) {
            return Instant.ofEpochMilli((long) (n.doubleValue() * 1000));
        }
        try {
            return OffsetDateTime.parse(value.toString()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Milliseconds as "1 h 2 min", "3 min 20 s" or "850 ms". */
    static String ms(Object value) {
        if (!(value instanceof Number n)) {
            return NONE;
        }
        long ms = n.longValue();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    /** A parameter map as "name=value, …". */
    static String params(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            return NONE;
        }
        StringBuilder out = new StringBuilder();
        map.forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k).append('=')
                .append(v instanceof Double d ? num(d, 4) : v));
        return out.toString();
    }

    /**
     * Deployment-gate thresholds as the gate applies them: {@code f1 ≥ 0.7500, rmse ≤ 1.2000} (MAE and
     * RMSE are the largest error accepted, every other metric the least value).
     */
    static String gate(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            return NONE;
        }
        StringBuilder out = new StringBuilder();
        map.forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k)
                .append("mae".equals(k) || "rmse".equals(k) ? " ≤ " : " ≥ ").append(num(v, 4)));
        return out.toString();
    }

    /** Null, or a field the JSON left out (the templates do not fail on those). */
    private static boolean absent(Object value) {
        return value == null || value instanceof io.quarkus.qute.Results.NotFound;
    }

    /** A JSON value (evidence, a result) indented for reading. */
    static String json(Object value) {
        if (absent(value)) {
            return NONE;
        }
        try {
            return PRETTY.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return value.toString();
        }
    }

    /** A word in a CSS class name (stage, status, severity), anything else dropped. */
    static String css(Object value) {
        return absent(value) ? "" : value.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z_]", "");
    }
}
