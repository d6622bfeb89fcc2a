package dev.keel.inference.v2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.common.problem.JsonProcessingExceptionMapper;
import dev.keel.common.problem.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an inference request body, JSON or in the binary tensor data extension that
 * {@code tritonclient} and KServe's Python client send by default: a JSON header of
 * {@code Inference-Header-Content-Length} bytes, then each input whose parameters carry
 * {@code binary_data_size}, in the order of {@code inputs}, as little-endian raw values (BYTES as a
 * 4-byte length and the bytes of each element). Binary inputs come out with their values as
 * {@code data}, so the rest of the protocol's checks read one shape of request.
 */
final class BinaryTensors {

    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final String SIZE = "binary_data_size";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonProcessingExceptionMapper JSON_ERRORS = new JsonProcessingExceptionMapper();

    private BinaryTensors() {
    }

    /** @param headerLength the {@value #HEADER_LENGTH} header, or null for a JSON-only body */
    static InferenceRequest read(ObjectMapper json, byte[] body, String headerLength) {
        if (body == null || body.length == 0) {
            throw new TensorRows.BadTensor("the request body must be an inference request");
        }
        int jsonLength = body.length;
        if (headerLength != null) {
            try {
                jsonLength = Integer.parseInt(headerLength.strip());
            } catch (NumberFormatException e) {
                throw new TensorRows.BadTensor(HEADER_LENGTH + " '" + headerLength + "' is not a number");
            }
            if (jsonLength < 0 || jsonLength > body.length) {
                throw new TensorRows.BadTensor(HEADER_LENGTH + " is " + jsonLength + " but the body has " + body.length
                        + " bytes");
            }
        }
        InferenceRequest request;
        try {
            request = json.readValue(body, 0, jsonLength, InferenceRequest.class);
        } catch (JsonProcessingException e) {
            // the same words as every other endpoint's (the JSON path, never Jackson's own message)
            Problem problem = (Problem) JSON_ERRORS.toResponse(e).getEntity();
            throw new TensorRows.BadTensor(problem.detail());
        } catch (IOException e) {
            throw new TensorRows.BadTensor("the request body cannot be read: " + e.getMessage());
        }
        if (request == null) {
            throw new TensorRows.BadTensor("the request body must be an inference request");
        }
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (request.inputs() == null) {
            return request;
        }
        if (headerLength == null) {
            request.inputs().stream().filter(BinaryTensors::binary).findFirst().ifPresent(input -> {
                throw new TensorRows.BadTensor("input '" + input.name() + "' has " + SIZE + " but the request has no "
                        + HEADER_LENGTH + " header");
            });
            return request;
        }
        List<InferenceRequest.Input> inputs = new ArrayList<>();
        for (InferenceRequest.Input input : request.inputs()) {
            inputs.add(binary(input) ? withData(input, binary) : input);
        }
        if (binary.hasRemaining()) {
            throw new TensorRows.BadTensor("the body has " + binary.remaining() + " bytes after the inputs' "
                    + SIZE + "s");
        }
        return new InferenceRequest(request.id(), request.parameters(), inputs, request.outputs());
    }

    private static boolean binary(InferenceRequest.Input input) {
        return input.parameters() != null && input.parameters().get(SIZE) != null;
    }

    private static InferenceRequest.Input withData(InferenceRequest.Input input, ByteBuffer binary) {
        Object declared = input.parameters().get(SIZE);
        if (!(declared instanceof Number n) || n.longValue() < 0 || n.longValue() > binary.remaining()) {
            throw new TensorRows.BadTensor("input '" + input.name() + "': " + SIZE + " " + declared + " is not within the "
                    + binary.remaining() + " bytes left in the body");
        }
        ByteBuffer bytes = binary.slice().order(ByteOrder.LITTLE_ENDIAN).limit(n.intValue());
        binary.position(binary.position() + n.intValue());
        String datatype = input.datatype() == null ? "" : input.datatype();
        ArrayNode data = NODES.arrayNode();
        int width = width(input, datatype);
        if (width > 0 && bytes.remaining() % width != 0) {
            throw new TensorRows.BadTensor("input '" + input.name() + "': " + bytes.remaining() + " bytes are not a whole "
                    + "number of " + datatype + " values");
        }
        while (bytes.hasRemaining()) {
            switch (datatype) {
                case "BOOL" -> data.add(bytes.get() != 0);
                case "INT8" -> data.add(bytes.get());
                case "UINT8" -> data.add(bytes.get() & 0xFF);
                case "INT16" -> data.add(bytes.getShort());
                case "UINT16" -> data.add(bytes.getShort() & 0xFFFF);
                case "INT32" -> data.add(bytes.getInt());
                case "UINT32" -> data.add(bytes.getInt() & 0xFFFF_FFFFL);
                case "INT64", "UINT64" -> data.add(bytes.getLong());
                case "FP16" -> data.add(halfToFloat(bytes.getShort()));
                case "FP32" -> data.add(bytes.getFloat());
                case "FP64" -> data.add(bytes.getDouble());
                case "BYTES" -> data.add(element(input, bytes));
                default -> throw new TensorRows.BadTensor("input '" + input.name() + "' has unsupported datatype '"
                        + datatype + "'");
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>(input.parameters());
        parameters.remove(SIZE);
        return new InferenceRequest.Input(input.name(), input.shape(), input.datatype(), parameters, data);
    }

    /** Bytes per value; 0 for BYTES, whose elements carry their own lengths. */
    private static int width(InferenceRequest.Input input, String datatype) {
        return switch (datatype) {
            case "BOOL", "INT8", "UINT8" -> 1;
            case "INT16", "UINT16", "FP16" -> 2;
            case "INT32", "UINT32", "FP32" -> 4;
            case "INT64", "UINT64", "FP64" -> 8;
            case "BYTES" -> 0;
            default -> throw new TensorRows.BadTensor("input '" + input.name() + "' has unsupported datatype '" + datatype + "'");
        };
    }

    private static String element(InferenceRequest.Input input, ByteBuffer bytes) {
        if (bytes.remaining() < 4) {
            throw new TensorRows.BadTensor("input '" + input.name() + "': a BYTES element's 4-byte length is cut short");
        }
        int length = bytes.getInt();
        if (length < 0 || length > bytes.remaining()) {
            throw new TensorRows.BadTensor("input '" + input.name() + "': a BYTES element of " + length + " bytes is longer "
                    + "than the " + bytes.remaining() + " left");
        }
        ByteBuffer value = bytes.slice().limit(length);
        bytes.position(bytes.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(value).toString();
        } catch (CharacterCodingException e) {
            throw new TensorRows.BadTensor("input '" + input.name() + "': a BYTES element is not UTF-8 text");
        }
    }

    /** IEEE 754 half precision to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;   // zero or subnormal
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
