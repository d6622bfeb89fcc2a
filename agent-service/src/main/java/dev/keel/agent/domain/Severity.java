package dev.keel.agent.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How bad an issue or alert is, in rising order. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    @JsonCreator
    static Severity json(String name) {
        return fromWireName(name).orElseThrow(() ->
                new IllegalArgumentException("unknown severity '" + name + "'; one of info, warning, critical"));
    }
}
