package dev.keel.inference.v2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The Open Inference Protocol's inference request; fields other clients send are tolerated. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InferenceRequest(String id, Map<String, Object> parameters, List<Input> inputs, List<Output> outputs) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String name, List<Long> shape, String datatype, Map<String, Object> parameters, JsonNode data) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String name, Map<String, Object> parameters) {
    }
}
