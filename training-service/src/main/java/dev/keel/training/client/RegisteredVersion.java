package dev.keel.training.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What the registry answers to a registration; it may say more, which this service does not need. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegisteredVersion(String model, int version, String stage) {
}
