package dev.keel.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keel.agent.config.AlertConfig;
import dev.keel.agent.testing.Fixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The webhook's delivery bookkeeping, against a real local HTTP endpoint and a closed port. */
class WebhookNotifierTest {

    @Test
    void aDeliveredNotificationIsNoLongerPending() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        WebhookNotifier notifier = new WebhookNotifier(config("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                new ObjectMapper());
        try {
            notifier.notify("Approval needed: retrain_model");
            Fixtures.await("the delivery", () -> notifier.undelivered() == 0);
            assertThat(received).containsExactly("{\"text\":\"Approval needed: retrain_model\"}");
        } finally {
            notifier.shutdown();
            server.stop(0);
        }
    }

    @Test
    void aStopDoesNotWaitOutRetriesAndReportsWhatItCouldNotDeliver() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        WebhookNotifier notifier = new WebhookNotifier(config("http://127.0.0.1:" + closed + "/hook"), new ObjectMapper());
        notifier.notify("Approval needed: rollback_model\nmore detail");
        notifier.notify("Data drift in heart");
        Thread.sleep(1_000);   // both first attempts fail at once (connection refused) and wait 30 s for their retry
        assertThat(notifier.undelivered()).isEqualTo(2);

        long start = System.nanoTime();
        notifier.shutdown();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the retries' backoff is not waited out")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(notifier.undelivered()).as("still counted, and logged by the stop").isEqualTo(2);
        assertThatCode(() -> notifier.notify("after the stop")).as("never throws").doesNotThrowAnyException();
    }

    @Test
    void aWebhookUrlThatCannotBeSentToStopsTheServiceWithoutShowingIt() {
        for (String bad : new String[] {"hooks.slack.com/services/T0/B0/secret", "ftp://hooks.example.com/secret",
                "https:///services/secret", "http://exa mple.com/secret"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookNotifier(config(bad), new ObjectMapper()))
                    .as(bad).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("KEEL_ALERT_WEBHOOK_URL")
                    .hasMessageNotContaining("secret'").hasMessageNotContaining("/services/T0");
        }
        org.assertj.core.api.Assertions.assertThat(new WebhookNotifier(config(" https://hooks.example.com/x "),
                new ObjectMapper()).enabled()).isTrue();
    }

    private static AlertConfig config(String url) {
        return new AlertConfig() {
            @Override
            public Optional<String> webhookUrl() {
                return Optional.of(url);
            }

            @Override
            public int webhookMaxAttempts() {
                return 5;
            }

            @Override
            public Duration webhookBackoff() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration webhookMaxBackoff() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration webhookTimeout() {
                return Duration.ofSeconds(2);
            }
        };
    }
}
