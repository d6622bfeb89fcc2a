package dev.keel.agent.console;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.keel.agent.console.ConsoleTest.csrf;
import static dev.keel.agent.console.ConsoleTest.page;
import static dev.keel.agent.console.ConsoleTest.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.ContentTypeHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's Models pages registering a model file trained elsewhere and evaluating a version,
 * over real HTTP against a stubbed registry: what reaches the registry (the parts byte for byte, the
 * record flag, the signed-in key), what the page then shows, and what is refused before asking.
 */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class ConsoleModelFilesTest {

    /** Bytes a text relay would spoil: NUL, bytes above 0x7F, CR LF and a line that looks like a part boundary. */
    private static final byte[] UBJSON = {'{', 'L', 0, 0, 0, 0, 0, 0, 0, 7, (byte) 0xFF, (byte) 0xC3, '\r', '\n', '-', '-',
            'k', 'e', 'e', 'l', '\r', '\n', '}'};
    private static final String CSV = "age,plan,churned\n41,premium,1\n23,basic,0\n";

    @Inject
    DataSource dataSource;

    @InjectDownstream
    Downstream stubs;

    Fixtures f;
    String model;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "files");
        model = Fixtures.model("files");
        stubs.registry.stubFor(get(urlPathEqualTo("/api/v1/models")).withHeader("Authorization", equalTo("Bearer " + f.project.writeKey()))
                .willReturn(Downstream.json(200, "{\"items\": [], \"page\": 0, \"size\": 200, \"total\": 0}")));
        stubs.registry.stubFor(get(urlPathEqualTo("/api/v1/models")).withHeader("Authorization", equalTo("Bearer " + f.project.readKey()))
                .willReturn(Downstream.json(200, "{\"items\": [], \"page\": 0, \"size\": 200, \"total\": 0}")));
    }

    private String versionsPath() {
        return "/api/v1/models/" + model + "/versions";
    }

    private RequestSpecification form(String session, String token) {
        return given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, session).multiPart("csrf", token);
    }

    private void stubModelPage() {
        String base = "/api/v1/models/" + model;
        stubs.registry.stubFor(get(urlPathEqualTo(base)).willReturn(Downstream.json(200,
                "{\"name\": \"" + model + "\", \"latest_version\": 4}")));
        stubs.registry.stubFor(get(urlPathEqualTo(base + "/versions")).willReturn(Downstream.json(200,
                "{\"items\": [{\"model\": \"" + model + "\", \"version\": 4, \"stage\": \"none\", \"metrics\": {}}, "
                        + "{\"model\": \"" + model + "\", \"version\": 2, \"stage\": \"production\", \"metrics\": {\"f1\": 0.8}}], "
                        + "\"page\": 0, \"size\": 50, \"total\": 2}")));
        stubs.registry.stubFor(get(urlPathEqualTo(base + "/history")).willReturn(Downstream.json(200,
                "{\"items\": [], \"page\": 0, \"size\": 50, \"total\": 0}")));
    }

    private LoggedRequest onlyRequest(String path) {
        List<LoggedRequest> sent = Downstream.received(stubs.registry, path).stream()
                .filter(r -> r.getMethod().getName().equals("POST")).toList();
        assertThat(sent).hasSize(1);
        return sent.get(0);
    }

    @Test
    void anUploadedModelFileAndItsMetadataReachTheRegistryUnchangedAndThePageNamesTheVersion() {
        stubs.registry.stubFor(post(urlPathEqualTo(versionsPath())).willReturn(Downstream.json(201,
                "{\"model\": \"" + model + "\", \"version\": 4, \"stage\": \"none\"}")));
        String metadata = "{\"description\": \"trained in a notebook\", \"metrics\": {\"f1\": 0.81}}\n";
        String s = session(f.project.writeKey());
        String list = page(s, "/console/models").body().asString();
        assertThat(list).contains("id=\"upload-version\"").contains("name=\"artifact\"").contains("enctype=\"multipart/form-data\"");

        Response r = form(s, csrf(list)).multiPart("name", model).multiPart("from", "models")
                .multiPart("artifact", "churn.ubj", UBJSON, "application/octet-stream")
                .multiPart("metadata_file", "churn-metadata.json", metadata.getBytes(StandardCharsets.UTF_8), "application/json")
                .multiPart("metadata", "")
                .when().post("/console/models/versions");
        assertThat(r.statusCode()).isEqualTo(303);
        String location = r.header("Location");
        assertThat(location).contains("/console/models/" + model + "?notice=");
        assertThat(URLDecoder.decode(location, StandardCharsets.UTF_8)).contains("Registered " + model + " v4 from churn.ubj.");

        LoggedRequest sent = onlyRequest(versionsPath());
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + f.project.writeKey());
        assertThat(sent.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(sent.getParts()).extracting(p -> p.getName()).containsExactly("artifact", "metadata");
        assertThat(sent.getPart("artifact").getBody().asBytes()).isEqualTo(UBJSON);
        assertThat(sent.getPart("artifact").getHeader("Content-Disposition").firstValue()).contains("filename=\"churn.ubj\"");
        assertThat(sent.getPart("metadata").getBody().asString()).isEqualTo(metadata);
        assertThat(sent.getPart("metadata").getHeader(ContentTypeHeader.KEY).firstValue()).isEqualTo("application/json");
        assertThat(sent.getPart("metadata").getHeader("Content-Disposition").firstValue()).doesNotContain("filename");

        stubModelPage();
        // as a browser follows it: the Location's query is already encoded
        String after = given().urlEncodingEnabled(false).cookie(ConsoleSignInFilter.COOKIE, s).when().get(location).body().asString();
        assertThat(after).contains("Registered " + model + " v4 from churn.ubj.").contains("id=\"evaluate-version\"")
                .contains("id=\"upv-name\" name=\"name\" value=\"" + model + "\"");
    }

    @Test
    void metadataTypedIntoTheFormIsSentAsItsJsonPartEvenWhenLong() {
        stubs.registry.stubFor(post(urlPathEqualTo(versionsPath())).willReturn(Downstream.json(201,
                "{\"model\": \"" + model + "\", \"version\": 1, \"stage\": \"none\"}")));
        // longer than Quarkus' default 2 KB for a form field: a feature schema of 120 features
        StringBuilder schema = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            schema.append(i == 0 ? "" : ", ").append("{\"name\": \"feature_").append(i).append("\", \"type\": \"numeric\"}");
        }
        String metadata = "{\"algorithm\": \"xgboost\", \"feature_schema\": [" + schema + "], \"description\": \"é ünïcode\"}";
        assertThat(metadata.length()).isGreaterThan(4000);
        String s = session(f.project.writeKey());
        Response r = form(s, csrf(page(s, "/console/models").body().asString())).multiPart("name", model)
                .multiPart("artifact", "model.json", "{\"learner\": {}}".getBytes(StandardCharsets.UTF_8), "application/json")
                .multiPart("metadata", metadata, "text/plain; charset=UTF-8")
                .when().post("/console/models/versions");
        assertThat(r.statusCode()).isEqualTo(303);
        LoggedRequest sent = onlyRequest(versionsPath());
        assertThat(sent.getPart("metadata").getBody().asString()).isEqualTo(metadata);
        assertThat(sent.getPart("artifact").getBody().asString()).isEqualTo("{\"learner\": {}}");
    }

    @Test
    void aModelFileTheRegistryRefusesIsShownWithItsProblemDetail() {
        stubs.registry.stubFor(post(urlPathEqualTo(versionsPath())).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"title\": \"Unprocessable content\", "
                        + "\"status\": 422, \"field\": \"artifact\", \"detail\": \"artifact: not a usable XGBoost model: JSON "
                        + "document is not an XGBoost model: it has no 'learner' object\"}")));
        String s = session(f.project.writeKey());
        Response r = form(s, csrf(page(s, "/console/models").body().asString())).multiPart("name", model)
                .multiPart("from", "model").multiPart("artifact", "notes.json", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8))
                .when().post("/console/models/versions");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.body().asString()).contains("The model registry refused this (HTTP 422 Unprocessable content)")
                .contains("it has no &#39;learner&#39; object").contains("href=\"/console/models/" + model + "\"")
                .doesNotContain("\"status\"");
    }

    @Test
    void aReaderCannotUploadAndTheRegistryIsNotAsked() {
        String s = session(f.project.readKey());
        String list = page(s, "/console/models").body().asString();
        assertThat(list).doesNotContain("id=\"upload-version\"");
        Response r = form(s, csrf(list)).multiPart("name", model).multiPart("artifact", "model.json", UBJSON)
                .when().post("/console/models/versions");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body().asString()).contains("needs the write role").contains("&#39;reader&#39; has read");
        stubs.registry.verify(0, postRequestedFor(urlPathEqualTo(versionsPath())));
    }

    @Test
    void anUploadWithoutItsFileOrNameOrTokenIsRefusedBeforeAskingTheRegistry() {
        String s = session(f.project.writeKey());
        String token = csrf(page(s, "/console/models").body().asString());

        Response noFile = form(s, token).multiPart("name", model).multiPart("metadata", "{}").when().post("/console/models/versions");
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body().asString()).contains("Choose the model file").contains("No model file (artifact) was sent");

        Response emptyFile = form(s, token).multiPart("name", model).multiPart("artifact", "", new byte[0])
                .when().post("/console/models/versions");
        assertThat(emptyFile.statusCode()).isEqualTo(400);
        assertThat(emptyFile.body().asString()).contains("No model file (artifact) was sent");

        Response noName = form(s, token).multiPart("name", " ").multiPart("artifact", "model.json", UBJSON)
                .when().post("/console/models/versions");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body().asString()).contains("Name the model");

        Response badName = form(s, token).multiPart("name", "../projects").multiPart("artifact", "model.json", UBJSON)
                .when().post("/console/models/versions");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body().asString()).contains("is not a model name");

        Response twice = form(s, token).multiPart("name", model).multiPart("artifact", "model.json", UBJSON)
                .multiPart("metadata_file", "m.json", "{}".getBytes(StandardCharsets.UTF_8)).multiPart("metadata", "{}")
                .when().post("/console/models/versions");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body().asString()).contains("as a file or in the text box, not both");

        Response forged = form(s, "0123abcd").multiPart("name", model).multiPart("artifact", "model.json", UBJSON)
                .when().post("/console/models/versions");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body().asString()).contains("CSRF token does not match");

        // more than the registry takes in one request: refused in words, not relayed to be cut off there
        byte[] huge = new byte[(int) ModelsResource.REGISTRY_BODY_LIMIT + 1];
        Response tooLarge = form(s, token).multiPart("name", model).multiPart("artifact", "huge.json", huge)
                .when().post("/console/models/versions");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body().asString()).contains("File too large for the registry").contains("up to 64 MB");

        stubs.registry.verify(0, postRequestedFor(urlPathEqualTo(versionsPath())));
    }

    @Test
    void anEvaluationRelaysTheCsvAndTheRecordFlagAndShowsTheRecordedMetrics() {
        String path = versionsPath() + "/2/evaluate";
        stubs.registry.stubFor(post(urlPathEqualTo(path)).willReturn(Downstream.json(200,
                "{\"model\": \"" + model + "\", \"version\": 2, \"task\": \"binary\", \"target\": \"churned\", \"rows\": 300, "
                        + "\"positives\": 131, \"metrics\": {\"accuracy\": 0.82, \"precision\": 0.8, \"recall\": 0.79, \"f1\": 0.795, "
                        + "\"roc_auc\": 0.89, \"confusion_matrix\": [[142, 27], [27, 104]], \"threshold\": 0.5, "
                        + "\"measured_by_evaluation\": {\"recorded_by\": \"writer\", \"recorded_at\": \"2026-12-02T10:15:00Z\", "
                        + "\"data_sha256\": \"5d1c\", \"rows\": 300, \"target\": \"churned\", \"baseline_stats_recorded\": true}}, "
                        + "\"recorded\": true}")));
        stubModelPage();
        String s = session(f.project.writeKey());
        String modelPage = page(s, "/console/models/" + model).body().asString();
        assertThat(modelPage).contains("id=\"evaluate-version\"").contains("name=\"record\"").contains("<option value=\"2\">v2");

        Response r = form(s, csrf(modelPage)).multiPart("version", "2").multiPart("target", " churned ").multiPart("record", "on")
                .multiPart("data", "holdout.csv", CSV.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/console/models/" + model + "/evaluate");
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body().asString();
        assertThat(html).contains(model + " v2 evaluated").contains("holdout.csv: 300 row(s), 131 positive")
                .contains("data-metric=\"accuracy\">0.8200<").contains("data-metric=\"precision\">0.8000<")
                .contains("data-metric=\"recall\">0.7900<").contains("data-metric=\"f1\">0.7950<")
                .contains("data-metric=\"roc_auc\">0.8900<").contains("data-metric=\"threshold\">0.5000<")
                .contains(">142<").contains(">104<").contains("id=\"evaluation-confusion\"")
                .contains("These are now v2's metrics").contains("recorded by writer at 2026-12-02 10:15:00 UTC")
                .contains("with baseline statistics for drift from this CSV");

        LoggedRequest sent = onlyRequest(path);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + f.project.writeKey());
        assertThat(sent.queryParameter("record").firstValue()).isEqualTo("true");
        assertThat(sent.getPart("data").getBody().asString()).isEqualTo(CSV);
        assertThat(sent.getPart("data").getHeader("Content-Disposition").firstValue()).contains("filename=\"holdout.csv\"");
        assertThat(sent.getPart("target").getBody().asString()).isEqualTo("churned");
    }

    @Test
    void aReaderEvaluatesWithoutRecordingAndARegressionModelShowsItsErrors() {
        String path = versionsPath() + "/4/evaluate";
        stubs.registry.stubFor(post(urlPathEqualTo(path)).willReturn(Downstream.json(200,
                "{\"model\": \"" + model + "\", \"version\": 4, \"task\": \"regression\", \"target\": \"<b>spend</b>\", "
                        + "\"rows\": 2, \"metrics\": {\"mae\": 1.25, \"rmse\": 1.5, \"r2\": 0.71}}")));
        stubModelPage();
        String s = session(f.project.readKey());
        String modelPage = page(s, "/console/models/" + model).body().asString();
        assertThat(modelPage).contains("id=\"evaluate-version\"").doesNotContain("name=\"record\"")
                .doesNotContain("id=\"upload-version\"");

        Response r = form(s, csrf(modelPage)).multiPart("version", "4")
                .multiPart("data", "spend.csv", CSV.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/console/models/" + model + "/evaluate");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().asString()).contains("data-metric=\"mae\">1.2500<").contains("data-metric=\"rmse\">1.5000<")
                .contains("data-metric=\"r2\">0.7100<").contains("&lt;b&gt;spend&lt;/b&gt;").doesNotContain("<b>spend</b>")
                .contains("not recorded").contains("recorded metrics are unchanged")
                .doesNotContain("id=\"evaluation-confusion\"").doesNotContain("data-metric=\"f1\"");
        stubs.registry.verify(postRequestedFor(urlPathEqualTo(path)).withQueryParam("record", absent())
                .withHeader("Authorization", equalTo("Bearer " + f.project.readKey())));
        assertThat(onlyRequest(path).getParts()).extracting(p -> p.getName()).containsExactly("data");

        // recording needs the write role: refused before the registry is asked
        Response record = form(s, csrf(modelPage)).multiPart("version", "4").multiPart("record", "on")
                .multiPart("data", "spend.csv", CSV.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/console/models/" + model + "/evaluate");
        assertThat(record.statusCode()).isEqualTo(403);
        assertThat(record.body().asString()).contains("needs the write role");
        stubs.registry.verify(1, postRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void anEvaluationTheRegistryRefusesOrWithoutItsCsvIsSaidInWords() {
        String path = versionsPath() + "/2/evaluate";
        stubs.registry.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"title\": \"Conflict\", \"status\": 409, "
                        + "\"field\": \"record\", \"detail\": \"record: " + model + " v2 is in production; the metrics it was "
                        + "promoted on are kept\"}")));
        String s = session(f.project.writeKey());
        String token = csrf(page(s, "/console/models").body().asString());
        Response refused = form(s, token).multiPart("version", "2").multiPart("record", "on")
                .multiPart("data", "holdout.csv", CSV.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/console/models/" + model + "/evaluate");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body().asString()).contains("The model registry refused this (HTTP 409 Conflict)")
                .contains("v2 is in production; the metrics it was promoted on are kept");

        Response noCsv = form(s, token).multiPart("version", "2").when().post("/console/models/" + model + "/evaluate");
        assertThat(noCsv.statusCode()).isEqualTo(400);
        assertThat(noCsv.body().asString()).contains("Choose a CSV file").contains("No labelled CSV (data) was sent");
        Response noVersion = form(s, token).multiPart("data", "holdout.csv", CSV.getBytes(StandardCharsets.UTF_8))
                .when().post("/console/models/" + model + "/evaluate");
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(noVersion.body().asString()).contains("Choose a version");
        stubs.registry.verify(1, postRequestedFor(urlPathEqualTo(path)));
    }
}
