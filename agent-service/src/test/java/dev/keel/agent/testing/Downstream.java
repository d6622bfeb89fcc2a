package dev.keel.agent.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Registry, training and drift as local WireMock stubs, and a local webhook receiver, for every
 * {@code @QuarkusTest} of the agent: it points {@code keel.*.url} and {@code keel.alert.webhook-url}
 * at them. Defaults answer success; tests add their own stubs for their own model names and read
 * back what the agent sent.
 */
public class Downstream implements QuarkusTestResourceLifecycleManager {

    public WireMockServer registry;
    public WireMockServer training;
    public WireMockServer drift;
    /** inference-service, which only the console's Predict page calls. */
    public WireMockServer inference;
    public WebhookReceiver webhook;

    @Override
    public Map<String, String> start() {
        registry = started();
        training = started();
        drift = started();
        inference = started();
        try {
            webhook = new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.stubFor(patch(urlPathMatching("/api/v1/models/([^/]+)/versions/([0-9]+)")).atPriority(10)
                .willReturn(json(200, "{\"model\": \"stubbed\", \"version\": 1, \"decision_threshold\": 0.4}")));
        registry.stubFor(post(urlPathMatching("/api/v1/models/([^/]+)/rollback")).atPriority(10)
                .willReturn(json(200, "{\"from_version\": 3, \"to_version\": 2, \"transitions\": []}")));
        training.stubFor(post(urlPathMatching("/api/v1/models/([^/]+)/retrain")).atPriority(10)
                .willReturn(json(202, "{\"id\": 77, \"model_name\": \"stubbed\", \"status\": \"queued\"}")));
        drift.stubFor(post(urlPathEqualTo("/api/v1/drift/reports")).atPriority(10)
                .willReturn(json(201, "{\"id\": 99, \"model_name\": \"stubbed\", \"model_version\": 1, "
                        + "\"dataset_drift\": true, \"drift_score\": 0.41, \"severity\": \"warning\"}")));
        for (WireMockServer s : List.of(registry, training, drift, inference)) {
            s.stubFor(any(urlPathMatching("/.*")).atPriority(100).willReturn(aResponse().withStatus(404)
                    .withHeader("Content-Type", "application/problem+json")
                    .withBody("{\"title\": \"Not found\", \"status\": 404, \"detail\": \"not stubbed\"}")));
        }
        return Map.of("keel.registry.url", registry.baseUrl(), "keel.training.url", training.baseUrl(),
                "keel.drift.url", drift.baseUrl(), "keel.console.inference-url", inference.baseUrl(),
                "keel.alert.webhook-url", webhook.url());
    }

    private static WireMockServer started() {
        WireMockServer s = new WireMockServer(options().dynamicPort().globalTemplating(false));
        s.start();
        return s;
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** What a Keel service answers while its database restarts: 503 problem+json with Retry-After. */
    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder databaseRestarting() {
        return json(503, "{\"title\": \"Service unavailable\", \"status\": 503, "
                + "\"detail\": \"The database is unreachable; retry in a few seconds\"}").withHeader("Retry-After", "5");
    }

    /** Requests a stub received whose path contains {@code fragment}. */
    public static List<LoggedRequest> received(WireMockServer server, String fragment) {
        return server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().contains(fragment)).toList();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectDownstream.class, Downstream.class));
    }

    @Override
    public void stop() {
        for (WireMockServer s : new WireMockServer[] {registry, training, drift, inference}) {
            if (s != null) {
                s.stop();
            }
        }
        if (webhook != null) {
            webhook.stop();
        }
    }
}
