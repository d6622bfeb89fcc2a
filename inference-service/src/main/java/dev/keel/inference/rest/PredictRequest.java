package dev.keel.inference.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/predict}: one row of named features for a model of the caller's project.
 *
 * <p>The constraints document the schema (OpenAPI); {@link #check} enforces them with the same
 * problem Bean Validation gives, without Hibernate Validator's method interceptor, which cost the
 * single-row endpoint about 2 µs a request (a JFR profile of the benchmark).
 */
public record PredictRequest(@NotBlank String model, @NotNull Map<String, Object> features) {

    /** Throws a 400 naming every missing field, as {@code ConstraintViolationMapper} would. */
    static PredictRequest check(PredictRequest request) {
        if (request == null) {
            throw ProblemException.invalidFields(List.of(new Problem.FieldError("request", "must not be null")));
        }
        boolean noModel = request.model() == null || request.model().isBlank();
        boolean noFeatures = request.features() == null;
        if (!noModel && !noFeatures) {
            return request;
        }
        List<Problem.FieldError> errors = new ArrayList<>(2);
        if (noModel) {
            errors.add(new Problem.FieldError("model", "must not be blank"));
        }
        if (noFeatures) {
            errors.add(new Problem.FieldError("features", "must not be null"));
        }
        throw ProblemException.invalidFields(errors);
    }
}
