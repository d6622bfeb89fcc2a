package dev.keel.training.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.keel.common.testing.RestartableDatabaseProfile;
import dev.keel.training.testing.InjectRegistryStub;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A training run outlives a crash of the database (stopped without a checkpoint,
 * {@code pg_ctl stop -m immediate}, and started again seconds later): the worker keeps training
 * while its progress cannot be written, writes it once the database is back, and the run ends as
 * it would have without the crash, instead of failing minutes of work over seconds of outage.
 */
@QuarkusTest
@TestProfile(RestartableDatabaseProfile.class)
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class DatabaseCrashTest {

    private static final int CANDIDATES = 16;

    @Inject
    DataSource db;

    @InjectRegistryStub
    WireMockServer registry;

    @Test
    void aRunThatIsTrainingWhenTheDatabaseCrashesFinishes() throws Exception {
        TestProjects.Project project = TestProjects.create(db);
        String model = "crash-heart";
        registry.stubFor(post(urlPathEqualTo("/api/v1/models/" + model + "/versions"))
                .withQueryParam("project", equalTo(project.name()))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"model\": \"" + model + "\", \"version\": 1, \"stage\": \"none\", "
                                + "\"artifact_sha256\": \"ab\", \"created_by\": \"bootstrap-admin\"}")));
        long dataset = Runs.heartDataset(project, 1500, 31);
        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset
                + ", \"families\": [\"gradient_boosting\", \"random_forest\"], \"search\": {\"strategy\": \"random\", \"budget\": "
                + CANDIDATES + "}}");
        JsonPath before = Runs.awaitRun(project, runId, r -> r.getInt("progress.candidates_done") >= 1, Duration.ofSeconds(90));
        assertThat(before.getInt("progress.candidates_done")).as("still searching when the database crashes")
                .isLessThan(CANDIDATES);

        Instant crashed = Instant.now();
        RestartableDatabaseProfile.server().crashFor(Duration.ofSeconds(3));

        JsonPath run = Runs.awaitFinished(project, runId);
        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("progress.candidates_done")).isEqualTo(CANDIDATES);
        assertThat(run.getList("candidates")).hasSize(CANDIDATES);
        assertThat(run.getInt("registered_version")).isEqualTo(1);
        assertThat(OffsetDateTime.parse(run.getString("finished_at")).toInstant()).as("finished after the crash")
                .isAfter(crashed);
    }
}
