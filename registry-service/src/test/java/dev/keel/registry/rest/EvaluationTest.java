package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.registerChurn;
import static dev.keel.registry.Fixtures.resource;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.keel.registry.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Any version can be scored on an uploaded labelled CSV; a bad CSV is 422 naming the column and row. */
@QuarkusTest
class EvaluationTest {

    private static final String HEADER = "customer_id,tenure_months,monthly_charges,support_calls,has_contract,plan,churned\n";

    private Fixtures.Project project;

    @BeforeEach
    void registerTheChurnModel() {
        project = newProjectWithKeys();
        registerChurn(project.write(), "churn", churnMetadata());
    }

    @Test
    void evaluatingOnLabelledDataGivesTheUsualMetrics() {
        evaluate(resource("data/churn-eval.csv"), null, null)
                .statusCode(200)
                .body("model", equalTo("churn"))
                .body("version", equalTo(1))
                .body("task", equalTo("binary"))
                .body("target", equalTo("churned"))
                .body("rows", equalTo(300))
                .body("metrics.threshold", equalTo(0.5f))
                .body("metrics.accuracy", greaterThan(0.6f))
                .body("metrics.f1", greaterThan(0.6f))
                .body("metrics.roc_auc", greaterThan(0.75f))
                .body("metrics.confusion_matrix.flatten().sum()", equalTo(300));
    }

    @Test
    void theThresholdAndTargetCanBeChosen() {
        byte[] csv = ("churned,plan,has_contract,support_calls,monthly_charges,tenure_months\n"
                + "1,basic,false,6,110.5,2\n0,premium,true,0,25,60\n1,standard,,3,80,\n").getBytes(StandardCharsets.UTF_8);
        evaluate(csv, "churned", "1")
                .statusCode(200)
                .body("rows", equalTo(3))
                .body("positives", equalTo(2))
                .body("metrics.threshold", equalTo(1.0f))
                .body("metrics.confusion_matrix", contains(contains(1, 0), contains(2, 0)));
        evaluate(csv, "churned", "0.0")
                .statusCode(200).body("metrics.recall", equalTo(1.0f));
    }

    @Test
    void aVersionTrainedWithItsOwnPositiveClassReadsTheLabelsAsTrainingDid() {
        // training recorded which label is 1: here "0" (say, "not churned" was the class to predict)
        registerChurn(project.write(), "churn-inverse", churnMetadata().replace("\"params\": {",
                "\"params\": {\"positive_class\": \"0\", \"negative_class\": \"1\", "));
        byte[] csv = ("churned,plan,has_contract,support_calls,monthly_charges,tenure_months\n"
                + "1,basic,false,6,110.5,2\n0.0,premium,true,0,25,60\n1,standard,,3,80,\n").getBytes(StandardCharsets.UTF_8);
        evaluate("churn-inverse", csv, "churned", null)
                .statusCode(200).body("rows", equalTo(3)).body("positives", equalTo(1));
        evaluate("churn-inverse", ("churned,plan,has_contract,support_calls,monthly_charges,tenure_months\n"
                + "yes,basic,false,6,110.5,2\n").getBytes(StandardCharsets.UTF_8), "churned", null)
                .statusCode(422).body("field", equalTo("churned"))
                .body("detail", containsString("the label must be '0' (positive) or '1'"));
    }

    @Test
    void aMissingColumnIs422NamingIt() {
        String csv = "tenure_months,monthly_charges,support_calls,has_contract,churned\n12,50,1,true,0\n";
        evaluate(csv.getBytes(StandardCharsets.UTF_8), null, null)
                .statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("plan"))
                .body("detail", equalTo("column 'plan' is missing; the model needs it"));
    }

    @Test
    void aCellOfTheWrongTypeIs422NamingRowAndColumn() {
        String csv = HEADER + "c1,12,50.5,1,true,basic,0\nc2,24,abc,2,false,premium,1\nc3,1,20,x,maybe,gold,2\n";
        evaluate(csv.getBytes(StandardCharsets.UTF_8), null, null)
                .statusCode(422)
                .body("field", equalTo("monthly_charges"))
                .body("detail", equalTo("5 problems in the CSV; the first: row 2, column 'monthly_charges': 'abc' is not a number"))
                .body("errors.message", hasItem("row 3, column 'support_calls': 'x' is not a number"))
                .body("errors.message", hasItem("row 3, column 'has_contract': 'maybe' is not a boolean (true/false/1/0)"))
                .body("errors.message", hasItem(containsString("row 3, column 'plan': 'gold' is not one of the categories")))
                .body("errors.message", hasItem("row 3, column 'churned': the label must be 0, 1, true or false"));
    }

    @Test
    void anEmptyOrHeaderOnlyCsvIs422() {
        evaluate(new byte[0], null, null).statusCode(422).body("field", equalTo("data")).body("detail", equalTo("data: the CSV is empty"));
        evaluate(HEADER.getBytes(StandardCharsets.UTF_8), null, null)
                .statusCode(422).body("detail", equalTo("data: the CSV has a header but no rows"));
        evaluate((HEADER + "c1,12,50\n").getBytes(StandardCharsets.UTF_8), null, null)
                .statusCode(422).body("detail", equalTo("row 1 has 3 values; the header has 7"));
    }

    @Test
    void anUnknownTargetOrBadThresholdIsRefused() {
        evaluate(resource("data/churn-eval.csv"), "label", null)
                .statusCode(422).body("field", equalTo("target")).body("detail", containsString("no column 'label'"));
        evaluate(resource("data/churn-eval.csv"), null, "high").statusCode(400).body("field", equalTo("threshold"));
        evaluate(resource("data/churn-eval.csv"), null, "1.5").statusCode(422).body("field", equalTo("threshold"));
        as(project.read()).multiPart("target", "churned").when().post("/api/v1/models/churn/versions/1/evaluate")
                .then().statusCode(400).body("field", equalTo("data"));
    }

    @Test
    void aRegressionModelIsScoredByItsErrors() {
        Fixtures.upload(project.write(), "price", resource("models/hand-made-regression.json"), null).then().statusCode(201);
        // predictions 10, 10, 20, 20; errors -2, 1, 0, -3; labels' mean 16, total sum of squares 130
        byte[] csv = "x1,x2,y\n1,0,12\n2,0,9\n6,0,20\n7,0,23\n".getBytes(StandardCharsets.UTF_8);
        evaluate("price", csv, null, null)
                .statusCode(200)
                .body("task", equalTo("regression"))
                .body("rows", equalTo(4))
                .body("$", not(hasKey("positives")))
                .body("metrics.mae", equalTo(1.5f))
                .body("metrics.rmse", equalTo((float) Math.round(Math.sqrt(14 / 4.0) * 1e6) / 1e6f))
                .body("metrics.r2", equalTo((float) Math.round((1 - 14 / 130.0) * 1e6) / 1e6f))
                .body("metrics", not(hasKey("accuracy")));
        evaluate("price", csv, null, "0.5")
                .statusCode(422).body("field", equalTo("threshold"))
                .body("detail", containsString("applies to binary classifiers"));
        evaluate("price", "x1,x2,y\n1,0,twelve\n".getBytes(StandardCharsets.UTF_8), null, null)
                .statusCode(422).body("field", equalTo("y"))
                .body("detail", equalTo("row 1, column 'y': the label must be a number"));
    }

    @Test
    void aMultiClassModelIsScoredByAccuracyMacroAveragesAndItsClassMatrix() {
        Fixtures.upload(project.write(), "species", resource("models/hand-made-multiclass.json"), null).then().statusCode(201);
        // predicted: class 2 when x2 >= 5, else 0 when x1 < 5, else 1; (predicted, true) below:
        // (0,0) (0,1) (1,1) (1,2) (2,2) (2,2): class 0 P 1/2 R 1 F1 2/3; class 1 P 1/2 R 1/2 F1 1/2; class 2 P 1 R 2/3 F1 4/5
        byte[] csv = "x1,x2,label\n1,0,0\n2,0,1\n6,0,1\n7,0,2\n1,9,2\n6,9,2\n".getBytes(StandardCharsets.UTF_8);
        evaluate("species", csv, null, null)
                .statusCode(200)
                .body("task", equalTo("multiclass"))
                .body("rows", equalTo(6))
                .body("classes", contains(0, 1, 2))
                .body("metrics.accuracy", equalTo((float) Math.round(4 / 6.0 * 1e6) / 1e6f))
                .body("metrics.precision", equalTo((float) Math.round(2 / 3.0 * 1e6) / 1e6f))
                .body("metrics.recall", equalTo((float) Math.round((1 + 0.5 + 2 / 3.0) / 3 * 1e6) / 1e6f))
                .body("metrics.f1", equalTo((float) Math.round((2 / 3.0 + 0.5 + 0.8) / 3 * 1e6) / 1e6f))
                .body("metrics.confusion_matrix", contains(contains(1, 0, 0), contains(1, 1, 0), contains(0, 1, 2)))
                .body("metrics.roc_auc", equalTo((float) Math.round(macroOneVsRestAuc() * 1e6) / 1e6f))
                .body("metrics", not(hasKey("threshold")));
        evaluate("species", "x1,x2,label\n1,0,3\n1,0,1.5\n".getBytes(StandardCharsets.UTF_8), null, null)
                .statusCode(422).body("field", equalTo("label"))
                .body("errors.message", contains("row 1, column 'label': the label must be a class index from 0 to 2",
                        "row 2, column 'label': the label must be a class index from 0 to 2"));
    }

    /**
     * The hand-made three-class model's one-vs-rest ROC-AUC on the test's six rows, macro-averaged,
     * by brute force: softmax of its class scores (3 or 0 for classes 0 and 1 by x1, 6 or 0 for class 2
     * by x2) against the labels 0, 1, 1, 2, 2, 2; ties count one half.
     */
    private static double macroOneVsRestAuc() {
        double[][] rows = {{1, 0}, {2, 0}, {6, 0}, {7, 0}, {1, 9}, {6, 9}};
        int[] labels = {0, 1, 1, 2, 2, 2};
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            double[] p = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                double[] margin = {rows[r][0] < 5 ? 3 : 0, rows[r][0] < 5 ? 0 : 3, rows[r][1] < 5 ? 0 : 6};
                double total = Math.exp(margin[0]) + Math.exp(margin[1]) + Math.exp(margin[2]);
                p[r] = Math.exp(margin[k]) / total;
            }
            double won = 0;
            int pairs = 0;
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < rows.length; j++) {
                    if (labels[i] == k && labels[j] != k) {
                        won += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                        pairs++;
                    }
                }
            }
            sum += won / pairs;
        }
        return sum / 3;
    }

    private ValidatableResponse evaluate(byte[] csv, String target, String threshold) {
        return evaluate("churn", csv, target, threshold);
    }

    private ValidatableResponse evaluate(String model, byte[] csv, String target, String threshold) {
        var request = as(project.read()).multiPart("data", "data.csv", csv, "text/csv");
        if (target != null) {
            request = request.multiPart("target", target);
        }
        if (threshold != null) {
            request = request.multiPart("threshold", threshold);
        }
        return request.when().post("/api/v1/models/" + model + "/versions/1/evaluate").then();
    }
}
