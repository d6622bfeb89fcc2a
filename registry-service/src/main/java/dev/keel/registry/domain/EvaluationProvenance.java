package dev.keel.registry.domain;

import java.time.Instant;

/**
 * Where a version's recorded metrics came from when the registry measured them itself: an
 * evaluation on uploaded labelled data, recorded with {@code record=true}. Stored inside the
 * version's metrics document as {@code measured_by_evaluation}; an upload cannot set it, so its
 * presence means the figures the gate checks were measured here, not typed in.
 *
 * @param recordedBy the API key that asked for the recording
 * @param dataSha256 SHA-256 (hex) of the CSV file as uploaded: the same file again records nothing new
 * @param rows the data rows scored
 * @param target the label column
 * @param baselineStatsRecorded whether this evaluation also wrote the version's baseline statistics
 *     (it does only when the version had none)
 */
public record EvaluationProvenance(String recordedBy, Instant recordedAt, String dataSha256, int rows, String target,
                                   boolean baselineStatsRecorded) {
}
