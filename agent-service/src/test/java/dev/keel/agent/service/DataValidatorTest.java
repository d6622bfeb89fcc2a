package dev.keel.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void countsMissingWrongTypedAndUnseenValuesPerRequestAndPerFeature() throws Exception {
        JsonNode schema = json("""
                [{"name": "age", "type": "numeric"}, {"name": "smoker", "type": "boolean"},
                 {"name": "plan", "type": "categorical", "categories": ["basic", "premium"]}]""");
        List<JsonNode> requests = List.of(
                json("{\"age\": 40, \"smoker\": true, \"plan\": \"basic\"}"),
                json("{\"age\": null, \"smoker\": 0, \"plan\": \"premium\"}"),
                json("{\"age\": \"forty\", \"smoker\": false, \"plan\": \"basic\"}"),
                json("{\"age\": 50, \"smoker\": 1, \"plan\": \"gold\"}"),
                json("{\"smoker\": 1, \"plan\": \"gold\"}"));
        ObjectNode out = DataValidator.validate(schema, requests);
        assertThat(out.get("rows").asInt()).isEqualTo(5);
        assertThat(out.get("missing_rate").asDouble()).isEqualTo(0.4);
        assertThat(out.get("type_error_rate").asDouble()).isEqualTo(0.2);
        assertThat(out.get("unseen_category_rate").asDouble()).isEqualTo(0.4);
        assertThat(out.get("invalid_rate").asDouble()).isEqualTo(0.8);
        assertThat(out.at("/features/age/missing").asInt()).isEqualTo(2);
        assertThat(out.at("/features/age/wrong_type").asInt()).isEqualTo(1);
        assertThat(out.at("/features/plan/unseen_category").asInt()).isEqualTo(2);
        assertThat(out.get("features").has("smoker")).isFalse();
    }

    @Test
    void noRequestsMeansNoRates() throws Exception {
        ObjectNode out = DataValidator.validate(json("[{\"name\": \"age\", \"type\": \"numeric\"}]"), List.of());
        assertThat(out.get("rows").asInt()).isZero();
        assertThat(out.get("invalid_rate").asDouble()).isZero();
    }
}
