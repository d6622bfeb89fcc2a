package dev.keel.agent;

import dev.keel.agent.testing.Downstream;
import dev.keel.common.testing.ServiceContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class ServiceContractTest extends ServiceContract {
}
