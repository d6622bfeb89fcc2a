package dev.keel.inference.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The Open Inference Protocol's inference response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceResponse(String modelName, String modelVersion, String id, Map<String, Object> parameters,
                                List<Output> outputs) {

    public record Output(String name, List<Integer> shape, String datatype, Object data) {
    }
}
