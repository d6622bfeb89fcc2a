package dev.keel.training;

import dev.keel.common.testing.ServiceContract;
import dev.keel.training.testing.RegistryStub;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class ServiceContractTest extends ServiceContract {
}
