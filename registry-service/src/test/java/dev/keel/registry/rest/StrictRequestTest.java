package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.asBootstrap;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.keel.registry.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Common's strict reading of requests, over real HTTP: each of these was a 500 with an empty body,
 * a 404, or quietly read as something else before (a live audit sent them to every service).
 */
@QuarkusTest
class StrictRequestTest {

    @Test
    void aJsonKeyGivenTwiceIsA400NamingIt() {
        String name = unique("p");
        asBootstrap().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"description\":\"a\",\"name\":\"other\"}")
                .when().post("/api/v1/projects")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("name"))
                .body("detail", startsWith("name: given twice"));
        asBootstrap().when().get("/api/v1/projects/" + name).then().statusCode(404);
    }

    @Test
    void bytesAfterTheBodyAndCoercedScalarsAreRefused() {
        asBootstrap().contentType("application/json").body("{\"name\":\"" + unique("p") + "\"} {}")
                .when().post("/api/v1/projects")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("Request body holds more after its JSON value"));
        Fixtures.Project p = newProjectWithKeys();
        asBootstrap().contentType("application/json").body("{\"name\":\"k\",\"role\":0}")
                .when().post("/api/v1/projects/" + p.name() + "/keys")
                .then().statusCode(400).body("field", equalTo("role"));
        // an instant is ISO-8601 text, not epoch seconds; a number is not a string of digits
        asBootstrap().contentType("application/json").body("{\"name\":\"k\",\"role\":\"read\",\"expires_at\":4102444800}")
                .when().post("/api/v1/projects/" + p.name() + "/keys")
                .then().statusCode(400).body("field", equalTo("expires_at"));
        Fixtures.registerChurn(p.write(), "churn", Fixtures.churnMetadata());
        as(p.write()).contentType("application/json").body("{\"decision_threshold\":\"0.4\"}")
                .when().patch("/api/v1/models/churn/versions/1")
                .then().statusCode(400).body("field", equalTo("decision_threshold"));
        as(p.write()).contentType("application/json").body("{\"decision_threshold\":0.4}")
                .when().patch("/api/v1/models/churn/versions/1")
                .then().statusCode(200).body("decision_threshold", equalTo(0.4f));
    }

    @Test
    void aQueryParameterThatIsNotANumberIsA400NamingIt() {
        Fixtures.Project p = newProjectWithKeys();
        for (String page : new String[] {"abc", "99999999999", "1.5"}) {
            as(p.read()).queryParam("page", page).when().get("/api/v1/models")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("page"))
                    .body("detail", startsWith("page: must be an integer"));
        }
        as(p.read()).queryParam("size", "x").when().get("/api/v1/models")
                .then().statusCode(400).body("field", equalTo("size"));
        as(p.read()).queryParam("page", 10_737_419).queryParam("size", 200).when().get("/api/v1/models")
                .then().statusCode(400).body("field", equalTo("page"));
        as(p.read()).queryParam("page", "0").when().get("/api/v1/models").then().statusCode(200);
        // ?page= with no value is as if left out
        as(p.read()).when().get("/api/v1/models?page=&size=").then().statusCode(200).body("page", equalTo(0));
    }

    @Test
    void aCutOffMultipartBodyIsA400() {
        Fixtures.Project p = newProjectWithKeys();
        as(p.write()).contentType("multipart/form-data; boundary=x").body("--x\r\nbroken".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/api/v1/models/cut/versions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("The multipart body is cut off or malformed"));
    }

    @Test
    void aNulCharacterIsA400NamingItsField() {
        asBootstrap().contentType("application/json")
                .body("{\"name\":\"" + unique("p") + "\",\"description\":\"a\\u0000b\"}")
                .when().post("/api/v1/projects")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("description"))
                .body("detail", startsWith("description: holds a NUL character"));
    }
}
