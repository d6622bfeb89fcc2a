package dev.keel.inference.log;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;

/** The outage as a network failure: the service's connections to PostgreSQL are cut, new ones refused. */
@QuarkusTest
@TestProfile(DatabaseBehindRelay.class)
class PredictionLogOutageTest extends DatabaseOutageScenario {

    @Override
    void databaseGoes() throws IOException {
        DatabaseBehindRelay.relay.cut();
    }

    @Override
    void databaseReturns() throws IOException {
        DatabaseBehindRelay.relay.restore();
    }
}
