package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.asBootstrap;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.promote;
import static dev.keel.registry.Fixtures.registerChurn;
import static dev.keel.registry.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What serving reads: the version in a stage, and every production version, cheaply polled by ETag. */
@QuarkusTest
class DeploymentTest {

    @Test
    void theProductionVersionCarriesWhatInferenceNeedsAndAnETag() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        as(p.read()).when().get("/api/v1/models/churn/production")
                .then().statusCode(404).body("detail", equalTo("Model 'churn' has no version in production"));
        promote(p.write(), "churn", 1, "production").then().statusCode(200);

        String etag = as(p.read()).when().get("/api/v1/models/churn/production")
                .then().statusCode(200)
                .header("Cache-Control", containsString("no-cache"))
                .body("project", equalTo(p.name()))
                .body("model", equalTo("churn"))
                .body("version", equalTo(1))
                .body("stage", equalTo("production"))
                .body("objective", equalTo("binary:logistic"))
                .body("decision_threshold", equalTo(0.5f))
                .body("feature_schema.name", contains("tenure_months", "monthly_charges", "support_calls", "has_contract", "plan"))
                .body("artifact.sha256", equalTo(VersionTest.sha256Hex(resource("models/churn-model.json"))))
                .body("artifact.download", equalTo("/api/v1/models/churn/versions/1/artifact"))
                .extract().header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{64}\"");

        as(p.read()).header("If-None-Match", etag).when().get("/api/v1/models/churn/production")
                .then().statusCode(304).header("ETag", etag);

        as(p.write()).contentType("application/json").body(Map.of("decision_threshold", 0.3))
                .when().patch("/api/v1/models/churn/versions/1").then().statusCode(200);
        String changed = as(p.read()).header("If-None-Match", etag).when().get("/api/v1/models/churn/production")
                .then().statusCode(200).body("decision_threshold", equalTo(0.3f)).extract().header("ETag");
        assertThat(changed).isNotEqualTo(etag);
    }

    @Test
    void aVersionIsFoundByStageOrAsTheLatest() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "staging").then().statusCode(200);
        as(p.read()).when().get("/api/v1/models/churn/stages/staging").then().statusCode(200).body("version", equalTo(1));
        as(p.read()).when().get("/api/v1/models/churn/stages/none").then().statusCode(200).body("version", equalTo(2));
        as(p.read()).when().get("/api/v1/models/churn/stages/latest").then().statusCode(200).body("version", equalTo(2));
        as(p.read()).when().get("/api/v1/models/churn/stages/archived").then().statusCode(404);
        as(p.read()).when().get("/api/v1/models/churn/stages/live").then().statusCode(400).body("field", equalTo("stage"));
    }

    @Test
    void inferencePollsEveryProductionVersionWithTheBootstrapKey() {
        var a = newProjectWithKeys();
        var b = newProjectWithKeys();
        registerChurn(a.write(), "churn", churnMetadata());
        registerChurn(b.write(), "fraud", churnMetadata());
        promote(a.write(), "churn", 1, "production").then().statusCode(200);

        String etag = asBootstrap().when().get("/api/v1/production-versions")
                .then().statusCode(200)
                .body("versions.find { it.project == '" + a.name() + "' }.model", equalTo("churn"))
                .body("versions.find { it.project == '" + a.name() + "' }.artifact.sha256",
                        equalTo(VersionTest.sha256Hex(resource("models/churn-model.json"))))
                .body("versions.find { it.project == '" + a.name() + "' }.feature_schema.size()", equalTo(5))
                .body("versions.project", org.hamcrest.Matchers.not(hasItem(b.name())))
                .extract().header("ETag");
        asBootstrap().header("If-None-Match", etag).when().get("/api/v1/production-versions").then().statusCode(304);

        promote(b.write(), "fraud", 1, "production").then().statusCode(200);
        asBootstrap().header("If-None-Match", etag).when().get("/api/v1/production-versions")
                .then().statusCode(200).body("versions.project", hasItem(b.name()));

        List<String> ownOnly = as(a.read()).when().get("/api/v1/production-versions")
                .then().statusCode(200).extract().path("versions.project");
        assertThat(ownOnly).containsExactly(a.name());
    }
}
