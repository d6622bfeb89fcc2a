package dev.keel.agent.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over real HTTP: sign-in and its cookie, the pages reading the (stubbed) services with
 * the signed-in key, CSRF, roles, refusals shown in words, and an approval recorded under the key.
 */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class ConsoleTest {

    private static final String ADMIN_KEY = "test-bootstrap-admin-key-agent-5c0f9e1b";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");

    @Inject
    DataSource dataSource;

    @InjectDownstream
    Downstream stubs;

    Fixtures f;
    String model;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "console");
        model = Fixtures.model("console");
    }

    static Response signIn(String key, String next) {
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParam("api_key", key)
                .formParam("next", next == null ? "" : next).when().post("/console/login");
    }

    static String session(String key) {
        Response r = signIn(key, null);
        assertThat(r.statusCode()).isEqualTo(303);
        return r.getCookie(ConsoleSignInFilter.COOKIE);
    }

    static Response page(String session, String path) {
        return given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, session).when().get(path);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a form with a CSRF token").isTrue();
        return m.group(1);
    }

    private String bearer(String key) {
        return "Bearer " + key;
    }

    private void stubModels(String key) {
        stubs.registry.stubFor(get(urlPathEqualTo("/api/v1/models")).withHeader("Authorization", equalTo(bearer(key)))
                .willReturn(Downstream.json(200, "{\"items\": [{\"name\": \"" + model + "\", \"production_version\": 3, "
                        + "\"latest_version\": 4, \"description\": \"churn of <b>premium</b> users\"}], \"page\": 0, \"size\": 200, "
                        + "\"total\": 1}")));
    }

    @Test
    void pagesNeedASignIn() {
        Response none = given().redirects().follow(false).when().get("/console/agent?x=1");
        assertThat(none.statusCode()).isEqualTo(303);
        assertThat(none.header("Location")).contains("/console/login?next=%2Fconsole%2Fagent%3Fx%3D1");

        String sealed = session(f.project.readKey());
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        Response forged = page(tampered, "/console/agent");
        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(forged.header("Location")).contains("/console/login").contains("notice=");
        assertThat(page(sealed, "/console/agent").statusCode()).isEqualTo(200);
    }

    @Test
    void signInChecksTheKeyAndSetsAProtectedCookie() {
        Response wrong = signIn("keel_not-a-real-key", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("text/html");
        assertThat(wrong.body().asString()).contains("was not accepted");
        assertThat(wrong.getCookie(ConsoleSignInFilter.COOKIE)).isNull();

        Response admin = signIn(ADMIN_KEY, null);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.body().asString()).contains("belongs to no project");

        Response blank = signIn("  ", null);
        assertThat(blank.statusCode()).isEqualTo(400);

        Response ok = signIn(f.project.readKey(), "/console/agent");
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.header("Location")).endsWith("/console/agent");
        String setCookie = ok.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Path=/console")
                .doesNotContain(f.project.readKey());

        Response elsewhere = signIn(f.project.readKey(), "https://evil.example/console");
        assertThat(elsewhere.header("Location")).endsWith("/console/models");
    }

    @Test
    void signInFollowsNextOnlyToAPathInsideTheConsoleOnceNormalised() {
        String key = f.project.readKey();
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("/console/../../etc", "/console/models");
        expected.put("/console/agent/../../../etc/passwd", "/console/models");
        expected.put("/console/%2e%2e/%2E%2E/etc", "/console/models");
        expected.put("/console/..%2f..%2fetc", "/console/models");
        expected.put("/console/..%5c..%5cetc", "/console/models");
        expected.put("/console\\..\\..\\etc", "/console/models");
        expected.put("//evil.example/console", "/console/models");
        expected.put("/console//evil.example", "/console/models");
        expected.put("https://evil.example/console/agent", "/console/models");
        expected.put("http:/console/agent", "/console/models");
        expected.put("/consolation", "/console/models");
        expected.put("/console/login", "/console/models");
        expected.put("/console/x y", "/console/models");
        expected.put("/console/./models/../agent?x=1", "/console/agent?x=1");
        expected.put("/console/drift?model=churn", "/console/drift?model=churn");
        expected.put("/console", "/console");
        expected.forEach((next, to) -> {
            Response r = signIn(key, next);
            assertThat(r.statusCode()).as(next).isEqualTo(303);
            java.net.URI location = java.net.URI.create(r.header("Location"));
            assertThat(location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery()))
                    .as("next=%s", next).isEqualTo(to);
        });
    }

    @Test
    void aPageNumberBeyondTheLastIsAPageInWordsAndTheRegistryIsNotAsked() {
        stubModels(f.project.readKey());
        String s = session(f.project.readKey());
        for (String path : java.util.List.of("/console/models?page=2147483647", "/console/models?page=1000001",
                "/console/models?page=99999999999999999999", "/console/models/" + model + "?page=2147483647",
                "/console/models/" + model + "?page=2147483648")) {
            Response r = page(s, path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(r.contentType()).startsWith("text/html");
            assertThat(r.body().asString()).as(path).contains("No such page").contains("from 0 to 1000000")
                    .doesNotContain("\"status\"");
        }
        Response words = page(s, "/console/models?page=two");
        assertThat(words.statusCode()).isEqualTo(400);
        assertThat(words.body().asString()).contains("&#39;two&#39; is not a page number");
        stubs.registry.verify(0, getRequestedFor(urlPathMatching("/api/v1/models.*"))
                .withQueryParam("page", com.github.tomakehurst.wiremock.client.WireMock.matching("(2147483647|1000001|two)")));

        // the last page the registry serves is still asked for, and a negative one is the first
        assertThat(page(s, "/console/models?page=1000000").statusCode()).isEqualTo(200);
        assertThat(page(s, "/console/models?page=-3").statusCode()).isEqualTo(200);
        stubs.registry.verify(getRequestedFor(urlPathEqualTo("/api/v1/models")).withQueryParam("page", equalTo("1000000")));
    }

    @Test
    void aRevokedKeyEndsTheSession() throws Exception {
        String s = session(f.project.writeKey());
        f.execute("UPDATE api_keys SET revoked_at = now() WHERE project_id = ? AND name = 'writer'", f.project.id());
        // the key cache trusts a verified key for keel.auth.cache-ttl; the test profile keeps it short
        Fixtures.await("the session to end", () -> page(s, "/console/agent").statusCode() == 303);
    }

    @Test
    void modelsPageReadsTheRegistryWithTheSignedInKey() {
        stubModels(f.project.readKey());
        String s = session(f.project.readKey());
        Response r = page(s, "/console/models");
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body().asString();
        assertThat(html).contains(model).contains("v3").contains("churn of &lt;b&gt;premium&lt;/b&gt; users")
                .contains("key <strong>reader</strong>");
        assertThat(r.header("Server-Timing")).matches("app;dur=[0-9.]+");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void formsWithoutTheSessionsTokenAreRefused() {
        String s = session(f.project.writeKey());
        Response r = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("version", 2).formParam("stage", "production").formParam("csrf", "0123abcd")
                .when().post("/console/models/" + model + "/stage");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body().asString()).contains("CSRF token does not match");
        stubs.registry.verify(0, postRequestedFor(urlPathMatching("/api/v1/models/" + model + "/versions/2/stage")));
    }

    @Test
    void aGateRefusalIsShownInWordsWithEveryFailedCheck() {
        stubs.registry.stubFor(post(urlPathEqualTo("/api/v1/models/" + model + "/versions/2/stage"))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json").withBody(
                        "{\"title\": \"Conflict\", \"status\": 409, \"detail\": \"The deployment gate refused " + model
                                + " v2: 1 failed check(s): metric_f1\", \"errors\": [{\"field\": \"metric_f1\", "
                                + "\"message\": \"f1 0.6100 is below the threshold 0.7500\"}]}")));
        stubModels(f.project.writeKey());
        String s = session(f.project.writeKey());
        String token = csrf(page(s, "/console/models").body().asString());
        Response r = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("csrf", token).formParam("version", 2).formParam("stage", "production").formParam("reason", "better")
                .when().post("/console/models/" + model + "/stage");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("text/html");
        String html = r.body().asString();
        assertThat(html).contains("The model registry refused this").contains("metric_f1")
                .contains("f1 0.6100 is below the threshold 0.7500").doesNotContain("\"status\"");
        stubs.registry.verify(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions/2/stage"))
                .withHeader("Authorization", equalTo(bearer(f.project.writeKey()))));
    }

    @Test
    void aReaderCannotPromote() {
        String s = session(f.project.readKey());
        stubModels(f.project.readKey());
        String token = csrf(page(s, "/console/models").body().asString());
        Response r = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("csrf", token).formParam("version", 2).formParam("stage", "production")
                .when().post("/console/models/" + model + "/stage");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body().asString()).contains("needs the write role");
    }

    @Test
    void anUnreachableServiceIsSaidInWords() {
        stubs.training.stubFor(get(urlPathEqualTo("/api/v1/training-runs")).withHeader("Authorization",
                equalTo(bearer(f.project.readKey()))).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Response r = page(session(f.project.readKey()), "/console/training");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body().asString()).contains("The training service is not reachable").doesNotContain("Exception\n\tat");
    }

    @Test
    void approvingInTheConsoleRunsTheActionUnderTheApproversName() throws Exception {
        long id = f.signal("{\"kind\": \"low_confidence\", \"model_name\": \"" + model
                + "\", \"evidence\": {\"low_confidence_share\": 0.6}}").extract().jsonPath()
                .getLong("actions.find { it.action == 'retrain_model' }.id");

        String reader = session(f.project.readKey());
        String readerPage = page(reader, "/console/agent").body().asString();
        assertThat(readerPage).contains("#" + id + " retrain_model").contains("Deciding needs the approver role");
        Response refused = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, reader).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(readerPage)).when().post("/console/agent/actions/" + id + "/approve");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE id = ? AND status = 'pending_approval'", id)).isEqualTo(1);

        String approver = session(f.project.approverKey());
        String html = page(approver, "/console/agent").body().asString();
        assertThat(html).contains("id=\"approve-" + id + "\"");
        Response approved = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, approver)
                .contentType(ContentType.URLENC).formParam("csrf", csrf(html)).formParam("comment", "fine, go")
                .when().post("/console/agent/actions/" + id + "/approve");
        assertThat(approved.statusCode()).isEqualTo(303);
        assertThat(approved.header("Location")).contains("/console/agent?notice=");
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE id = ? AND status = 'succeeded' AND decided_by = 'approver' "
                + "AND decision_comment = 'fine, go'", id)).isEqualTo(1);
        String after = page(approver, "/console/agent").body().asString();
        assertThat(after).contains("data-status=\"succeeded\"").doesNotContain("id=\"approve-" + id + "\"");
    }

    @Test
    void predictShowsTheAnswerAndAShapChartAndRefusesBadNumbers() {
        String key = f.project.writeKey();
        stubs.inference.stubFor(get(urlPathEqualTo("/api/v1/models")).withHeader("Authorization", equalTo(bearer(key)))
                .willReturn(Downstream.json(200, "[{\"model\": \"" + model + "\", \"version\": 3}]")));
        stubs.inference.stubFor(get(urlPathEqualTo("/api/v1/models/" + model)).willReturn(Downstream.json(200,
                "{\"model\": \"" + model + "\", \"version\": 3, \"decision_threshold\": 0.5, \"feature_schema\": " + Fixtures.SCHEMA + "}")));
        stubs.inference.stubFor(get(urlPathEqualTo("/api/v1/predictions")).willReturn(Downstream.json(200,
                "[{\"request_id\": \"5f0c\", \"model\": \"" + model + "\", \"version\": 3, \"prediction\": 1.0, \"probability\": 0.8, "
                        + "\"latency_ms\": 0.21, \"predicted_at\": \"2026-12-02T10:00:00Z\", \"api_key_name\": \"writer\"}]")));
        stubs.inference.stubFor(post(urlPathEqualTo("/api/v1/predict")).willReturn(Downstream.json(200,
                "{\"request_id\": \"9a1b\", \"model\": \"" + model + "\", \"version\": 3, \"prediction\": 1.0, \"probability\": 0.83, "
                        + "\"threshold\": 0.5, \"contributions\": {\"age\": 0.9, \"plan\": -0.3, \"bias\": 0.1}}")));
        String s = session(key);
        String form = page(s, "/console/predict").body().asString();
        assertThat(form).contains("name=\"f.age\"").contains("<option value=\"premium\"").contains("0.210 ms").contains("5f0c");

        Response bad = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(form)).formParam("model", model).formParam("f.age", "forty").formParam("f.plan", "basic")
                .when().post("/console/predict");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body().asString()).contains("age: &#39;forty&#39; is not a number");

        Response ok = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(form)).formParam("model", model).formParam("f.age", "41").formParam("f.plan", "premium")
                .when().post("/console/predict");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body().asString()).contains("id=\"shap-chart\"").contains("<svg").contains("age: 0.900")
                .contains("0.8300").contains("contribution to the margin (log-odds)");
        stubs.inference.verify(postRequestedFor(urlPathEqualTo("/api/v1/predict")).withQueryParam("explain", equalTo("true"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"model\": \"" + model + "\", \"features\": {\"age\": 41.0, \"plan\": \"premium\"}}")));

        // a regression model answers a value: no class, probability or threshold to show
        stubs.inference.stubFor(post(urlPathEqualTo("/api/v1/predict")).willReturn(Downstream.json(200,
                "{\"request_id\": \"9a1c\", \"model\": \"" + model + "\", \"version\": 3, \"prediction\": 12.345678, "
                        + "\"contributions\": {\"age\": 2.5, \"plan\": -1.25, \"bias\": 11.0}}")));
        String value = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(form)).formParam("model", model).formParam("f.age", "41").formParam("f.plan", "premium")
                .when().post("/console/predict").then().statusCode(200).extract().body().asString();
        assertThat(value).contains("Predicted value").contains("12.3457").contains("Red pushes the value up")
                .contains("contribution to the predicted value")
                .doesNotContain("Predicted class").doesNotContain("<dt>Threshold</dt>");

        // a multi-class model explains its predicted class, one of the per-class explanations
        stubs.inference.stubFor(post(urlPathEqualTo("/api/v1/predict")).willReturn(Downstream.json(200,
                "{\"request_id\": \"9a1d\", \"model\": \"" + model + "\", \"version\": 3, \"prediction\": 2, "
                        + "\"probability\": 0.7, \"probabilities\": [0.1, 0.2, 0.7], "
                        + "\"contributions\": {\"age\": 1.5, \"plan\": 0.25, \"bias\": 0.5}, "
                        + "\"class_contributions\": [{\"age\": -1.0, \"plan\": 0.0, \"bias\": 0.5}, "
                        + "{\"age\": 0.0, \"plan\": 0.1, \"bias\": 0.5}, {\"age\": 1.5, \"plan\": 0.25, \"bias\": 0.5}]}")));
        String classes = given().redirects().follow(false).cookie(ConsoleSignInFilter.COOKIE, s).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(form)).formParam("model", model).formParam("f.age", "41").formParam("f.plan", "premium")
                .when().post("/console/predict").then().statusCode(200).extract().body().asString();
        assertThat(classes).contains("margin (its score before softmax)").contains("age: 1.500");
    }

    @Test
    void aRunPageRefreshesWhileRunningAndShowsTheResultsWhenDone() {
        String key = f.project.readKey();
        stubs.training.stubFor(get(urlPathEqualTo("/api/v1/training-runs/41")).withHeader("Authorization", equalTo(bearer(key)))
                .willReturn(Downstream.json(200, "{\"id\": 41, \"model_name\": \"" + model + "\", \"status\": \"running\", "
                        + "\"trigger\": \"manual\", \"progress\": {\"phase\": \"searching\", \"candidates_done\": 2, "
                        + "\"candidates_total\": 8, \"estimated_remaining_ms\": 95000}}")));
        stubs.training.stubFor(get(urlPathEqualTo("/api/v1/training-runs/42")).withHeader("Authorization", equalTo(bearer(key)))
                .willReturn(Downstream.json(200, "{\"id\": 42, \"model_name\": \"" + model + "\", \"status\": \"rejected\", "
                        + "\"trigger\": \"manual\", \"progress\": {\"phase\": \"finished\", \"candidates_done\": 2, "
                        + "\"candidates_total\": 2}, \"candidates\": ["
                        + "{\"family\": \"gradient_boosting\", \"mean_f1\": 0.71, \"std_f1\": 0.02, \"params\": {\"eta\": 0.1}},"
                        + "{\"family\": \"gradient_boosting\", \"mean_f1\": 0.74, \"std_f1\": 0.01, \"params\": {\"eta\": 0.3}}],"
                        + "\"best_params\": {\"family\": \"gradient_boosting\", \"params\": {\"eta\": 0.3, \"max_depth\": 4}},"
                        + "\"test_metrics\": {\"f1\": 0.7483, \"accuracy\": 0.69, \"confusion_matrix\": [[28, 32], [5, 55]], "
                        + "\"threshold\": 0.35}, \"roc_curve\": [[0, 0], [0.2, 0.7], [1, 1]], \"gate_result\": {\"promoted\": false, "
                        + "\"stage\": \"staging\", \"reason\": \"Kept in staging: short of the margin\", \"checks\": []}, "
                        + "\"registered_version\": 3}")));
        String s = session(key);

        String running = page(s, "/console/training/runs/41").body().asString();
        assertThat(running).contains("<meta http-equiv=\"refresh\" content=\"2\">").contains("2 of 8")
                .contains("1 min 35 s").doesNotContain("Cross-validation by family");

        String done = page(s, "/console/training/runs/42").body().asString();
        assertThat(done).doesNotContain("http-equiv=\"refresh\"").contains("Cross-validation by family")
                .contains("<td class=\"num\">2</td><td class=\"num\">0.7400</td>").contains("eta=0.3000, max_depth=4")
                .contains(">28<").contains(">55<").contains("ROC curve on the held-out test rows")
                .contains("Kept in staging: short of the margin").contains("Registered as")
                .doesNotContain("id=\"deploy-winner\""); // a reader may look, not deploy
    }
}
