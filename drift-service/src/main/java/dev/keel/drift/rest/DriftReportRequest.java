package dev.keel.drift.rest;

import dev.keel.drift.service.PolicyResolver;
import java.time.Instant;
import java.util.Map;

/**
 * A report over logged predictions of a model version (the production one when no version is
 * named), for a window, with optional method and threshold overrides; {@code all_methods} adds every
 * other applicable method's figures to each feature ({@code alternatives}).
 */
public record DriftReportRequest(
        String modelName,
        Integer modelVersion,
        Window window,
        String numericalMethod,
        Double numericalThreshold,
        String categoricalMethod,
        Double categoricalThreshold,
        Map<String, PolicyResolver.MethodChoiceRequest> features,
        Double driftShare,
        Boolean allMethods) {

    /** [start, end) of prediction time, or the last N predictions before {@code end} (default now). */
    public record Window(Instant start, Instant end, Integer lastN) {
    }

    PolicyResolver.Overrides overrides() {
        return new PolicyResolver.Overrides(numericalMethod, numericalThreshold, categoricalMethod, categoricalThreshold,
                features, driftShare, Boolean.TRUE.equals(allMethods));
    }
}
