package dev.keel.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.keel.common.problem.JsonProcessingExceptionMapper;
import dev.keel.common.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/**
 * What StrictJson refuses, and the 400 each refusal becomes (common's JSON mapper, as every
 * service answers it): each body here was read without complaint, or was a 500, before.
 */
class StrictJsonTest {

    enum Role { READ, WRITE }

    record Request(String model, int rows, boolean force, Role role, String description) {
    }

    record Metrics(double f1, long count) {
    }

    record Window(java.time.Instant start, Double label, Boolean dryRun, Integer lastN) {
    }

    record Upload(Metrics metrics, java.util.List<Metrics> folds) {
    }

    private final ObjectMapper mapper = StrictJson.apply(new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    private Problem refused(String json) {
        return refused(Request.class, json);
    }

    private Problem refused(Class<?> type, String json) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> mapper.readValue(json, type));
        assertThat(e).as("refused: %s", json).isNotNull();
        Response response = new JsonProcessingExceptionMapper().toResponse(e);
        assertThat(response.getStatus()).isEqualTo(400);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.detail()).doesNotContain("java.", "dev.keel", "`");
        return problem;
    }

    @Test
    void aWellFormedRequestIsRead() throws Exception {
        assertThat(mapper.readValue("{\"model\":\"m\",\"rows\":3,\"force\":true,\"role\":\"READ\",\"description\":\"d\"}",
                Request.class)).isEqualTo(new Request("m", 3, true, Role.READ, "d"));
    }

    @Test
    void aKeyGivenTwiceIsNamed() {
        Problem p = refused("{\"model\":\"a\",\"rows\":1,\"model\":\"b\"}");
        assertThat(p.field()).isEqualTo("model");
        assertThat(p.detail()).startsWith("model: given twice in the request body");
    }

    @Test
    void bytesAfterTheJsonValueAreRefused() {
        assertThat(refused("{\"model\":\"a\"}garbage").detail()).startsWith("Request body is not valid JSON");
        assertThat(refused("{\"model\":\"a\"} {\"model\":\"b\"}").detail()).startsWith("Request body holds more after its JSON value");
    }

    @Test
    void scalarsOfTheWrongKindAreNotCoerced() {
        assertThat(refused("{\"rows\":1.5}").field()).isEqualTo("rows");
        assertThat(refused("{\"force\":12}").field()).isEqualTo("force");
        assertThat(refused("{\"role\":0}").field()).isEqualTo("role");
        assertThat(refused("{\"description\":12}").field()).isEqualTo("description");
        assertThat(refused("{\"description\":true}").field()).isEqualTo("description");
    }

    @Test
    void aStringIsNotANumberOrABooleanAndANumberIsNotAnInstant() throws Exception {
        assertThat(mapper.readValue("{\"start\":\"2026-12-06T00:00:00Z\",\"label\":1,\"dry_run\":true,\"last_n\":100}",
                Window.class)).isEqualTo(new Window(java.time.Instant.parse("2026-12-06T00:00:00Z"), 1.0, true, 100));
        assertThat(refused(Window.class, "{\"label\":\"1\"}").detail()).isEqualTo("label: Value '1' has the wrong type; expected a number");
        assertThat(refused("{\"description\":12}").detail()).isEqualTo("description: Value 12 has the wrong type; expected a string");
        assertThat(refused(Window.class, "{\"dry_run\":\"true\"}").field()).isEqualTo("dry_run");
        assertThat(refused(Window.class, "{\"last_n\":\"100\"}").field()).isEqualTo("last_n");
        assertThat(refused(Window.class, "{\"start\":12}").field()).isEqualTo("start");
        assertThat(refused(Window.class, "{\"start\":1.5}").field()).isEqualTo("start");
    }

    @Test
    void aNumberOutOfItsRangeIsQuotedAndNamed() {
        Problem p = refused("{\"rows\":9223372036854775808}");
        assertThat(p.field()).isEqualTo("rows");
        assertThat(p.detail()).startsWith("rows: a number out of range (line 1, column ")
                .endsWith(": 9223372036854775808 is out of range of int (-2147483648 - 2147483647)");
    }

    @Test
    void nestedFieldsAreNamedByTheirPath() {
        assertThat(refused(Upload.class, "{\"metrics\":{\"f1\":0.8,\"f1\":0.9}}").field()).isEqualTo("metrics.f1");
        assertThat(refused(Upload.class, "{\"folds\":[{\"count\":1},{\"count\":99999999999999999999}]}").field())
                .isEqualTo("folds[1].count");
    }

    @Test
    void aNulCharacterInAStringIsNamed() {
        Problem p = refused("{\"model\":\"a\\u0000b\"}");
        assertThat(p.field()).isEqualTo("model");
        assertThat(p.detail()).isEqualTo("model: holds a NUL character (U+0000), which cannot be stored; remove it");
    }

    @Test
    void halfASurrogatePairIsNamedAndAWholeOneIsText() throws Exception {
        for (String half : new String[] {"\\uD800", "a\\uDC00", "\\uD83D x"}) {
            Problem p = refused("{\"model\":\"" + half + "\"}");
            assertThat(p.field()).isEqualTo("model");
            assertThat(p.detail()).startsWith("model: holds half of a UTF-16 surrogate pair (U+D").endsWith("which is not text; remove it");
        }
        assertThat(mapper.readValue("{\"model\":\"\\uD83D\\uDE00 ok\"}", Request.class).model()).isEqualTo("\uD83D\uDE00 ok");
    }
}
