package dev.keel.common.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * XGBoost's UBJSON model format (Universal Binary JSON, draft 12: what {@code save_model} writes
 * for any file name not ending in {@code .json} since XGBoost 2.1, and {@code toByteArray("ubj")})
 * turned into the same document as its JSON format, so one reader serves both. Float32 values stay
 * float32 (Jackson writes each as the shortest text that reads back to the same float), and
 * NaN and infinities are written as the bare literals XGBoost's own JSON uses.
 *
 * <p>Counts and lengths come from the file, so each is checked against the bytes left before
 * anything is sized by it, and nesting is bounded: a few bytes cannot claim gigabytes.
 */
public final class XgbUbjson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final int MAX_DEPTH = 64;

    private final ByteBuffer in;

    private XgbUbjson(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes);
    }

    /**
     * Whether the bytes are a UBJSON document rather than JSON text: both open an object with
     * {@code '{'}, but UBJSON follows it with a key length's type marker or a container
     * optimisation ({@code $}, {@code #}), never with whitespace or a quote.
     */
    public static boolean looksLike(byte[] bytes) {
        if (bytes == null || bytes.length < 2 || bytes[0] != '{') {
            return false;
        }
        return switch (bytes[1]) {
            case 'i', 'U', 'I', 'l', 'L', '$', '#' -> true;
            default -> false;
        };
    }

    /** The model as XGBoost's JSON text; ModelFormatException when the bytes are not well-formed UBJSON. */
    public static byte[] toJson(byte[] ubjson) {
        try {
            return JSON.writeValueAsBytes(read(ubjson));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("the UBJSON model could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The document as a Jackson tree. */
    static JsonNode read(byte[] ubjson) {
        XgbUbjson reader = new XgbUbjson(ubjson);
        try {
            JsonNode root = reader.value(reader.marker(), 0);
            if (reader.in.hasRemaining()) {
                throw new ModelFormatException("UBJSON model has " + reader.in.remaining() + " bytes after its end");
            }
            return root;
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new ModelFormatException("UBJSON model ends in the middle of a value (the file is cut short)", e);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("UBJSON model has a high-precision number that is not a number", e);
        }
    }

    private byte marker() {
        byte m;
        do {
            m = in.get();
        } while (m == 'N');   // no-op
        return m;
    }

    private JsonNode value(byte type, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ModelFormatException("UBJSON model nests deeper than " + MAX_DEPTH + " levels");
        }
        return switch (type) {
            case 'Z' -> NODES.nullNode();
            case 'T' -> NODES.booleanNode(true);
            case 'F' -> NODES.booleanNode(false);
            case 'i', 'U', 'I', 'l', 'L' -> NODES.numberNode(integer(type));
            case 'd' -> NODES.numberNode(in.getFloat());
            case 'D' -> NODES.numberNode(in.getDouble());
            case 'H' -> NODES.numberNode(new BigDecimal(string()));
            case 'C' -> NODES.textNode(String.valueOf((char) (in.get() & 0xff)));
            case 'S' -> NODES.textNode(string());
            case '[' -> array(depth);
            case '{' -> object(depth);
            default -> throw new ModelFormatException(String.format(
                    "UBJSON model has an unknown type marker 0x%02x at byte %d", type & 0xff, in.position() - 1));
        };
    }

    private long integer(byte type) {
        return switch (type) {
            case 'i' -> in.get();
            case 'U' -> in.get() & 0xff;
            case 'I' -> in.getShort();
            case 'l' -> in.getInt();
            case 'L' -> in.getLong();
            default -> throw new ModelFormatException(String.format(
                    "UBJSON model has a length or count of type 0x%02x at byte %d, not an integer", type & 0xff, in.position() - 1));
        };
    }

    /** A length or count, checked against the bytes left ({@code minBytesEach} per item). */
    private int count(int minBytesEach) {
        long n = integer(in.get());
        if (n < 0 || n * Math.max(1, minBytesEach) > in.remaining()) {
            throw new ModelFormatException("UBJSON model claims " + n + " items at byte " + in.position()
                    + " with only " + in.remaining() + " bytes left");
        }
        return (int) n;
    }

    private String string() {
        int length = count(1);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** After '[' or '{': the optional element type ('$') and count ('#'). */
    private record Container(Byte type, int count) {
    }

    private Container container() {
        Byte type = null;
        if (in.get(in.position()) == '$') {
            in.get();
            type = in.get();
            if (in.get(in.position()) != '#') {
                throw new ModelFormatException("UBJSON model has a typed container without a count at byte " + in.position());
            }
        }
        if (in.get(in.position()) == '#') {
            in.get();
            return new Container(type, count(type == null ? 1 : width(type)));
        }
        return new Container(null, -1);
    }

    /** Fewest bytes one value of the type takes, for bounding a count. */
    private static int width(byte type) {
        return switch (type) {
            case 'I' -> 2;
            case 'l', 'd' -> 4;
            case 'L', 'D' -> 8;
            case 'Z', 'T', 'F', 'N' -> 0;
            default -> 1;
        };
    }

    private ArrayNode array(int depth) {
        Container c = container();
        ArrayNode array = NODES.arrayNode();
        if (c.count() >= 0) {
            for (int i = 0; i < c.count(); i++) {
                array.add(value(c.type() != null ? c.type() : marker(), depth + 1));
            }
            return array;
        }
        for (byte m = marker(); m != ']'; m = marker()) {
            array.add(value(m, depth + 1));
        }
        return array;
    }

    private ObjectNode object(int depth) {
        Container c = container();
        ObjectNode object = NODES.objectNode();
        if (c.count() >= 0) {
            for (int i = 0; i < c.count(); i++) {
                String key = string();
                object.set(key, value(c.type() != null ? c.type() : marker(), depth + 1));
            }
            return object;
        }
        for (byte m = in.get(in.position()); m != '}'; m = in.get(in.position())) {
            if (m == 'N') {
                in.get();
                continue;
            }
            String key = string();
            object.set(key, value(marker(), depth + 1));
        }
        in.get();
        return object;
    }
}
