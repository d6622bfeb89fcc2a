package dev.keel.drift.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.stats.Baseline;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stored baseline is a document, not a request: one written elsewhere with its counts as
 * floating-point numbers (300.0, as Python writes a count kept in a float) is read as before,
 * though the services now refuse 300.0 for an integer in a request.
 */
@QuarkusTest
class BaselineServiceTest {

    @Inject
    BaselineService baselines;

    @Inject
    ObjectMapper json;

    @Test
    void aBaselineWhoseCountsAreWrittenAsFloatsIsRead() throws Exception {
        JsonNode stored = json.valueToTree(DriftFixtures.HeartTraffic.baseline(DriftFixtures.HeartTraffic.generate(300, 7)));
        JsonNode floats = integersAsFloats(stored.deepCopy());
        assertThat(floats.toString()).contains("\"reference_rows\":300.0").contains("\"count\":300.0");

        Baseline read = baselines.baselineOf(version(floats.toString(), 9_000_001L), "model");
        Baseline original = baselines.baselineOf(version(stored.toString(), 9_000_002L), "model");
        assertThat(read.rowCount()).isEqualTo(original.rowCount()).isEqualTo(300);
        assertThat(read.byName().keySet()).isEqualTo(original.byName().keySet()).hasSize(5);
        assertThat(read.byName().get("cp")).isEqualTo(original.byName().get("cp"));
        assertThat(read.byName().get("fbs")).isEqualTo(original.byName().get("fbs"));
    }

    private static ModelVersionRef version(String baselineJson, long versionId) {
        return new ModelVersionRef(1, "p", 1, "heart", versionId, 1, "production", baselineJson, null, 0.5, null);
    }

    private static JsonNode integersAsFloats(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                object.set(field.getKey(), field.getValue().isIntegralNumber()
                        ? DoubleNode.valueOf(field.getValue().asDouble()) : integersAsFloats(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, array.get(i).isIntegralNumber() ? DoubleNode.valueOf(array.get(i).asDouble()) : integersAsFloats(array.get(i)));
            }
        }
        return node;
    }
}
