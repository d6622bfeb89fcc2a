package dev.keel.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.agent.config.ConsoleConfig;
import dev.keel.agent.config.DriftServiceConfig;
import dev.keel.agent.config.RegistryServiceConfig;
import dev.keel.agent.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The console's calls to registry, training, drift and inference, each made with the signed-in
 * person's own API key, so that every service checks that key's role and records its name. An
 * error answer becomes a {@link ServiceException} that says, in words, which service refused what.
 */
@ApplicationScoped
public class Services {

    /** A service the console reads and acts through, with the words its errors are told in. */
    public enum Service {
        REGISTRY("The model registry"), TRAINING("The training service"), DRIFT("The drift service"),
        INFERENCE("The inference service");

        final String label;

        Service(String label) {
            this.label = label;
        }
    }

    /**
     * One part of a multipart/form-data request: a file (with its name, sent from disk as it is) or
     * a value. Build one with {@link #file} or {@link #value}.
     */
    public record Part(String name, String fileName, String contentType, HttpRequest.BodyPublisher body) {

        /** A part whose bytes are read from {@code path} as the request goes out; a file part when {@code fileName} is set. */
        public static Part file(String name, String fileName, String contentType, Path path) {
            try {
                return new Part(name, fileName, contentType, HttpRequest.BodyPublishers.ofFile(path));
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A value part (no file name), e.g. JSON text or a column name. */
        public static Part value(String name, String contentType, byte[] bytes) {
            return new Part(name, null, contentType, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
    }

    /** A non-JSON answer passed through: a report page or an artifact. */
    public record Raw(int status, String contentType, String contentDisposition, byte[] body) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final ConsoleUser user;
    private final Map<Service, String> baseUrls;

    public Services(ObjectMapper json, ConsoleUser user, RegistryServiceConfig registry, TrainingServiceConfig training,
                    DriftServiceConfig drift, ConsoleConfig console) {
        this.json = json;
        this.user = user;
        this.baseUrls = Map.of(Service.REGISTRY, strip(registry.url()), Service.TRAINING, strip(training.url()),
                Service.DRIFT, strip(drift.url()), Service.INFERENCE, strip(console.inferenceUrl()));
    }

    public JsonNode get(Service service, String path) {
        return send(service, request(service, path).GET());
    }

    public JsonNode post(Service service, String path, Object body) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    }

    public JsonNode postBytes(Service service, String path, String contentType, byte[] body) {
        return send(service, request(service, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A multipart/form-data POST, the parts in order, each passed on byte for byte. */
    public JsonNode postMultipart(Service service, String path, List<Part> parts) {
        String boundary = "keel-console-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> body = new ArrayList<>();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(headerText(part.name())).append('"');
            if (part.fileName() != null) {
                head.append("; filename=\"").append(headerText(part.fileName())).append('"');
            }
            head.append("\r\nContent-Type: ").append(part.contentType()).append("\r\n\r\n");
            body.add(HttpRequest.BodyPublishers.ofString(head.toString(), StandardCharsets.UTF_8));
            body.add(part.body());
            body.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        body.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return send(service, request(service, path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(body.toArray(HttpRequest.BodyPublisher[]::new))));
    }

    /** A name or file name inside a part's quoted header, escaped as browsers do (RFC 7578, the HTML standard). */
    static String headerText(String value) {
        return value.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A GET whose answer is passed through as it is (errors still become a {@link ServiceException}). */
    public Raw raw(Service service, String path, String accept) {
        HttpResponse<byte[]> response = exchange(service, request(service, path).header("Accept", accept).GET());
        if (response.statusCode() >= 400) {
            throw failure(service, response.statusCode(), parse(response.body()));
        }
        return new Raw(response.statusCode(), response.headers().firstValue("Content-Type").orElse(accept),
                response.headers().firstValue("Content-Disposition").orElse(null), response.body());
    }

    /** A path segment, percent-encoded. */
    public static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string from name/value pairs, leaving out null values. */
    public static String query(Object... pairs) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                q.add(pairs[i] + "=" + URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private HttpRequest.Builder request(Service service, String path) {
        return HttpRequest.newBuilder(URI.create(baseUrls.get(service) + path)).timeout(TIMEOUT)
                .header("Authorization", user.authorization()).header("Accept", "application/json");
    }

    private JsonNode send(Service service, HttpRequest.Builder request) {
        HttpResponse<byte[]> response = exchange(service, request);
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw failure(service, response.statusCode(), body);
        }
        return body;
    }

    private HttpResponse<byte[]> exchange(Service service, HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServiceException(503, service.label + " is not reachable",
                    service.label + " did not answer at " + baseUrls.get(service) + " (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Try again when it is back.", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(503, service.label + " is not reachable", "The request was interrupted.", null);
        }
    }

    private static ServiceException failure(Service service, int status, JsonNode body) {
        String detail = text(body, "detail");
        if (detail == null) {
            detail = text(body, "error"); // the Open Inference Protocol's shape
        }
        String title = text(body, "title");
        String message = service.label + " refused this (HTTP " + status + (title == null ? "" : " " + title) + ")"
                + (detail == null ? "." : ": " + detail);
        return new ServiceException(status, title == null ? "Refused" : title, message, body);
    }

    private static String text(JsonNode body, String field) {
        return body != null && body.hasNonNull(field) ? body.get(field).asText() : null;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not write a request body", e);
        }
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
