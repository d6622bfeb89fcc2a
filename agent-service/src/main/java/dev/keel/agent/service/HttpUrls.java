package dev.keel.agent.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;

/** An absolute http(s) URL with a host, checked once for every address the agent is configured with. */
final class HttpUrls {

    private HttpUrls() {
    }

    /**
     * The URL parsed; otherwise {@code invalid} applied to why, naming the value as {@code shown}
     * ("it" where the value must not be echoed: a password, a webhook's secret).
     */
    static URI absolute(String url, String shown, Function<String, IllegalStateException> invalid) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // never echoed: a malformed value may still hold a secret
            throw invalid.apply("it is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid.apply(shown + " does not start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid.apply(shown + " names no host");
        }
        return uri;
    }
}
