package dev.keel.drift.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keel.common.security.ProjectDirectory;
import dev.keel.common.testing.TestProjects;
import dev.keel.drift.config.AgentLocation;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raised alerts reach the agent's signal endpoint in the shape it reads, or cost only a log line. */
@QuarkusTest
class RestAgentNotifierTest {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    private HttpServer agent;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    record Received(String path, String authorization, String project, JsonNode body) {
    }

    @BeforeEach
    void startAgent() throws Exception {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Keel-Project"),
                    json.readTree(new String(body, StandardCharsets.UTF_8))));
            byte[] answer = "{\"id\": 1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        agent.start();
    }

    @AfterEach
    void stopAgent() {
        agent.stop(0);
    }

    @Test
    void aRaisedAlertBecomesASignalForItsProject() throws Exception {
        var project = TestProjects.create(dataSource, "notify");
        var notifier = notifier(URI.create("http://127.0.0.1:" + agent.getAddress().getPort()));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("report_id", 42);
        evidence.put("model_version", 3);
        evidence.put("drifted_features", List.of("age", "chol"));

        int status = notifier.send(project.id(), "heart", 7L, "data_drift", "critical", evidence).get(10, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(201);
        Received signal = received.poll(5, TimeUnit.SECONDS);
        assertThat(signal).isNotNull();
        assertThat(signal.path()).isEqualTo("/api/v1/agent/signals");
        assertThat(signal.authorization()).isEqualTo("Bearer service-key");
        assertThat(signal.project()).isEqualTo(project.name());
        assertThat(signal.body().path("kind").asText()).isEqualTo("data_drift");
        assertThat(signal.body().path("severity").asText()).isEqualTo("critical");
        assertThat(signal.body().path("model_name").asText()).isEqualTo("heart");
        assertThat(signal.body().path("model_version").asInt()).isEqualTo(3);
        assertThat(signal.body().path("alert_id").asLong()).isEqualTo(7L);
        assertThat(signal.body().path("source").asText()).isEqualTo("drift-service");
        assertThat(signal.body().path("evidence").path("report_id").asInt()).isEqualTo(42);
        assertThat(signal.body().path("evidence").path("drifted_features")).hasSize(2);
    }

    @Test
    void anAgentThatIsDownCostsALogLineNotAnException() throws Exception {
        var project = TestProjects.create(dataSource, "notify-down");
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var notifier = notifier(URI.create("http://127.0.0.1:" + closedPort));

        int status = notifier.send(project.id(), "heart", 8L, "performance_degradation", "warning", Map.of())
                .get(10, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(-1);
    }

    @Test
    void nothingIsSentForAProjectThatIsGone() throws Exception {
        var notifier = notifier(URI.create("http://127.0.0.1:" + agent.getAddress().getPort()));

        int status = notifier.send(Long.MAX_VALUE, "heart", 9L, "data_drift", "warning", Map.of())
                .get(10, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(-1);
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    private RestAgentNotifier notifier(URI url) {
        AgentLocation location = new AgentLocation() {
            @Override
            public URI url() {
                return url;
            }

            @Override
            public boolean sendSignals() {
                return true;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(3);
            }
        };
        return new RestAgentNotifier(location, Optional.of("Bearer service-key"), new ProjectDirectory(dataSource), json);
    }
}
