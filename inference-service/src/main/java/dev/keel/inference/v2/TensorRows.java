package dev.keel.inference.v2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.inference.serving.ServedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the protocol's input tensors into named-feature rows. Two layouts are accepted: one tensor
 * per feature (named after it, shape [n] or [n, 1]), as MLServer's pandas codec sends, or a single
 * [n, features] tensor whose columns follow the model's feature order, as a NumPy client sends.
 */
final class TensorRows {

    private TensorRows() {
    }

    static List<Map<String, Object>> rows(ServedModel served, List<InferenceRequest.Input> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new BadTensor("'inputs' must hold at least one tensor");
        }
        List<String> names = served.model().featureNames();
        if (inputs.size() == 1 && shape(inputs.get(0)).size() == 2 && shape(inputs.get(0)).get(1) == names.size()
                && !names.contains(inputs.get(0).name())) {
            return fromMatrix(inputs.get(0), names);
        }
        return fromColumns(inputs, names);
    }

    private static List<Map<String, Object>> fromMatrix(InferenceRequest.Input input, List<String> names) {
        long rows = shape(input).get(0);
        List<Object> values = flatten(input, rows * names.size());
        List<Map<String, Object>> result = new ArrayList<>((int) rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> row = new HashMap<>(names.size() * 2);
            for (int c = 0; c < names.size(); c++) {
                row.put(names.get(c), values.get(r * names.size() + c));
            }
            result.add(row);
        }
        return result;
    }

    private static List<Map<String, Object>> fromColumns(List<InferenceRequest.Input> inputs, List<String> names) {
        long rows = -1;
        Map<String, List<Object>> columns = new HashMap<>();
        for (InferenceRequest.Input input : inputs) {
            List<Long> shape = shape(input);
            if (shape.size() > 2 || (shape.size() == 2 && shape.get(1) != 1)) {
                throw new BadTensor("input '" + input.name() + "' has shape " + shape + "; a feature tensor is [n] or [n, 1], "
                        + "and a single [n, " + names.size() + "] tensor carries all features in model order");
            }
            if (rows >= 0 && shape.get(0) != rows) {
                throw new BadTensor("input '" + input.name() + "' has " + shape.get(0) + " rows, the others " + rows);
            }
            rows = shape.get(0);
            if (columns.put(input.name(), flatten(input, rows)) != null) {
                throw new BadTensor("input '" + input.name() + "' appears twice");
            }
        }
        List<Map<String, Object>> result = new ArrayList<>((int) rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> row = new HashMap<>(columns.size() * 2);
            for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
                row.put(column.getKey(), column.getValue().get(r));
            }
            result.add(row);
        }
        return result;
    }

    private static List<Long> shape(InferenceRequest.Input input) {
        if (input.name() == null || input.name().isBlank()) {
            throw new BadTensor("every input needs a 'name'");
        }
        if (input.shape() == null || input.shape().isEmpty()) {
            throw new BadTensor("input '" + input.name() + "' has no 'shape'");
        }
        for (Long d : input.shape()) {
            if (d == null || d < 0) {
                throw new BadTensor("input '" + input.name() + "' has an invalid shape " + input.shape());
            }
        }
        return input.shape();
    }

    /** The tensor's elements in row-major order, checked against its datatype and element count. */
    private static List<Object> flatten(InferenceRequest.Input input, long expected) {
        String datatype = input.datatype() == null ? "" : input.datatype();
        List<Object> out = new ArrayList<>((int) Math.min(expected, 1 << 20));
        collect(input, input.data(), datatype, out);
        if (out.size() != expected) {
            throw new BadTensor("input '" + input.name() + "' has " + out.size() + " elements; its shape "
                    + input.shape() + " needs " + expected);
        }
        return out;
    }

    private static void collect(InferenceRequest.Input input, JsonNode node, String datatype, List<Object> out) {
        if (node == null || node.isNull()) {
            throw new BadTensor("input '" + input.name() + "' has no 'data'");
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                collect(input, element, datatype, out);
            }
            return;
        }
        switch (datatype) {
            case "FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64" -> {
                if (!node.isNumber()) {
                    throw new BadTensor("input '" + input.name() + "' is " + datatype + " but holds " + node);
                }
                out.add(node.doubleValue());
            }
            case "BOOL" -> {
                if (!node.isBoolean()) {
                    throw new BadTensor("input '" + input.name() + "' is BOOL but holds " + node);
                }
                out.add(node.booleanValue());
            }
            case "BYTES" -> {
                if (!node.isTextual()) {
                    throw new BadTensor("input '" + input.name() + "' is BYTES but holds " + node);
                }
                out.add(node.textValue());
            }
            default -> throw new BadTensor("input '" + input.name() + "' has unsupported datatype '" + datatype
                    + "'; use FP32, FP64, INT64, BOOL or BYTES");
        }
    }

    /** A request the protocol calls malformed: answered 400 with {@code {"error": ...}}. */
    static final class BadTensor extends RuntimeException {
        BadTensor(String message) {
            super(message);
        }
    }
}
