package dev.keel.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The web console at {@code /console}: its sessions, its public address and the inference service it predicts through. */
@ConfigMapping(prefix = "keel.console")
public interface ConsoleConfig {

    /**
     * The secret that seals session cookies ({@code KEEL_CONSOLE_SECRET}, at least 32 characters;
     * from a Kubernetes Secret). Unset: a random one per start, so sessions end when agent-service
     * restarts and are not shared between replicas.
     */
    Optional<String> secret();

    /** How long a sign-in lasts ({@code KEEL_CONSOLE_SESSION_TTL}); default 8 hours. */
    @WithDefault("8H")
    Duration sessionTtl();

    /**
     * Whether the session cookie is marked Secure ({@code KEEL_CONSOLE_SECURE_COOKIE}); default true.
     * Browsers accept Secure cookies over plain HTTP on localhost only: set false to try the console
     * over HTTP on another host.
     */
    @WithDefault("true")
    boolean secureCookie();

    /**
     * Where people open the console from outside ({@code KEEL_CONSOLE_PUBLIC_URL}), an absolute http(s)
     * URL such as {@code https://keel.example.com}: webhook messages then carry a link to the console
     * page of the alert or of the proposal waiting for approval, which a chat reader can click. Checked
     * at start. Unset (the default): messages carry no link, as before.
     */
    Optional<String> publicUrl();

    /** Base URL of inference-service for the Predict page ({@code KEEL_CONSOLE_INFERENCE_URL}). */
    @WithDefault("http://localhost:8080")
    String inferenceUrl();
}
