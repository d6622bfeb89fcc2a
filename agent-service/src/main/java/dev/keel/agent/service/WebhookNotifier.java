package dev.keel.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.agent.config.AlertConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Posts {@code {"text": ...}} to a Slack-compatible incoming webhook, off the caller's thread:
 * {@link #notify} returns at once, and a failed delivery (an error status or no answer) is
 * retried with doubling backoff up to {@code keel.alert.webhook-max-attempts}. Diagnosis never
 * waits on the webhook; a notification that still fails is logged and dropped (the alert row stays).
 */
@ApplicationScoped
public class WebhookNotifier {

    private static final Logger LOG = Logger.getLogger(WebhookNotifier.class);

    private final Optional<URI> url;
    private final AlertConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final ScheduledExecutorService executor;

    public WebhookNotifier(AlertConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.url = config.webhookUrl().map(String::strip).filter(u -> !u.isEmpty()).map(URI::create);
        this.http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-alert-webhook");
            t.setDaemon(true);
            return t;
        });
    }

    public boolean enabled() {
        return url.isPresent();
    }

    /** Queues a notification; never blocks and never throws. */
    public void notify(String text) {
        if (url.isEmpty()) {
            LOG.debugf("No alert webhook configured; not sent: %s", text);
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(Map.of("text", text));
        } catch (JsonProcessingException e) {
            LOG.warn("Could not write a webhook notification", e);
            return;
        }
        executor.execute(() -> attempt(body, 1));
    }

    private void attempt(String body, int attempt) {
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(url.get()).timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                LOG.debugf("Alert webhook delivered on attempt %d", attempt);
                return;
            }
            failure = "HTTP " + response.statusCode();
        } catch (java.io.IOException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        if (attempt >= config.webhookMaxAttempts()) {
            LOG.errorf("Alert webhook gave up after %d attempts (last: %s)", attempt, failure);
            return;
        }
        Duration wait = backoff(attempt);
        LOG.warnf("Alert webhook attempt %d failed (%s); retrying in %d ms", attempt, failure, wait.toMillis());
        executor.schedule(() -> attempt(body, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The wait after the given failed attempt: backoff · 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        Duration wait = config.webhookBackoff().multipliedBy(1L << Math.min(20, attempt - 1));
        return wait.compareTo(config.webhookMaxBackoff()) > 0 ? config.webhookMaxBackoff() : wait;
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
