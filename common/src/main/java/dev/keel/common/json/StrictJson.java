package dev.keel.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Every service reads JSON strictly: what a client sends means one thing or is refused (400 naming
 * the field, through common's JSON mappers). Jackson's defaults let through a key given twice
 * (which of the two counted depended on the type; on records it was a 500), bytes after the JSON
 * value, a fraction where an integer goes ({@code 1.5} read as 1), a number for an enum (its
 * position), a number for a string or a boolean ({@code "force": 12} read as true), a string for a
 * number or a boolean ({@code "label": "1"}), and a number for an instant (epoch seconds). A string
 * holding a NUL character, which PostgreSQL cannot store, is refused by its field here instead of
 * failing in the database without a name, and one holding half of a UTF-16 surrogate pair
 * (a lone U+D800), which is not text and was stored as "?", likewise.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** After Quarkus' own customizers, which register the Java time module: our Instant reader wins. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    /** The same rules on a mapper of one's own. */
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("keel-strict-json")
                .addDeserializer(String.class, new StorableStrings())
                .addDeserializer(Instant.class, new TextInstants()));
        return mapper;
    }

    /** An instant is ISO-8601 text; a number was read as epoch seconds (1e400 as 1970, -1 as 1969). */
    static final class TextInstants extends StdScalarDeserializer<Instant> {

        TextInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != null && p.currentToken().isNumeric()) {
                throw InvalidFormatException.from(p, "an instant as a number", p.getNumberValue(), Instant.class);
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    /**
     * Why {@code text} cannot be stored as it is: a NUL character, or half of a surrogate pair; null
     * when it can.
     */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "a NUL character (U+0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "half of a UTF-16 surrogate pair (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                        + "), which is not text";
            }
        }
        return null;
    }

    /** Jackson's own string reading (coercion rules included), then only text that can be stored. */
    static final class StorableStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && unstorable(value) != null) {
                throw InvalidFormatException.from(p, "text that cannot be stored", value, String.class);
            }
            return value;
        }
    }
}
