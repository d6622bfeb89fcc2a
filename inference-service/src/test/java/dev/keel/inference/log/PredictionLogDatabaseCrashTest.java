package dev.keel.inference.log;

import dev.keel.common.testing.RestartableDatabaseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * The outage as a database crash: the service's own PostgreSQL server is stopped without a
 * checkpoint ({@code pg_ctl stop -m immediate}) mid-load, and started again seconds later, so it
 * recovers from its write-ahead log while the service replays its spill file into it.
 */
@QuarkusTest
@TestProfile(PredictionLogDatabaseCrashTest.CrashingDatabase.class)
class PredictionLogDatabaseCrashTest extends DatabaseOutageScenario {

    @Override
    void databaseGoes() throws Exception {
        RestartableDatabaseProfile.server().crash();
    }

    @Override
    void databaseReturns() throws Exception {
        RestartableDatabaseProfile.server().startAgain();
    }

    public static class CrashingDatabase extends RestartableDatabaseProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new DatabaseBehindRelay().getConfigOverrides();
        }
    }
}
