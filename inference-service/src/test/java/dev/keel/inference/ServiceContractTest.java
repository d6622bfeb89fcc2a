package dev.keel.inference;

import dev.keel.common.testing.ServiceContract;
import dev.keel.inference.support.RegistryStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

// The registry stub serves every test of this module (restrictToAnnotatedClass defaults to false).
@QuarkusTest
@QuarkusTestResource(RegistryStub.class)
class ServiceContractTest extends ServiceContract {

    /** Serving readiness reports the prediction log's database; Quarkus' check is off (PredictionLogOutageTest). */
    @Override
    protected String databaseReadinessCheck() {
        return "Model serving";
    }
}
