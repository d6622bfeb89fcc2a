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
 * failing in the database without a name.
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
                .addDeserializer(String.class, new NoNulStrings())
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

    /** Jackson's own string reading (coercion rules included), then no U+0000. */
    static final class NoNulStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(p, "a NUL character", value, String.class);
            }
            return value;
        }
    }
}
