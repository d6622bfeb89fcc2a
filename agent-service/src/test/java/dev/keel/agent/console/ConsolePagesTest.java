package dev.keel.agent.console;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every console page with an empty project and with a busy one (hundreds of versions and drift
 * reports, thousands of agent actions): each renders, and says what it shows. The server-side time
 * of each page (its Server-Timing header) is printed; the console's README quotes these figures.
 */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class ConsolePagesTest {

    static final List<String> FEATURES = List.of("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
            "oldpeak", "slope", "ca", "thal");

    @Inject
    DataSource dataSource;

    @InjectDownstream
    Downstream stubs;

    private static void stub(WireMockServer server, String path, String key, String body) {
        server.stubFor(get(urlPathEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + key))
                .willReturn(Downstream.json(200, body)));
    }

    /** The page, rendered five times: the first (cold) and the median server-side times are kept. */
    private static String timed(String session, String path, int status, Map<String, String> timings) {
        List<Double> ms = new ArrayList<>();
        Response r = null;
        for (int i = 0; i < 5; i++) {
            r = ConsoleTest.page(session, path);
            assertThat(r.statusCode()).as(path).isEqualTo(status);
            ms.add(Double.parseDouble(r.header("Server-Timing").replace("app;dur=", "")));
        }
        double first = ms.get(0);
        List<Double> sorted = ms.stream().sorted().toList();
        timings.put(path, String.format(Locale.ROOT, "first %7.1f ms, median %7.1f ms", first, sorted.get(2)));
        return r.body().asString();
    }

    @Test
    void everyPageRendersForAnEmptyProject() throws Exception {
        Fixtures f = new Fixtures(dataSource, "empty");
        String key = f.project.readKey();
        String emptyPage = "{\"items\": [], \"page\": 0, \"size\": 25, \"total\": 0}";
        stub(stubs.registry, "/api/v1/models", key, emptyPage);
        stub(stubs.training, "/api/v1/training-runs", key, emptyPage);
        stub(stubs.training, "/api/v1/datasets", key, emptyPage);
        stub(stubs.inference, "/api/v1/models", key, "[]");
        String s = ConsoleTest.session(key);
        Map<String, String> timings = new LinkedHashMap<>();
        assertThat(timed(s, "/console/models", 200, timings)).contains("No models yet in this project");
        assertThat(timed(s, "/console/training", 200, timings)).contains("No runs yet").contains("No datasets yet")
                .contains("may look but not upload");
        assertThat(timed(s, "/console/predict", 200, timings)).contains("Nothing is served yet");
        assertThat(timed(s, "/console/drift", 200, timings)).contains("No drift reports");
        assertThat(timed(s, "/console/quality", 200, timings)).contains("No quality figures");
        assertThat(timed(s, "/console/agent", 200, timings)).contains("Nothing is waiting for a decision")
                .contains("No open alerts").contains("has not acted in this project yet");
        report("empty project", timings);
    }

    @Test
    void everyPageRendersForABusyProject() throws Exception {
        Fixtures f = new Fixtures(dataSource, "busy");
        String key = f.project.approverKey();
        String model = Fixtures.model("busy");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        stub(stubs.registry, "/api/v1/models", key, page(models(model, 300), 200, 300));
        stub(stubs.registry, "/api/v1/models/" + model, key, "{\"name\": \"" + model + "\", \"production_version\": 400, "
                + "\"latest_version\": 400, \"effective_gate_thresholds\": {\"f1\": 0.7, \"rmse\": 1.25}}");
        stub(stubs.registry, "/api/v1/models/" + model + "/versions", key, page(versions(model, 400, 350, now), 50, 400));
        stub(stubs.registry, "/api/v1/models/" + model + "/history", key, page(history(model, 50, now), 50, 800));
        stub(stubs.training, "/api/v1/training-runs", key, page(runs(model, 25, now), 25, 900));
        stub(stubs.training, "/api/v1/datasets", key, page(datasets(25, now), 25, 300));
        stub(stubs.drift, "/api/v1/drift/reports", key, reports(model, 100, now));
        stub(stubs.drift, "/api/v1/performance", key, buckets(model, 500, now));
        stub(stubs.inference, "/api/v1/models", key, "[{\"model\": \"" + model + "\", \"version\": 400}]");
        stub(stubs.inference, "/api/v1/models/" + model, key, "{\"model\": \"" + model + "\", \"version\": 400, "
                + "\"decision_threshold\": 0.5, \"feature_schema\": " + schema() + "}");
        stub(stubs.inference, "/api/v1/predictions", key, predictions(model, 20, now));
        f.execute("INSERT INTO agent_actions (project_id, model_name, issue_kind, severity, action, risk, status, explanation, "
                + "evidence, params, proposed_by, decided_by, created_at) SELECT ?, ?, 'data_drift', 'warning', 'generate_report', "
                + "'low', 'succeeded', 'drift share ' || g || ' above the threshold', '{\"drift_share\": 0.41}', '{}', 'agent', "
                + "NULL, now() - g * interval '1 minute' FROM generate_series(1, 3000) g", f.project.id(), model);
        f.execute("INSERT INTO agent_actions (project_id, model_name, issue_kind, severity, action, risk, status, explanation, "
                + "evidence, params, proposed_by, expires_at) SELECT ?, ?, 'performance_degradation', 'critical', 'rollback_model', "
                + "'high', 'pending_approval', 'F1 fell', '{\"f1\": 0.52}', '{}', 'agent', now() + interval '1 day' "
                + "FROM generate_series(1, 40) g", f.project.id(), model);
        f.execute("INSERT INTO alerts (project_id, model_name, kind, severity, title, source) SELECT ?, 'model-' || g, "
                + "'data_drift', 'warning', 'drift on model-' || g, 'test' FROM generate_series(1, 100) g", f.project.id());

        String s = ConsoleTest.session(key);
        Map<String, String> timings = new LinkedHashMap<>();
        assertThat(timed(s, "/console/models", 200, timings)).contains("300 model(s)").contains("page 1 of 2")
                .contains("href=\"/console/models?page=1\"");
        assertThat(timed(s, "/console/models/" + model + "?compare=400&compare=399&compare=398", 200, timings))
                .contains("400 version(s), page 1 of 8").contains("Side by side").contains("older versions")
                .contains("f1 ≥ 0.7000, rmse ≤ 1.2500");
        assertThat(timed(s, "/console/training", 200, timings)).contains("#25").contains("dataset-24");
        assertThat(timed(s, "/console/predict", 200, timings)).contains("name=\"f.thalach\"");
        assertThat(timed(s, "/console/drift", 200, timings)).contains("Drift score per feature over time").contains("#100");
        assertThat(timed(s, "/console/quality", 200, timings)).contains("From feedback labels").contains("Estimated where labels");
        String agent = timed(s, "/console/agent", 200, timings);
        assertThat(agent).contains("Waiting for approval (40)").contains("The latest 50 of 3,040").contains("drift on model-100");
        report("busy project", timings);
    }

    private static void report(String what, Map<String, String> timings) {
        StringBuilder out = new StringBuilder("Console pages, " + what + " (server-side, Server-Timing):");
        timings.forEach((path, timing) -> out.append(String.format(Locale.ROOT, "%n  %-70s %s", path, timing)));
        System.out.println(out);
    }

    private static String page(List<String> items, int size, int total) {
        return "{\"items\": [" + String.join(",", items) + "], \"page\": 0, \"size\": " + size + ", \"total\": " + total + "}";
    }

    private static List<String> models(String model, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"name\": \"" + model + "-" + i + "\", \"production_version\": " + (i % 7 + 1) + ", \"latest_version\": "
                    + (i % 7 + 3) + ", \"updated_at\": \"2026-12-01T10:00:00Z\"}");
        }
        return out;
    }

    private static String schema() {
        StringJoiner j = new StringJoiner(",", "[", "]");
        FEATURES.forEach(name -> j.add("{\"name\": \"" + name + "\", \"type\": \"numeric\"}"));
        return j.toString();
    }

    private static List<String> versions(String model, int newest, int oldest, Instant now) {
        List<String> out = new ArrayList<>();
        for (int v = newest; v > oldest; v--) {
            out.add("{\"model\": \"" + model + "\", \"version\": " + v + ", \"stage\": \"" + (v == newest ? "production" : "archived")
                    + "\", \"algorithm\": \"xgboost\", \"params\": {\"max_depth\": 6, \"eta\": 0.1, \"n_estimators\": " + v
                    + "}, \"metrics\": {\"f1\": 0.8" + v % 10 + ", \"accuracy\": 0.85, \"roc_auc\": 0.9}, \"feature_schema\": "
                    + schema() + ", \"decision_threshold\": 0.5, \"created_by\": \"trainer\", \"created_at\": \""
                    + now.minus(newest - v, ChronoUnit.HOURS) + "\"}");
        }
        return out;
    }

    private static List<String> history(String model, int n, Instant now) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"model\": \"" + model + "\", \"version\": " + (400 - i) + ", \"kind\": \"stage\", \"from_stage\": \"staging\", "
                    + "\"to_stage\": \"production\", \"actor\": \"writer\", \"reason\": \"better F1\", \"forced\": false, "
                    + "\"gate_result\": {\"passed\": true, \"forced\": false, \"checks\": []}, \"created_at\": \""
                    + now.minus(i, ChronoUnit.HOURS) + "\"}");
        }
        return out;
    }

    private static List<String> runs(String model, int n, Instant now) {
        List<String> out = new ArrayList<>();
        for (int i = n; i > 0; i--) {
            out.add("{\"id\": " + i + ", \"model_name\": \"" + model + "\", \"status\": \"succeeded\", \"trigger\": \"schedule\", "
                    + "\"progress\": {\"phase\": \"finished\", \"candidates_done\": 32, \"candidates_total\": 32}, "
                    + "\"registered_version\": " + (375 + i) + ", \"created_at\": \"" + now.minus(i, ChronoUnit.DAYS) + "\"}");
        }
        return out;
    }

    private static List<String> datasets(int n, Instant now) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"id\": " + (i + 1) + ", \"name\": \"dataset-" + i + "\", \"row_count\": 10000, \"column_count\": 14, "
                    + "\"target_column\": \"target\", \"validation\": {\"trainable\": true}, \"created_at\": \"" + now + "\"}");
        }
        return out;
    }

    private static String reports(String model, int n, Instant now) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = n; i > 0; i--) {
            StringJoiner scores = new StringJoiner(",", "{", "}");
            for (int k = 0; k < FEATURES.size(); k++) {
                scores.add("\"" + FEATURES.get(k) + "\": " + String.format(Locale.ROOT, "%.3f", (k * 0.01 + i * 0.002) % 0.6));
            }
            j.add("{\"id\": " + i + ", \"model_name\": \"" + model + "\", \"model_version\": 400, \"trigger\": \"schedule\", "
                    + "\"window_start\": \"" + now.minus(i + 1, ChronoUnit.HOURS) + "\", \"window_end\": \"" + now.minus(i, ChronoUnit.HOURS)
                    + "\", \"current_rows\": 5000, \"dataset_drift\": " + (i % 3 == 0) + ", \"drift_share\": 0.2, \"drift_score\": 0.3, "
                    + "\"severity\": \"warning\", \"created_at\": \"" + now.minus(i, ChronoUnit.HOURS) + "\", \"feature_scores\": " + scores + "}");
        }
        return j.toString();
    }

    @Test
    void theQualityPageOfARegressionModelChartsItsErrors() throws Exception {
        Fixtures f = new Fixtures(dataSource, "regression");
        String key = f.project.readKey();
        String model = Fixtures.model("regression");
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        stub(stubs.registry, "/api/v1/models", key, page(models(model, 1), 200, 1));
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 3; i++) {
            j.add("{\"model_name\": \"" + model + "\", \"model_version\": 2, \"kind\": \"realized\", \"bucket_start\": \""
                    + now.minus(i, ChronoUnit.HOURS) + "\", \"sample_count\": 500, \"labelled_count\": 120, "
                    + "\"mae\": " + (1.25 + i) + ", \"rmse\": " + (1.75 + i) + "}");
        }
        stub(stubs.drift, "/api/v1/performance", key, j.toString());

        String html = ConsoleTest.page(ConsoleTest.session(key), "/console/quality?model=" + model).then().statusCode(200)
                .extract().body().asString();

        assertThat(html).contains("Error from feedback labels").contains("<th scope=\"col\" class=\"num\">RMSE</th>")
                .contains("MAE ").contains("1.250").contains("3.750")
                .doesNotContain("From feedback labels</h2>");
    }

    private static String buckets(String model, int n, Instant now) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            String kind = i % 2 == 0 ? "realized" : "estimated";
            j.add("{\"model_name\": \"" + model + "\", \"model_version\": 400, \"kind\": \"" + kind + "\", \"bucket_start\": \""
                    + now.minus(i / 2, ChronoUnit.HOURS) + "\", \"sample_count\": 1200, \"labelled_count\": 300, \"accuracy\": 0.84, "
                    + "\"f1\": 0.8, \"roc_auc\": 0.9, \"positive_rate\": 0.41, \"low_confidence_share\": 0.12}");
        }
        return j.toString();
    }

    private static String predictions(String model, int n, Instant now) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add("{\"request_id\": \"req-" + i + "\", \"model\": \"" + model + "\", \"version\": 400, \"prediction\": 1.0, "
                    + "\"probability\": 0.7, \"latency_ms\": 0.2, \"predicted_at\": \"" + now.minusSeconds(i) + "\"}");
        }
        return j.toString();
    }
}
