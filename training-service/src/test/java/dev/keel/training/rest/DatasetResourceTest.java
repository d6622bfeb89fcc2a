package dev.keel.training.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.keel.training.data.HeartData;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class DatasetResourceTest {

    @Inject
    DataSource db;

    TestProjects.Project project;

    @BeforeEach
    void project() {
        project = TestProjects.create(db);
    }

    @Test
    void anUploadIsStoredWithItsFingerprintCountsTypesAndValidationReport() throws Exception {
        byte[] csv = resource("mixed-types.csv");

        Response created = project.asAdmin().contentType("text/csv").body(csv)
                .queryParam("name", "mixed").queryParam("target", "diagnosis")
                .when().post("/api/v1/datasets")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/datasets/"))
                .body("name", equalTo("mixed"))
                .body("fingerprint", equalTo(sha256(csv)))
                .body("row_count", equalTo(6))
                .body("column_count", equalTo(6))
                .body("size_bytes", equalTo(csv.length))
                .body("target_column", equalTo("diagnosis"))
                .body("positive_class", equalTo("present"))
                .body("created_by", equalTo("bootstrap-admin"))
                .body("columns.find { it.name == 'age' }.type", equalTo("numeric"))
                .body("columns.find { it.name == 'smoker' }.type", equalTo("boolean"))
                .body("columns.find { it.name == 'thal' }.type", equalTo("categorical"))
                .body("columns.find { it.name == 'thal' }.categories", equalTo(java.util.List.of("fixed", "normal", "reversible")))
                .body("columns.find { it.name == 'age' }.categories", nullValue())
                .body("validation.missing_values.chol", equalTo(2))
                .body("validation.missing_values.age", equalTo(0))
                .body("validation.duplicate_rows", equalTo(1))
                .body("validation.class_balance.present", equalTo(3))
                .body("validation.class_balance.absent", equalTo(3))
                .body("validation.too_few_rows_per_class", equalTo(true))
                .body("validation.trainable", equalTo(false))
                .extract().response();

        long id = created.jsonPath().getLong("id");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.project_id, d.fingerprint, c.content FROM datasets d JOIN dataset_contents c ON c.dataset_id = d.id WHERE d.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(project.id());
                assertThat(rs.getString(2)).isEqualTo(sha256(csv));
                assertThat(rs.getBytes(3)).isEqualTo(csv);
            }
        }
        byte[] downloaded = project.asAdmin().when().get("/api/v1/datasets/" + id + "/content")
                .then().statusCode(200).header("X-Checksum-SHA256", sha256(csv)).extract().asByteArray();
        assertThat(downloaded).isEqualTo(csv);
    }

    @Test
    void aFormUploadTakesItsNameFromTheFileAndTheTargetDefaultsToTheLastColumn() {
        String csv = HeartData.csv(300, 3);

        project.asAdmin().multiPart("file", "heart.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/datasets")
                .then().statusCode(201)
                .body("name", equalTo("heart.csv"))
                .body("target_column", equalTo("target"))
                .body("positive_class", equalTo("1"))
                .body("row_count", equalTo(300))
                .body("columns", hasSize(14))
                .body("columns.find { it.name == 'sex' }.type", equalTo("boolean"))
                .body("columns.find { it.name == 'oldpeak' }.type", equalTo("numeric"))
                .body("validation.trainable", equalTo(true));
    }

    @ParameterizedTest(name = "{0} → 422 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "empty.csv          |                   | The file is empty",
            "header-only.csv    |                   | The file has a header but no data rows",
            "ragged.csv         |                   | Line 4 has 3 fields but the header has 4",
            "one-class.csv      | target            | has only one class [1]",
            "garbage-number.csv | chol              | Column 'chol' holds numbers, but line 6 has 'abc'",
            "missing-label.csv  | target            | has no value on line 4",
            "three-classes.csv  | target            | has a third class '2' on line 4",
    })
    void aFileThatCannotBeTrainedOnIsRefusedNamingTheColumnAndLine(String file, String field, String detail) throws IOException {
        project.asAdmin().contentType("text/csv").body(resource(file))
                .when().post("/api/v1/datasets")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("field", equalTo(field))
                .body("detail", containsString(detail));
    }

    @Test
    void aTargetColumnThatDoesNotExistIsRefused() throws IOException {
        project.asAdmin().contentType("text/csv").body(resource("garbage-number.csv")).queryParam("target", "outcome")
                .when().post("/api/v1/datasets")
                .then().statusCode(422)
                .body("field", equalTo("target"))
                .body("detail", containsString("There is no target column 'outcome' in the header (line 1)"));
    }

    @Test
    void nothingIsStoredWhenAFileIsRefused() throws Exception {
        project.asAdmin().contentType("text/csv").body(resource("ragged.csv")).when().post("/api/v1/datasets")
                .then().statusCode(422);
        project.asAdmin().when().get("/api/v1/datasets").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aNulCharacterInAnUploadIsTheClientsErrorNotTheServers() {
        // PostgreSQL's text never holds U+0000: a 400 saying so, not a 500 with an error id
        project.asAdmin().contentType("text/csv").body(HeartData.csv(100, 2)).queryParam("name", "heart\u0000copy")
                .when().post("/api/v1/datasets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("NUL character"));
        project.asAdmin().when().get("/api/v1/datasets").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNotSilentlyAltered() {
        // Latin-1 "Genève": replacing the byte would store a category no client ever sends
        byte[] latin1 = ("city,t\nGen\u00e8ve,1\nBern,0\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        project.asAdmin().contentType("text/csv").body(latin1).when().post("/api/v1/datasets")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("not UTF-8"));
    }

    @Test
    void uploadsNeedAKeyWithTheWriteRoleAndReadingNeedsAnyKey() {
        String reader = TestProjects.key(db, project, "read");
        given().contentType("text/csv").body("a,b\n1,0\n").when().post("/api/v1/datasets")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + reader).contentType("text/csv").body("a,b\n1,0\n")
                .when().post("/api/v1/datasets")
                .then().statusCode(403).body("detail", containsString("needs the write role"));
        given().header("Authorization", "Bearer " + reader).when().get("/api/v1/datasets")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aDatasetOfAnotherProjectIsNotFound() {
        long id = project.asAdmin().contentType("text/csv").body(HeartData.csv(100, 1)).when().post("/api/v1/datasets")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        TestProjects.Project other = TestProjects.create(db);

        other.asAdmin().when().get("/api/v1/datasets/" + id).then().statusCode(404)
                .body("detail", equalTo("Dataset '" + id + "' does not exist"));
        project.asAdmin().when().get("/api/v1/datasets/" + id).then().statusCode(200).body("id", equalTo((int) id));
    }

    @Test
    void aSyntheticDatasetIsGeneratedAndStoredLikeAnUpload() {
        project.asAdmin().contentType("application/json")
                .body("{\"name\": \"demo\", \"rows\": 500, \"seed\": 9, \"drift\": {\"chol\": 40}}")
                .when().post("/api/v1/datasets/synthetic")
                .then().statusCode(201)
                .body("name", equalTo("demo"))
                .body("row_count", equalTo(500))
                .body("column_count", equalTo(14))
                .body("validation.trainable", equalTo(true));
        project.asAdmin().contentType("application/json").body("{\"rows\": 100, \"drift\": {\"cholesterol\": 1}}")
                .when().post("/api/v1/datasets/synthetic")
                .then().statusCode(400).body("field", equalTo("drift")).body("detail", containsString("unknown feature 'cholesterol'"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"null", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400", "-1e400"})
    void aSyntheticDatasetRefusesAShiftThatIsNotAFiniteNumberNamingTheFeature(String shift) {
        project.asAdmin().contentType("application/json").body("{\"name\": \"s\", \"rows\": 50, \"drift\": {\"age\": " + shift + "}}")
                .when().post("/api/v1/datasets/synthetic")
                .then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("field", equalTo("drift.age"))
                .body("detail", containsString("drift.age: must be a finite number"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"  \", \"rows\": 50}|name",
            "{\"name\": \"\", \"rows\": 50}|name",
            "{\"rows\": 19}|rows",
            "{\"rows\": 2000001}|rows",
            "{\"rows\": null}|rows",
            "{\"rows\": \"many\"}|rows",
            "{\"rows\": 50.5}|rows",
            "{\"rows\": 50, \"seed\": \"x\"}|seed",
            "{\"rows\": 50, \"drift\": {\"age\": true}}|drift.age",
            "{\"rows\": 50, \"drift\": {\"age\": \"old\"}}|drift.age",
            "{\"rows\": 50, \"drift\": [1]}|drift",
            "{\"rows\": 50, \"drift\": {\"age\": 1, \"cholesterol\": null}}|drift"})
    void aSyntheticDatasetRequestNamesItsBadField(String body, String field) {
        project.asAdmin().contentType("application/json").body(body)
                .when().post("/api/v1/datasets/synthetic")
                .then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("field", equalTo(field));
    }

    @ParameterizedTest
    @CsvSource({"age:NaN", "age:Infinity", "chol:-Infinity", "chol:1e400"})
    void theGeneratorRefusesAShiftThatIsNotAFiniteNumber(String drift) {
        project.asAdmin().queryParam("drift", drift).when().get("/api/v1/synthetic/heart-disease")
                .then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("field", equalTo("drift")).body("detail", containsString("must be a finite number"));
    }

    @Test
    void theGeneratorStreamsCsvOrJsonAndDriftShiftsTheNamedFeature() {
        String csv = project.asAdmin().accept("text/csv").queryParam("rows", 5).queryParam("seed", 1)
                .when().get("/api/v1/synthetic/heart-disease")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(csv.lines()).hasSize(6).first().isEqualTo(
                "age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,target");
        String again = project.asAdmin().accept("text/csv").queryParam("rows", 5).queryParam("seed", 1)
                .when().get("/api/v1/synthetic/heart-disease").then().extract().asString();
        assertThat(again).as("deterministic for a seed").isEqualTo(csv);

        double plain = meanChol(project.asAdmin().accept("application/json").queryParam("rows", 2000).queryParam("seed", 5)
                .when().get("/api/v1/synthetic/heart-disease").then().statusCode(200).body("instances", hasSize(2000))
                .body("labels", hasSize(2000)).extract().response());
        double drifted = meanChol(project.asAdmin().accept("application/json").queryParam("rows", 2000).queryParam("seed", 5)
                .queryParam("drift", "chol:50").when().get("/api/v1/synthetic/heart-disease").then().statusCode(200)
                .extract().response());
        assertThat(drifted - plain).isCloseTo(50.0, org.assertj.core.api.Assertions.within(0.5));

        project.asAdmin().queryParam("drift", "chol=5").when().get("/api/v1/synthetic/heart-disease")
                .then().statusCode(400).body("field", equalTo("drift"));
    }

    private static double meanChol(Response response) {
        return response.jsonPath().getList("instances.chol", Number.class).stream().mapToDouble(Number::doubleValue)
                .average().orElseThrow();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = DatasetResourceTest.class.getResourceAsStream("/csv/" + name)) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
