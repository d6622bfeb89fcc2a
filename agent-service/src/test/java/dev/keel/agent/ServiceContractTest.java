package dev.keel.agent;

import dev.keel.common.testing.ServiceContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServiceContractTest extends ServiceContract {
}
