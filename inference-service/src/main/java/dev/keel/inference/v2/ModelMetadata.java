package dev.keel.inference.v2;

import java.util.List;

/** The Open Inference Protocol's model metadata. */
public record ModelMetadata(String name, List<String> versions, String platform, List<Tensor> inputs, List<Tensor> outputs) {

    public record Tensor(String name, String datatype, List<Integer> shape) {
    }
}
