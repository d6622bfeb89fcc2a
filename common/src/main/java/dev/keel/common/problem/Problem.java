package dev.keel.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem-details body. {@code field} names the offending input (a JSON path, a query
 * parameter, a CSV column) so a client can point at what to fix; {@code errors} lists every
 * violation when there is more than one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        URI type,
        String title,
        int status,
        String detail,
        String instance,
        String field,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One violation of a request with several. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message) {
    }
}
