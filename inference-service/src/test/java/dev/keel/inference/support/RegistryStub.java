package dev.keel.inference.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.keel.common.text.Sha256;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for registry-service's two endpoints that inference reads: the production versions
 * (with ETag and 304) and artifact bytes. Tests publish what "the registry" says is in production.
 */
public class RegistryStub implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_KEY = "keel_testServiceKey0123456789abcdefghijklmnopq";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;
    private static final List<Version> published = new ArrayList<>();
    /** Bytes served for a version's artifact instead of those whose checksum is announced, by project/model/version. */
    private static final Map<String, byte[]> servedInstead = new HashMap<>();

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        publishNow();
        return Map.of("keel.registry.url", server.baseUrl(), "keel.admin-key", SERVICE_KEY,
                "keel.inference.poll-interval", "1s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** What the registry announces from now on: these versions, one per (project, model). */
    public static synchronized void publish(Version... versions) {
        published.removeIf(p -> List.of(versions).stream()
                .anyMatch(v -> v.project().equals(p.project()) && v.model().equals(p.model())));
        published.addAll(List.of(versions));
        publishNow();
    }

    /**
     * Announces {@code version} (its artifact's checksum) but serves {@code bytes} for its artifact, as a
     * corrupt store or a proxy that mangles the download would; null serves the announced artifact again.
     */
    public static synchronized void publishServing(Version version, byte[] bytes) {
        String key = version.project() + '/' + version.model() + '/' + version.version();
        if (bytes == null) {
            servedInstead.remove(key);
        } else {
            servedInstead.put(key, bytes);
        }
        publish(version);
    }

    /** The registry stops answering: every call has its connection reset, until {@link #resume()}. */
    public static synchronized void down() {
        server.resetAll();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    public static synchronized void resume() {
        publishNow();
    }

    public static int requestsFor(String path) {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(path)).count();
    }

    private static void publishNow() {
        server.resetAll();
        ArrayNode versions = JSON.createArrayNode();
        for (Version v : published) {
            ObjectNode node = versions.addObject();
            node.put("project", v.project()).put("model", v.model()).put("version", v.version())
                    .put("stage", "production").put("decision_threshold", v.threshold());
            ArrayNode schema = node.putArray("feature_schema");
            schema.addObject().put("name", "age").put("type", "numeric");
            schema.addObject().put("name", "chol").put("type", "numeric");
            schema.addObject().put("name", "sex").put("type", "boolean");
            ObjectNode cp = schema.addObject().put("name", "cp").put("type", "categorical");
            TestModels.CP_CATEGORIES.forEach(cp.putArray("categories")::add);
            node.putObject("artifact").put("format", "xgboost-json").put("sha256", Sha256.hex(v.artifact()))
                    .put("size", v.artifact().length);
            server.stubFor(get(urlPathEqualTo("/api/v1/models/" + v.model() + "/versions/" + v.version() + "/artifact"))
                    .withQueryParam("project", equalTo(v.project()))
                    .withHeader("Authorization", equalTo("Bearer " + SERVICE_KEY))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(servedInstead.getOrDefault(v.project() + '/' + v.model() + '/' + v.version(),
                                    v.artifact()))));
        }
        String body = JSON.createObjectNode().set("versions", versions).toString();
        String etag = "\"" + Sha256.hex(body.getBytes()).substring(0, 16) + "\"";
        server.stubFor(get(urlPathEqualTo("/api/v1/production-versions")).atPriority(1)
                .withHeader("If-None-Match", equalTo(etag))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", etag)));
        server.stubFor(get(urlPathEqualTo("/api/v1/production-versions")).atPriority(2)
                .withHeader("Authorization", equalTo("Bearer " + SERVICE_KEY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("ETag", etag).withBody(body)));
    }


    /** One production version as the stub announces it. */
    public record Version(String project, String model, int version, double threshold, byte[] artifact) {
    }
}
