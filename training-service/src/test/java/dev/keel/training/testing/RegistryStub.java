package dev.keel.training.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The model registry as a local HTTP stub, for every {@code @QuarkusTest}: it points
 * {@code keel.registry.url} at itself and answers the registry's contract with defaults (version 1
 * registered, no production version, stage changes accepted). Tests add stubs for their own model
 * names and read back what was sent through {@link InjectRegistryStub}.
 */
public class RegistryStub implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().globalTemplating(false));
        server.start();
        defaults(server);
        return Map.of("keel.registry.url", server.baseUrl());
    }

    /** The answers every model gets unless a test says otherwise; lowest priority. */
    public static void defaults(WireMockServer server) {
        server.stubFor(post(urlPathMatching("/api/v1/models/([^/]+)/versions")).atPriority(10)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"model\": \"stubbed\", \"version\": 1, \"stage\": \"none\", \"artifact_sha256\": \"00\"}")));
        server.stubFor(get(urlPathMatching("/api/v1/models/([^/]+)/production")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Not found\", \"status\": 404, \"detail\": \"no production version\"}")));
        server.stubFor(post(urlPathMatching("/api/v1/models/([^/]+)/versions/([0-9]+)/stage")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        server.stubFor(any(urlPathMatching("/.*")).atPriority(100)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Not found\", \"status\": 404, \"detail\": \"not stubbed\"}")));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectRegistryStub.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
