package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.asBootstrap;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.registerChurn;
import static dev.keel.registry.Fixtures.resource;
import static dev.keel.registry.Fixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.keel.common.model.XgbModel;
import dev.keel.registry.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Versions are numbered per model, carry their metadata and an artifact the runtime can load. */
@QuarkusTest
class VersionTest {

    @Inject
    DataSource db;

    @Test
    void uploadingAVersionCreatesTheModelAndNumbersVersionsFromOne() {
        var p = newProjectWithKeys();
        upload(p.write(), "churn", resource("models/churn-model.json"), churnMetadata())
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/models/churn/versions/1"))
                .body("model", equalTo("churn"))
                .body("version", equalTo(1))
                .body("stage", equalTo("none"))
                .body("algorithm", equalTo("xgboost-gbtree"))
                .body("params.max_depth", equalTo(3))
                .body("params.objective", equalTo("binary:logistic"))
                .body("metrics.f1", equalTo(0.8f))
                .body("metrics.roc_auc", equalTo(0.9f))
                .body("metrics.confusion_matrix", contains(contains(140, 18), contains(22, 120)))
                .body("feature_schema.name", contains("tenure_months", "monthly_charges", "support_calls", "has_contract", "plan"))
                .body("feature_schema[4].categories", contains("basic", "standard", "premium"))
                .body("baseline_stats.tenure_months.max", equalTo(71))
                .body("decision_threshold", equalTo(0.5f))
                .body("dataset_fingerprint", startsWith("3b7e2f0c"))
                .body("artifact.format", equalTo("xgboost-json"))
                .body("artifact.sha256", equalTo(sha256Hex(resource("models/churn-model.json"))))
                .body("artifact.size", equalTo(resource("models/churn-model.json").length))
                .body("created_by", startsWith("write-"));
        assertThat(registerChurn(p.write(), "churn", churnMetadata())).isEqualTo(2);
        assertThat(registerChurn(p.write(), "churn", null)).isEqualTo(3);

        as(p.read()).when().get("/api/v1/models/churn/versions")
                .then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.version", contains(3, 2, 1));
        as(p.read()).queryParam("size", 1).queryParam("page", 1).when().get("/api/v1/models/churn/versions")
                .then().statusCode(200).body("items.version", contains(2)).body("size", equalTo(1));
        as(p.read()).when().get("/api/v1/models/churn/versions/2").then().statusCode(200).body("version", equalTo(2));
        as(p.read()).when().get("/api/v1/models/churn/versions/9").then().statusCode(404);
        as(p.read()).when().get("/api/v1/models/churn").then().statusCode(200).body("latest_version", equalTo(3));
    }

    @Test
    void featureNamesComeFromTheModelFileWhenTheCallerGivesNone() {
        var p = newProjectWithKeys();
        upload(p.write(), "trained-elsewhere", resource("models/churn-model.json"), null)
                .then().statusCode(201)
                .body("feature_schema.name", contains("tenure_months", "monthly_charges", "support_calls", "has_contract", "plan"))
                .body("feature_schema.type", contains("numeric", "numeric", "numeric", "boolean", "categorical"))
                .body("metrics.f1", nullValue());
        upload(p.write(), "unnamed", resource("models/unnamed-model.json"), null)
                .then().statusCode(201)
                .body("feature_schema.name", contains("f0", "f1", "f2", "f3", "f4"));
    }

    @Test
    void anUnnamedModelTakesTheCallersFeatureNames() {
        var p = newProjectWithKeys();
        String metadata = churnMetadata().replace("{\"name\": \"plan\", \"type\": \"categorical\", \"categories\": "
                + "[\"basic\", \"standard\", \"premium\"]}", "{\"name\": \"plan_code\", \"type\": \"numeric\"}");
        upload(p.write(), "unnamed", resource("models/unnamed-model.json"), metadata)
                .then().statusCode(201)
                .body("feature_schema.name", hasItem("plan_code"));
    }

    @Test
    void aSchemaThatDoesNotFitTheModelFileIs422() {
        var p = newProjectWithKeys();
        String renamed = churnMetadata().replace("\"tenure_months\", \"type\"", "\"tenure\", \"type\"");
        upload(p.write(), "churn", resource("models/churn-model.json"), renamed)
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("metadata.feature_schema[0].name"))
                .body("detail", containsString("the model file names feature 0 'tenure_months'"));
        String shorter = "{\"feature_schema\": [{\"name\": \"a\", \"type\": \"numeric\"}]}";
        upload(p.write(), "churn", resource("models/churn-model.json"), shorter)
                .then().statusCode(422)
                .body("detail", containsString("lists 1 features; the model takes 5"));
        String notCategorical = churnMetadata().replace("{\"name\": \"plan\", \"type\": \"categorical\", \"categories\": "
                + "[\"basic\", \"standard\", \"premium\"]}", "{\"name\": \"plan\", \"type\": \"numeric\"}");
        upload(p.write(), "churn", resource("models/churn-model.json"), notCategorical)
                .then().statusCode(422).body("field", equalTo("metadata.feature_schema[4].type"));
    }

    @Test
    void aModelSavedAsUbjsonIsRegisteredAndKeptAsTheSameModelInJson() {
        var p = newProjectWithKeys();
        byte[] ubjson = resource("models/churn-model.ubj");
        upload(p.write(), "churn-ubj", ubjson, churnMetadata()).then().statusCode(201)
                .body("artifact.format", equalTo("xgboost-json"))
                .body("feature_schema.name", contains("tenure_months", "monthly_charges", "support_calls", "has_contract", "plan"));
        byte[] stored = as(p.read()).when().get("/api/v1/models/churn-ubj/versions/1/artifact")
                .then().statusCode(200).contentType("application/json").extract().asByteArray();
        assertThat(stored[0]).isEqualTo((byte) '{');
        assertThat(new String(stored, StandardCharsets.UTF_8)).contains("\"learner\"");
        // what XGBoost itself (Python 1.7.4, which wrote the file) predicts from the .ubj for these rows
        XgbModel kept = XgbModel.load(stored);
        float[][] rows = {{3, 70.5f, 4, 0, 2}, {48, 20, 0, 1, 0}, {12, 99, 7, 0, Float.NaN}, {Float.NaN, 55, 1, 1, 1}};
        double[] xgboostMargins = {4.181334972381592, -4.276515960693359, 6.4545207023620605, -5.55420446395874};
        for (int r = 0; r < rows.length; r++) {
            assertThat((double) kept.predictMargin(rows[r])[0]).as("row %d", r).isCloseTo(xgboostMargins[r], within(1e-5));
        }
    }

    @Test
    void aCorruptArtifactIs422SayingWhatIsWrong() {
        var p = newProjectWithKeys();
        byte[] model = resource("models/churn-model.json");
        upload(p.write(), "churn", Arrays.copyOf(model, model.length / 2), null)
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("artifact"))
                .body("detail", startsWith("artifact: not a usable XGBoost model: model is neither XGBoost's JSON nor its UBJSON"));
        upload(p.write(), "churn", "{\"weights\": [1, 2, 3]}".getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(422)
                .body("detail", equalTo("artifact: not a usable XGBoost model: JSON document is not an XGBoost "
                        + "model: it has no 'learner' object"));
        upload(p.write(), "churn", new byte[] {(byte) 0x7b, (byte) 0x4c, 0, 0, 0, 1}, null)
                .then().statusCode(422).body("field", equalTo("artifact"));
        String brokenTree = new String(model, StandardCharsets.UTF_8).replace("\"objective\":{\"name\":\"binary:logistic\"",
                "\"objective\":{\"name\":\"binary:focal\"");
        upload(p.write(), "churn", brokenTree.getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(422).body("detail", containsString("unsupported objective 'binary:focal'"));
        upload(p.write(), "churn", resource("models/hand-made-two-targets.json"), null)
                .then().statusCode(422).body("field", equalTo("artifact"))
                .body("detail", equalTo("artifact: the model predicts 2 targets per row (num_target); Keel serves "
                        + "single-target models (binary, multi-class, regression)"));
        as(p.read()).when().get("/api/v1/models/churn").then().statusCode(404);
    }

    @Test
    void aTrainingRunsVersionIsRegisteredOnceHoweverOftenTheRunUploadsIt() throws Exception {
        var p = newProjectWithKeys();
        long run = trainingRun(p.name(), "churn");
        String metadata = churnMetadata().replaceFirst("\\{", "{\"training_run_id\": " + run + ",");
        byte[] model = resource("models/churn-model.json");
        assertThat(registerChurn(p.write(), "churn", churnMetadata())).isEqualTo(1);

        // a client that lost the answers sends the same upload again, some of the copies at once
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Response>> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            copies.add(clients.submit(() -> upload(p.write(), "churn", model, metadata)));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> copy : copies) {
            Response answer = copy.get(30, TimeUnit.SECONDS);
            answer.then().body("version", equalTo(2)).body("training_run_id", equalTo((int) run));
            statuses.add(answer.statusCode());
        }
        clients.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(201, 200, 200, 200);
        upload(p.write(), "churn", model, metadata).then().statusCode(200)
                .header("Content-Location", endsWith("/api/v1/models/churn/versions/2"))
                .body("version", equalTo(2)).body("artifact.sha256", equalTo(sha256Hex(model)));

        byte[] retrained = (new String(model, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        upload(p.write(), "churn", retrained, metadata).then().statusCode(409)
                .body("field", equalTo("metadata.training_run_id"))
                .body("detail", equalTo("metadata.training_run_id: training run " + run + " already registered churn v2 "
                        + "with a different artifact (sha256 " + sha256Hex(model) + ")"));
        as(p.read()).when().get("/api/v1/models/churn/versions").then().statusCode(200)
                .body("items.version", contains(2, 1));
    }

    @Test
    void aVersionUploadedWhileItsModelIsDeletedMakesTheModelAgain() throws Exception {
        var p = newProjectWithKeys();
        byte[] model = resource("models/churn-model.json");
        assertThat(registerChurn(p.write(), "churn", churnMetadata())).isEqualTo(1);
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try (Connection held = db.getConnection()) {
            // the model's row lock is held here, so the deletion and the uploads queue behind it in that order:
            // the uploads have found the model's row (and made none) before the deletion removes it
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement("SELECT m.id FROM registered_models m JOIN projects p "
                    + "ON p.id = m.project_id WHERE p.name = ? AND m.name = 'churn' FOR UPDATE")) {
                lock.setString(1, p.name());
                lock.executeQuery().close();
            }
            Future<Response> deletion = clients.submit(() -> as(p.admin()).when().delete("/api/v1/models/churn"));
            awaitWaitingForLocks(1);
            List<Future<Response>> uploads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                uploads.add(clients.submit(() -> upload(p.write(), "churn", model, churnMetadata())));
            }
            awaitWaitingForLocks(3);
            held.rollback();
            assertThat(deletion.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            List<Integer> versions = new ArrayList<>();
            for (Future<Response> upload : uploads) {
                Response answer = upload.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(201);
                versions.add(answer.path("version"));
            }
            assertThat(versions).containsExactlyInAnyOrder(1, 2);
        } finally {
            clients.shutdown();
        }
        as(p.read()).when().get("/api/v1/models/churn/versions").then().statusCode(200)
                .body("items.version", contains(2, 1));
    }

    /** Waits until {@code count} sessions of this database wait for a lock on a model row. */
    private void awaitWaitingForLocks(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%registered_models%'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= count) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(count + " requests never waited for the model's row lock");
    }

    @Test
    void regressionErrorsAndAMultiClassMatrixAreRecordedAsMetrics() {
        var p = newProjectWithKeys();
        upload(p.write(), "price", resource("models/hand-made-regression.json"),
                "{\"metrics\": {\"mae\": 0.9, \"rmse\": 1.25, \"r2\": -0.5}}")
                .then().statusCode(201)
                .body("params.objective", equalTo("reg:squarederror"))
                .body("metrics.mae", equalTo(0.9f)).body("metrics.rmse", equalTo(1.25f)).body("metrics.r2", equalTo(-0.5f));
        upload(p.write(), "species", resource("models/hand-made-multiclass.json"),
                "{\"metrics\": {\"accuracy\": 0.8, \"confusion_matrix\": [[5, 1, 0], [0, 4, 1], [1, 0, 3]]}}")
                .then().statusCode(201).body("metrics.confusion_matrix", contains(contains(5, 1, 0), contains(0, 4, 1),
                        contains(1, 0, 3)));
        upload(p.write(), "price", resource("models/hand-made-regression.json"), "{\"metrics\": {\"rmse\": -1}}")
                .then().statusCode(400).body("field", equalTo("metadata.metrics.rmse"));
        upload(p.write(), "price", resource("models/hand-made-regression.json"), "{\"metrics\": {\"r2\": 1.5}}")
                .then().statusCode(400).body("field", equalTo("metadata.metrics.r2"));
    }

    @Test
    void aMultipartBodyWithoutAnArtifactOrWithBadMetadataIs400() {
        var p = newProjectWithKeys();
        as(p.write()).multiPart("metadata", churnMetadata(), "application/json")
                .when().post("/api/v1/models/churn/versions")
                .then().statusCode(400).body("field", equalTo("artifact"));
        upload(p.write(), "churn", resource("models/churn-model.json"), "{\"metrics\": {\"f1\": 1.7}}")
                .then().statusCode(400).body("field", equalTo("metadata.metrics.f1"));
        upload(p.write(), "churn", resource("models/churn-model.json"), "{\"colour\": \"blue\"}")
                .then().statusCode(400).body("field", equalTo("metadata.colour"));
        upload(p.write(), "churn", resource("models/churn-model.json"), "{\"metrics\": {\"confusion_matrix\": [[1, 2, 3]]}}")
                .then().statusCode(422).body("field", equalTo("metadata.metrics.confusion_matrix"));
        upload(p.write(), "churn", resource("models/churn-model.json"), "{\"training_run_id\": 987654321}")
                .then().statusCode(422).body("field", equalTo("metadata.training_run_id"));
        upload(p.write(), "not a name!", resource("models/churn-model.json"), null).then().statusCode(400);
    }

    @Test
    void metadataOfTheWrongJsonTypesIsRefusedNamingTheFieldInJsonWordsNotJavaClasses() {
        var p = newProjectWithKeys();
        byte[] model = resource("models/churn-model.json");
        Map<String, String[]> refusals = Map.of(
                "{\"metrics\": {\"f1\": \"high\"}}",
                new String[] {"metadata.metrics.f1", "metadata.metrics.f1: Value 'high' has the wrong type; expected a number"},
                "{\"feature_schema\": {\"name\": \"plan\"}}",
                new String[] {"metadata.feature_schema", "metadata.feature_schema: Wrong JSON type; expected an array"},
                "{\"params\": \"deep\"}",
                new String[] {"metadata.params", "metadata.params: Wrong JSON type; expected an object"},
                "[1, 2]",
                new String[] {"metadata", "metadata: Wrong JSON type; expected an object"},
                "{\"metrics\": {\"f1\": 0.8}",
                new String[] {"metadata", "metadata: the part is not valid JSON (line 1, column 24)"},
                "{\"metrics\": {\"f1\": 0.8, \"f1\": 0.9}}",
                new String[] {"metadata.metrics.f1", "metadata.metrics.f1: given twice in the part (line 1, column 29)"},
                "{\"metrics\": {\"f1\": 0.8}, \"training_run_id\": 99999999999999999999}",
                new String[] {"metadata.training_run_id", "metadata.training_run_id: a number out of range (line 1, column 65): "
                        + "99999999999999999999 is out of range of long (-9223372036854775808 - 9223372036854775807)"});
        refusals.forEach((metadata, expected) -> {
            String detail = upload(p.write(), "churn", model, metadata)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(expected[0]))
                    .extract().path("detail");
            assertThat(detail).as(metadata).isEqualTo(expected[1])
                    .doesNotContain("java.").doesNotContain("dev.keel").doesNotContain("Cannot deserialize");
        });
        as(p.read()).when().get("/api/v1/models/churn").then().statusCode(404);
    }

    @Test
    void theArtifactDownloadsWithItsChecksum() throws Exception {
        var p = newProjectWithKeys();
        byte[] original = resource("models/churn-model.json");
        registerChurn(p.write(), "churn", churnMetadata());
        Response download = as(p.read()).when().get("/api/v1/models/churn/versions/1/artifact");
        download.then().statusCode(200)
                .contentType("application/json")
                .header("Content-Disposition", "attachment; filename=\"churn-v1.json\"");
        byte[] body = download.asByteArray();
        String sha = sha256Hex(body);
        assertThat(body).isEqualTo(original);
        assertThat(download.header("X-Checksum-SHA256")).isEqualTo(sha);
        assertThat(download.header("Digest")).isEqualTo("sha-256=" + Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(download.header("ETag")).isEqualTo("\"" + sha + "\"");

        as(p.read()).header("If-None-Match", "\"" + sha + "\"").when().get("/api/v1/models/churn/versions/1/artifact")
                .then().statusCode(304);
        // generic download clients (and inference-service) ask for octet-stream: same bytes
        byte[] asOctets = as(p.read()).accept("application/octet-stream")
                .when().get("/api/v1/models/churn/versions/1/artifact")
                .then().statusCode(200).extract().asByteArray();
        assertThat(asOctets).isEqualTo(original);
    }

    @Test
    void changingTheDecisionThresholdIsAudited() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        as(p.read()).contentType("application/json").body(Map.of("decision_threshold", 0.4))
                .when().patch("/api/v1/models/churn/versions/1").then().statusCode(403);
        as(p.write()).contentType("application/json").body(Map.of("decision_threshold", 1.4))
                .when().patch("/api/v1/models/churn/versions/1").then().statusCode(400)
                .body("field", equalTo("decision_threshold"));
        as(p.write()).contentType("application/json")
                .body(Map.of("decision_threshold", 0.42, "reason", "recall dropped"))
                .when().patch("/api/v1/models/churn/versions/1")
                .then().statusCode(200).body("decision_threshold", equalTo(0.42f));

        as(p.read()).when().get("/api/v1/models/churn/history")
                .then().statusCode(200)
                .body("items[0].kind", equalTo("threshold"))
                .body("items[0].version", equalTo(1))
                .body("items[0].reason", equalTo("recall dropped"))
                .body("items[0].actor", startsWith("write-"))
                .body("items[0].details.decision_threshold.from", equalTo(0.5f))
                .body("items[0].details.decision_threshold.to", equalTo(0.42f));
    }

    @Test
    void theBootstrapKeyRegistersIntoTheProjectItNames() {
        var p = newProjectWithKeys();
        asBootstrap().queryParam("project", p.name())
                .multiPart("artifact", "model.json", resource("models/churn-model.json"), "application/json")
                .when().post("/api/v1/models/churn/versions")
                .then().statusCode(201).body("created_by", equalTo("bootstrap-admin"));
        as(p.read()).when().get("/api/v1/models/churn/versions/1").then().statusCode(200);
        Fixtures.asBootstrap().multiPart("artifact", "model.json", resource("models/churn-model.json"), "application/json")
                .when().post("/api/v1/models/churn/versions")
                .then().statusCode(400).body("field", equalTo("project"));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A training run of the project, as training-service would have queued it. */
    private long trainingRun(String project, String model) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO training_runs (project_id, model_name, trigger, triggered_by)
                SELECT id, ?, 'manual', 'test' FROM projects WHERE name = ? RETURNING id""")) {
            insert.setString(1, model);
            insert.setString(2, project);
            try (ResultSet rs = insert.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }
}
