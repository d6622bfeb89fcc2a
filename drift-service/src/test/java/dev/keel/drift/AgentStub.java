package dev.keel.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * agent-service's signal endpoint as a local HTTP stub: the app under test is pointed at it with
 * signals switched on, and every signal it receives is kept for the test to read. Answers 201 as
 * the agent does.
 */
public class AgentStub implements QuarkusTestResourceLifecycleManager {

    /** One POST the stub received. */
    public record Signal(String path, String authorization, String project, JsonNode body) {
    }

    private static final List<Signal> RECEIVED = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    /** The signals received so far naming {@code project} in X-Keel-Project, in arrival order. */
    public static List<Signal> signalsFor(String project) {
        return RECEIVED.stream().filter(s -> project.equals(s.project())).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RECEIVED.add(new Signal(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Keel-Project"),
                    JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            byte[] answer = "{\"id\": 1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return Map.of("keel.agent.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "keel.agent.send-signals", "true");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
