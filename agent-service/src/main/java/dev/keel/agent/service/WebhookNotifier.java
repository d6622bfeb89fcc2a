package dev.keel.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.agent.config.AlertConfig;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Posts {@code {"text": ...}} to a Slack-compatible incoming webhook, off the caller's thread:
 * {@link #notify} returns at once, and a failed delivery (an error status or no answer) is
 * retried with doubling backoff up to {@code keel.alert.webhook-max-attempts}. Diagnosis never
 * waits on the webhook; a notification that still fails is logged and dropped (the alert row stays).
 * A stop sends what is queued (for a few seconds at most) and logs every notification it could not
 * deliver, so none vanishes without a line saying so.
 */
@Startup
@ApplicationScoped
public class WebhookNotifier {

    private static final Logger LOG = Logger.getLogger(WebhookNotifier.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final Optional<URI> url;
    private final AlertConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor executor;
    /** Notifications not yet delivered nor given up on, by a sequence number. */
    private final Map<Long, String> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    public WebhookNotifier(AlertConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.url = config.webhookUrl().map(String::strip).filter(u -> !u.isEmpty()).map(WebhookNotifier::webhookUri);
        this.http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "keel-alert-webhook");
            t.setDaemon(true);
            return t;
        });
        // on a stop, queued first attempts still go out; retries waiting out their backoff do not
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * The webhook's URL, checked when the service starts: a mistyped one would otherwise fail every
     * notification, or the first signal that sends one. The value is never echoed: a Slack-style
     * webhook URL is its own secret.
     */
    static URI webhookUri(String url) {
        return HttpUrls.absolute(url, "it", WebhookNotifier::invalidWebhook);
    }

    private static IllegalStateException invalidWebhook(String why) {
        return new IllegalStateException("KEEL_ALERT_WEBHOOK_URL (keel.alert.webhook-url) must be an absolute http or https "
                + "URL such as https://hooks.slack.com/services/...: " + why + " (the value is not shown: it holds the "
                + "webhook's secret)");
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
        long id = sequence.incrementAndGet();
        pending.put(id, text);
        try {
            executor.execute(() -> attempt(id, body, 1));
        } catch (RejectedExecutionException e) {
            LOG.warnf("Alert webhook not sent, the service is stopping: %s", firstLine(text));
            pending.remove(id);
        }
    }

    private void attempt(long id, String body, int attempt) {
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(url.get()).timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                LOG.debugf("Alert webhook delivered on attempt %d", attempt);
                pending.remove(id);
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
            LOG.errorf("Alert webhook gave up after %d attempts (last: %s): %s", attempt, failure, firstLine(pending.remove(id)));
            return;
        }
        Duration wait = backoff(attempt);
        LOG.warnf("Alert webhook attempt %d failed (%s); retrying in %d ms", attempt, failure, wait.toMillis());
        try {
            executor.schedule(() -> attempt(id, body, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("The service is stopping; the retry is reported with the undelivered notifications");
        }
    }

    /** Notifications queued or waiting for a retry. */
    int undelivered() {
        return pending.size();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The wait after the given failed attempt: backoff · 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        Duration wait = config.webhookBackoff().multipliedBy(1L << Math.min(20, attempt - 1));
        return wait.compareTo(config.webhookMaxBackoff()) > 0 ? config.webhookMaxBackoff() : wait;
    }

    @PreDestroy
    void shutdown() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (!pending.isEmpty()) {
            LOG.warnf("Alert webhook: %d notifications were not delivered before the stop (what they announce is in "
                    + "the database: alerts, actions waiting for approval): %s", pending.size(),
                    String.join(" | ", pending.values().stream().map(WebhookNotifier::firstLine).toList()));
        }
    }
}
