package dev.keel.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every endpoint, each with a summary and an example of its success. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyEndpointIsDocumentedWithASummaryAndAnExample() {
        JsonPath doc = given().accept("application/json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        assertThat(paths.keySet()).contains(
                "/api/v1/projects", "/api/v1/projects/{project}", "/api/v1/projects/{project}/keys",
                "/api/v1/projects/{project}/keys/{key}", "/api/v1/models", "/api/v1/models/{name}",
                "/api/v1/models/{name}/rollback", "/api/v1/models/{name}/history", "/api/v1/models/{name}/production",
                "/api/v1/models/{name}/stages/{stage}", "/api/v1/models/{name}/versions",
                "/api/v1/models/{name}/versions/{version}", "/api/v1/models/{name}/versions/{version}/artifact",
                "/api/v1/models/{name}/versions/{version}/stage", "/api/v1/models/{name}/versions/{version}/evaluate",
                "/api/v1/production-versions");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!path.startsWith("/api/v1/")) {
                return;
            }
            String where = method.toUpperCase() + " " + path;
            assertThat(operation.get("summary")).as(where + " summary").isNotNull();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
            assertThat(responses).as(where + " responses").containsKey("401");
            responses.entrySet().stream()
                    .filter(r -> r.getKey().startsWith("2") && !r.getKey().equals("204"))
                    .forEach(r -> assertThat(String.valueOf(r.getValue().get("content"))).as(where + " " + r.getKey() + " example")
                            .contains("example"));
        }));
        List<Object> schemes = List.copyOf(doc.getMap("components.securitySchemes").keySet());
        assertThat(schemes).contains("bearer", "apiKey");
    }
}
