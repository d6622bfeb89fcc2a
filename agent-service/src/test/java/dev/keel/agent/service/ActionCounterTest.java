package dev.keel.agent.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.domain.ActionStatus;
import dev.keel.agent.domain.AgentAction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keel_agent_actions_total is exported at zero for every action and status it can reach from the
 * start, so Prometheus' increase() sees the first failure of a kind (KeelAgentActionsFailing).
 */
@QuarkusTest
@TestProfile(ActionCounterTest.FreshStart.class)
class ActionCounterTest {

    /** A start of its own: no other test's action has been counted in it. */
    public static class FreshStart implements QuarkusTestProfile {
    }

    @Test
    void everySeriesAnActionCanReachIsExportedAtZeroBeforeAnyActionRuns() {
        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
        // series as Prometheus reads them, labels sorted ("…,status=\"failed\",} 0.0": the exposition's optional comma dropped)
        List<String> series = metrics.lines().filter(l -> l.startsWith("keel_agent_actions_total{"))
                .map(l -> l.replace(",}", "}")).toList();

        assertThat(series).contains("keel_agent_actions_total{action=\"generate_report\",risk=\"low\",status=\"failed\"} 0.0",
                "keel_agent_actions_total{action=\"rollback_model\",risk=\"high\",status=\"failed\"} 0.0");
        for (AgentAction action : AgentAction.ALL) {
            for (ActionStatus status : ActionStatus.values()) {
                String labels = "keel_agent_actions_total{action=\"" + action.name() + "\",risk=\"" + action.risk().wireName()
                        + "\",status=\"" + status.wireName() + "\"}";
                if (ActionCounter.reachable(action, status)) {
                    assertThat(series).contains(labels + " 0.0");
                } else {
                    assertThat(series).as("a low-risk action never waits for approval; none is counted running")
                            .noneMatch(l -> l.startsWith(labels));
                }
            }
        }
    }
}
