package dev.keel.training.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finished-run counters exist for every status from the start, so the first failure is an increase an alert sees. */
@QuarkusTest
class TrainingMetricsTest {

    @Test
    void everyFinishedStatusHasItsSeriesBeforeAnyRunEndsThatWay() {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> series = metrics.lines().filter(l -> l.startsWith("keel_training_runs_finished_total{")).toList();
        for (String status : List.of("succeeded", "failed", "rejected", "cancelled")) {
            assertThat(series).as("the %s series", status).anyMatch(l -> l.contains("status=\"" + status + "\""));
        }
    }
}
