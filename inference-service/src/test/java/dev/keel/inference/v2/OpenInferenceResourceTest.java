package dev.keel.inference.v2;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.keel.common.model.MissingValues;
import dev.keel.common.model.XgbModel;
import dev.keel.common.testing.ServiceContract;
import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol as a KServe or MLServer client speaks it. */
@QuarkusTest
class OpenInferenceResourceTest {

    private static final byte[] MODEL = TestModels.train(15, 11);
    private static final XgbModel RUNTIME = XgbModel.load(MODEL);

    @Inject
    DataSource dataSource;

    private TestProjects.Project project;

    @BeforeEach
    void serveTheModel() throws Exception {
        project = ServingFixture.projectServing(dataSource, "heart-v2", 4, MODEL);
    }

    @Test
    void serverHealthNeedsNoKey() {
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2").then().statusCode(200).body("name", equalTo("keel-inference"));
    }

    @Test
    void modelMetadataListsInputsWithDatatypesAndShapes() {
        authorized().get("/v2/models/heart-v2").then().statusCode(200)
                .body("name", equalTo("heart-v2"))
                .body("versions", equalTo(List.of("4")))
                .body("inputs.name", equalTo(TestModels.FEATURES))
                .body("inputs.datatype", equalTo(List.of("FP32", "FP32", "BOOL", "BYTES")))
                .body("inputs[0].shape", equalTo(List.of(-1)))
                .body("outputs.name", equalTo(List.of("predict", "predict_proba")));
        authorized().get("/v2/models/heart-v2/ready").then().statusCode(200).body("ready", equalTo(true));
        authorized().get("/v2/models/heart-v2/versions/4/ready").then().statusCode(200);
    }

    @Test
    void oneTensorPerFeatureGivesTheRuntimesProbabilities() {
        Map<String, Object> request = Map.of("id", "req-1", "inputs", List.of(
                tensor("age", "FP32", List.of(2), List.of(54, 67)),
                tensor("chol", "FP32", List.of(2, 1), List.of(List.of(246), List.of(286))),
                tensor("sex", "BOOL", List.of(2), List.of(true, false)),
                tensor("cp", "BYTES", List.of(2), List.of("typical", "atypical"))));
        Response r = authorized().contentType(ContentType.JSON).body(request).post("/v2/models/heart-v2/infer");
        r.then().statusCode(200)
                .body("model_name", equalTo("heart-v2")).body("model_version", equalTo("4")).body("id", equalTo("req-1"))
                .body("outputs[0].name", equalTo("predict")).body("outputs[0].shape", equalTo(List.of(2)))
                .body("outputs[1].name", equalTo("predict_proba")).body("outputs[1].shape", equalTo(List.of(2, 2)))
                .body("parameters.request_ids", hasSize(2));
        List<Float> proba = r.jsonPath().getList("outputs[1].data", Float.class);
        assertThat((double) proba.get(1)).isCloseTo(expected(54, 246, 1, 3), within(1e-6));
        assertThat((double) proba.get(3)).isCloseTo(expected(67, 286, 0, 1), within(1e-6));
        assertThat((double) proba.get(0) + proba.get(1)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void aSingleMatrixTensorFollowsTheModelsFeatureOrder() {
        Map<String, Object> request = Map.of("inputs", List.of(
                tensor("input-0", "FP64", List.of(2, 4), List.of(54, 246, 1, 3, 67, 286, 0, 1))),
                "outputs", List.of(Map.of("name", "predict_proba")));
        Response r = authorized().contentType(ContentType.JSON).body(request).post("/v2/models/heart-v2/versions/4/infer");
        r.then().statusCode(200).body("outputs", hasSize(1));
        // no id sent: the server makes one (the protocol's id is optional in the request, always in the response)
        assertThat(UUID.fromString(r.jsonPath().getString("id")).version()).isEqualTo(7);
        List<Float> proba = r.jsonPath().getList("outputs[0].data", Float.class);
        assertThat((double) proba.get(1)).isCloseTo(expected(54, 246, 1, 3), within(1e-6));
        assertThat((double) proba.get(3)).isCloseTo(expected(67, 286, 0, 1), within(1e-6));
    }

    @Test
    void aRequestedOutputIsAnsweredEvenForZeroRows() {
        Map<String, Object> request = Map.of("inputs", List.of(tensor("input-0", "FP32", List.of(0, 4), List.of())),
                "outputs", List.of(Map.of("name", "predict_proba")));
        authorized().contentType(ContentType.JSON).body(request).post("/v2/models/heart-v2/infer")
                .then().statusCode(200).body("outputs", hasSize(1))
                .body("outputs[0].name", equalTo("predict_proba")).body("outputs[0].shape", equalTo(List.of(0, 2)))
                .body("outputs[0].data", hasSize(0));
    }

    @Test
    void withoutAnIdTheResponseIdIsTheCallersRequestIdOrTheRowsPredictionId() {
        Map<String, Object> request = Map.of("inputs", List.of(
                tensor("input-0", "FP32", List.of(1, 4), List.of(54, 246, 1, 3))));
        Response own = authorized().contentType(ContentType.JSON).body(request).post("/v2/models/heart-v2/infer");
        own.then().statusCode(200);
        assertThat(own.jsonPath().getString("id"))
                .isEqualTo(own.header("X-Request-Id"))
                .isEqualTo(own.jsonPath().getString("parameters.request_ids[0]"));

        authorized().header("X-Request-Id", "trace-v2").contentType(ContentType.JSON).body(request)
                .post("/v2/models/heart-v2/infer")
                .then().statusCode(200).body("id", equalTo("trace-v2")).header("X-Request-Id", "trace-v2");
    }

    @Test
    void protocolErrorsAreErrorObjects() {
        Map<String, Object> wrongCount = Map.of("inputs", List.of(tensor("input-0", "FP32", List.of(2, 4), List.of(1, 2, 3))));
        authorized().contentType(ContentType.JSON).body(wrongCount).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", containsString("needs 8"));
        Map<String, Object> unknownFeature = Map.of("inputs", List.of(
                tensor("age", "FP32", List.of(1), List.of(54)), tensor("chol", "FP32", List.of(1), List.of(200)),
                tensor("sex", "BOOL", List.of(1), List.of(true)), tensor("cpp", "BYTES", List.of(1), List.of("typical"))));
        authorized().contentType(ContentType.JSON).body(unknownFeature).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", containsString("cpp"));
        Map<String, Object> unseenCategory = Map.of("inputs", List.of(
                tensor("age", "FP32", List.of(1), List.of(54)), tensor("chol", "FP32", List.of(1), List.of(200)),
                tensor("sex", "BOOL", List.of(1), List.of(true)), tensor("cp", "BYTES", List.of(1), List.of("sharp"))));
        authorized().contentType(ContentType.JSON).body(unseenCategory).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", containsString("not seen in training"));
        authorized().contentType(ContentType.JSON).body(Map.of("inputs", List.of(tensor("age", "FP16X", List.of(1), List.of(1)))))
                .post("/v2/models/heart-v2/infer").then().statusCode(400).body("error", containsString("datatype"));
        authorized().contentType(ContentType.JSON).body(wrongCount).post("/v2/models/nope/infer")
                .then().statusCode(404).body("error", containsString("nope"));
        authorized().contentType(ContentType.JSON).body(wrongCount).post("/v2/models/heart-v2/versions/3/infer")
                .then().statusCode(404).body("error", containsString("version 4 is"));
        given().contentType(ContentType.JSON).body(wrongCount).post("/v2/models/heart-v2/infer").then().statusCode(401);
    }

    @Test
    void anUnknownOutputOrTooManyRowsIsRefusedBeforeAnythingIsScoredOrLogged() throws Exception {
        Map<String, Object> row = Map.of("inputs", List.of(tensor("input-0", "FP32", List.of(1, 4), List.of(54, 246, 1, 3))),
                "outputs", List.of(Map.of("name", "predict"), Map.of("name", "shap")));
        authorized().contentType(ContentType.JSON).body(row).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", equalTo("unknown output 'shap'; this model offers predict and predict_proba"));
        // KEEL_INFERENCE_MAX_BATCH_ROWS (10,000) holds for the Open Inference Protocol too
        List<Integer> data = new java.util.ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            data.addAll(List.of(54, 246, 1, 3));
        }
        authorized().contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(tensor("input-0", "FP32", List.of(10_001, 4), data))))
                .post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", equalTo("a request holds at most 10000 rows; this one has 10001"));
        Thread.sleep(300);   // longer than the prediction log's flush interval
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM predictions WHERE project_id = ?")) {
            ps.setLong(1, project.id());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("nothing logged for refused requests").isZero();
            }
        }
    }

    @Test
    void tritonsBinaryTensorsAndAnOctetStreamBodyGiveTheSameAnswerAsJson() throws Exception {
        // what tritonclient.http sends by default: a JSON header, then each input's raw little-endian values
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x52C0).array());   // FP16 54.0
        raw.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(246).array());
        raw.write(1);                                                                                          // BOOL true
        byte[] cp = "non_anginal".getBytes(StandardCharsets.UTF_8);
        raw.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(cp.length).array());
        raw.write(cp);
        String header = "{\"id\": \"bin-1\", \"inputs\": ["
                + binaryTensor("age", "FP16", 2) + ", " + binaryTensor("chol", "FP64", 8) + ", "
                + binaryTensor("sex", "BOOL", 1) + ", " + binaryTensor("cp", "BYTES", 4 + cp.length) + "],"
                + " \"outputs\": [{\"name\": \"predict_proba\", \"parameters\": {\"binary_data\": true}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(json);
        body.write(raw.toByteArray());

        Response r = authorized().header("Inference-Header-Content-Length", json.length)
                .contentType("application/octet-stream").body(body.toByteArray()).post("/v2/models/heart-v2/infer");
        r.then().statusCode(200).contentType(ContentType.JSON).body("id", equalTo("bin-1"))
                .body("outputs[0].name", equalTo("predict_proba"));
        assertThat((double) r.jsonPath().getList("outputs[0].data", Float.class).get(1))
                .isCloseTo(expected(54, 246, 1, 2), within(1e-6));

        // JSON sent as application/octet-stream (tritonclient's aio client, KServe's client)
        Map<String, Object> plain = Map.of("inputs", List.of(tensor("input-0", "FP32", List.of(1, 4), List.of(54, 246, 1, 2))));
        Response octets = authorized().contentType("application/octet-stream")
                .body(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(plain)).post("/v2/models/heart-v2/infer");
        octets.then().statusCode(200);
        assertThat((double) octets.jsonPath().getList("outputs[1].data", Float.class).get(1))
                .isCloseTo(expected(54, 246, 1, 2), within(1e-6));
        authorized().get("/v2").then().body("extensions", equalTo(List.of("binary_tensor_data")));

        // sizes that do not add up are named
        authorized().header("Inference-Header-Content-Length", json.length).contentType("application/octet-stream")
                .body(java.util.Arrays.copyOf(body.toByteArray(), body.size() - 3)).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", containsString("input 'cp'"));
        authorized().contentType("application/octet-stream").body(json).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", containsString("no Inference-Header-Content-Length"));
    }

    @Test
    void errorsAnsweredBeforeTheResourceRunsHaveTheProtocolsShapeToo() throws java.io.IOException {
        given().contentType(ContentType.JSON).body("{}").post("/v2/models/heart-v2/infer")
                .then().statusCode(401).contentType(ContentType.JSON).header("WWW-Authenticate", "Bearer")
                .body("error", containsString("Missing API key"));
        authorized().contentType(ContentType.JSON).body("{\"inputs\": \"x\"}").post("/v2/models/heart-v2/infer")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", containsString("inputs"));
        authorized().contentType(ContentType.JSON).body("{\"inputs\": [").post("/v2/models/heart-v2/infer")
                .then().statusCode(400).body("error", containsString("not valid JSON"));
        authorized().delete("/v2/models/heart-v2/infer")
                .then().statusCode(405).contentType(ContentType.JSON).body("error", containsString("DELETE"));
        // a problem the resource raises (the bootstrap key names no project) has the same shape
        given().header("Authorization", "Bearer " + dev.keel.inference.support.RegistryStub.SERVICE_KEY)
                .contentType(ContentType.JSON).body("{}").post("/v2/models/heart-v2/infer")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", containsString("'project'"));
        // a body over the size limit is refused before Quarkus' own check, which has no body
        String tooLarge = ServiceContract.exchange("POST /v2/models/heart-v2/infer HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10485761\r\n\r\n{");
        assertThat(tooLarge).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/json")
                .contains("{\"error\":\"The request body is 10485761 bytes (Content-Length); this service accepts at most "
                        + "10485760 (quarkus.http.limits.max-body-size)\"}");
    }

    @Test
    void aMalformedTensorIsNamedWithWhatIsWrong() {
        assertError(List.of(tensor("age", "BOOL", List.of(1), List.of(54))), "input 'age' is BOOL but holds 54");
        assertError(List.of(tensor("age", "FP32", List.of(1), List.of("old"))), "input 'age' is FP32 but holds \"old\"");
        assertError(List.of(tensor("age", "FP32", List.of(1), List.of(Map.of("v", 1)))), "input 'age' is FP32 but holds {\"v\":1}");
        assertError(List.of(tensor("age", "FP32", List.of(-1), List.of(54))), "input 'age' has an invalid shape [-1]");
        assertError(List.of(Map.of("name", "age", "shape", List.of(1), "datatype", "FP32")), "input 'age' has no 'data'");
        // fields the protocol does not name are skipped, nested data flattened row-major
        Map<String, Object> extra = new java.util.HashMap<>(tensor("input-0", "FP64", List.of(1, 4),
                List.of(List.of(54, 246), List.of(1, 3))));
        extra.put("x-client", Map.of("trace", List.of(1, 2)));
        Response r = authorized().contentType(ContentType.JSON).body(Map.of("inputs", List.of(extra)))
                .post("/v2/models/heart-v2/infer");
        r.then().statusCode(200);
        assertThat((double) r.jsonPath().getList("outputs[1].data", Float.class).get(1))
                .isCloseTo(expected(54, 246, 1, 3), within(1e-6));
    }

    private void assertError(List<Map<String, Object>> inputs, String error) {
        authorized().contentType(ContentType.JSON).body(Map.of("inputs", inputs)).post("/v2/models/heart-v2/infer")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo(error));
    }

    private double expected(double age, double chol, double sex, double cp) {
        return RUNTIME.predict(RUNTIME.toRow(Map.of("age", age, "chol", chol, "sex", sex, "cp", cp), MissingValues.REJECT))[0];
    }

    private static String binaryTensor(String name, String datatype, int bytes) {
        return "{\"name\": \"" + name + "\", \"datatype\": \"" + datatype + "\", \"shape\": [1], "
                + "\"parameters\": {\"binary_data_size\": " + bytes + "}}";
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape, List<?> data) {
        return Map.of("name", name, "datatype", datatype, "shape", shape, "data", data);
    }

    private io.restassured.specification.RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + project.readKey());
    }
}
