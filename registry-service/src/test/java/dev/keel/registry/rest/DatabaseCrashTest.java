package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.promote;
import static dev.keel.registry.Fixtures.registerChurn;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.testing.RestartableDatabaseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * What the registry acknowledged survives a crash of its database (stopped without a checkpoint,
 * {@code pg_ctl stop -m immediate}, and started again); while it is down a request is answered 503
 * with {@code Retry-After}, and the service's first requests after it succeed without a restart of
 * its own.
 */
@QuarkusTest
@TestProfile(RestartableDatabaseProfile.class)
class DatabaseCrashTest {

    @Test
    void aPromotionAndItsAuditRowSurviveADatabaseCrash() throws Exception {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "production").then().statusCode(200);

        RestartableDatabaseProfile.server().crash();
        try {
            // the write key is cached, so its request gets as far as the database: a 503 to retry, not a 500
            as(p.write()).when().get("/api/v1/models/churn").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("detail", equalTo("The database is unreachable; retry in a few seconds"));
            // the read key has not been used yet: it cannot be verified
            as(p.read()).when().get("/api/v1/models/churn").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("detail", equalTo("Cannot verify API keys right now; retry shortly"));
        } finally {
            RestartableDatabaseProfile.server().startAgain();
        }

        as(p.read()).when().get("/api/v1/models/churn").then().statusCode(200).body("production_version", equalTo(1));
        promote(p.write(), "churn", 2, "production").then().statusCode(200);
        as(p.read()).when().get("/api/v1/models/churn/history").then().statusCode(200)
                .body("items.version", contains(2, 1, 1))
                .body("items.to_stage", contains("production", "archived", "production"));
    }
}
