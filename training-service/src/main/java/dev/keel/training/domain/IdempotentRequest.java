package dev.keel.training.domain;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.text.Sha256;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request to start a run that came with an {@code Idempotency-Key} header (the IETF httpapi
 * draft, as Stripe and others use it): the same key again in the same project answers the run the
 * first request started instead of starting another, so a client that never got its answer can
 * send the request again.
 *
 * @param key         the header's value
 * @param fingerprint SHA-256 of what was asked (endpoint, model, body), to refuse the key sent again with another request
 */
public record IdempotentRequest(String key, String fingerprint) {

    public static final String HEADER = "Idempotency-Key";
    /** Visible ASCII, as a header value can carry it without escaping; long enough for a UUID and a prefix. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    /**
     * The request, or null when no key was sent; 400 naming the header for a malformed key, an empty
     * one, or the header sent more than once.
     *
     * @param values  the header's values as the request carried them (none, or one)
     * @param request what was asked, in a form that is equal for equal requests (e.g. the path and the body as JSON)
     */
    public static IdempotentRequest of(List<String> values, String request) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ProblemException.badRequest(HEADER, HEADER + " was sent " + values.size() + " times; send it once");
        }
        String key = values.get(0);
        if (key == null || !KEY.matcher(key).matches()) {
            throw ProblemException.badRequest(HEADER, HEADER + " must be 1 to 255 visible ASCII characters "
                    + "(letters, digits, punctuation; no spaces)");
        }
        return new IdempotentRequest(key, Sha256.hex(request));
    }
}
