package dev.keel.registry;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * Builds what a test needs through the API itself: a fresh project (unique name, so tests never
 * depend on what earlier runs left), keys of each role, and registered versions of the test models.
 */
public final class Fixtures {

    /** The bootstrap admin key of the test profile (application.properties). */
    public static final String BOOTSTRAP_KEY = "test-bootstrap-admin-key-2f8b1c9d4e7a6b3c";

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification asBootstrap() {
        return given().header("Authorization", "Bearer " + BOOTSTRAP_KEY);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** Creates a project and returns its name. */
    public static String newProject() {
        String name = unique("p");
        asBootstrap().contentType("application/json").body(Map.of("name", name))
                .when().post("/api/v1/projects")
                .then().statusCode(201);
        return name;
    }

    /** Creates a key with the role in the project and returns the secret. */
    public static String newKey(String project, String role) {
        return asBootstrap().contentType("application/json")
                .body(Map.of("name", unique(role), "role", role))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(201)
                .extract().path("key");
    }

    /** A project with a key of each role. */
    public record Project(String name, String read, String write, String admin, String approver) {
    }

    public static Project newProjectWithKeys() {
        String name = newProject();
        return new Project(name, newKey(name, "read"), newKey(name, "write"), newKey(name, "admin"), newKey(name, "approver"));
    }

    public static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String churnMetadata() {
        return new String(resource("models/churn-metadata.json"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The churn metadata with its recorded F1 replaced. */
    public static String churnMetadataWithF1(double f1) {
        return churnMetadata().replace("\"f1\": 0.8,", "\"f1\": " + f1 + ",");
    }

    /** Uploads the churn model with the metadata; returns the version number. */
    public static int registerChurn(String key, String model, String metadata) {
        return upload(key, model, resource("models/churn-model.json"), metadata)
                .then().statusCode(201)
                .extract().path("version");
    }

    public static io.restassured.response.Response upload(String key, String model, byte[] artifact, String metadata) {
        RequestSpecification request = as(key).multiPart("artifact", "model.json", artifact, "application/json");
        if (metadata != null) {
            request = request.multiPart("metadata", metadata, "application/json");
        }
        return request.when().post("/api/v1/models/" + model + "/versions");
    }

    /** The value of a Prometheus sample from /q/metrics with all the given labels, or null when there is none. */
    public static Double metric(String name, Map<String, String> labels) {
        String text = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelText = line.substring(name.length() + 1, line.lastIndexOf('}'));
            boolean all = labels.entrySet().stream()
                    .allMatch(l -> labelText.contains(l.getKey() + "=\"" + l.getValue() + "\""));
            if (all) {
                return Double.valueOf(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return null;
    }

    public static io.restassured.response.Response promote(String key, String model, int version, String stage) {
        return as(key).contentType("application/json")
                .body(Map.of("stage", stage, "reason", "test"))
                .when().post("/api/v1/models/" + model + "/versions/" + version + "/stage");
    }
}
