package dev.keel.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where new alerts and pending approvals are announced: a Slack-compatible incoming webhook. */
@ConfigMapping(prefix = "keel.alert")
public interface AlertConfig {

    /** The webhook ({@code KEEL_ALERT_WEBHOOK_URL}); it gets {@code {"text": ...}}. Unset: no notifications. */
    Optional<String> webhookUrl();

    /** Attempts per notification before it is given up ({@code KEEL_ALERT_WEBHOOK_MAX_ATTEMPTS}); default 5. */
    @WithDefault("5")
    int webhookMaxAttempts();

    /** Wait before the first retry, doubled each time ({@code KEEL_ALERT_WEBHOOK_BACKOFF}); default 2 seconds. */
    @WithDefault("2S")
    Duration webhookBackoff();

    /** Longest wait between retries; default 5 minutes. */
    @WithDefault("5M")
    Duration webhookMaxBackoff();

    /** Timeout of one delivery attempt; default 10 seconds. */
    @WithDefault("10S")
    Duration webhookTimeout();
}
