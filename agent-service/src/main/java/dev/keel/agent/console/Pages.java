package dev.keel.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How console pages answer: rendered here, inside the request (so the Server-Timing header counts
 * the rendering), as UTF-8 HTML; JSON from the services turned into maps and lists templates read.
 */
@ApplicationScoped
public class Pages {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    private final ObjectMapper json;

    public Pages(ObjectMapper json) {
        this.json = json;
    }

    public Response ok(TemplateInstance page) {
        return status(200, page);
    }

    public Response status(int status, TemplateInstance page) {
        return Response.status(status).entity(page.render()).type(HTML).build();
    }

    /** After a form post: back to a page (303), with a line saying what happened. */
    public static Response seeOther(String path, String notice) {
        String location = notice == null ? path
                : path + (path.contains("?") ? "&" : "?") + "notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8);
        return Response.seeOther(URI.create(location)).build();
    }

    /** A JSON object as a map (null-valued fields kept, so templates can test them). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(JsonNode node) {
        return node == null || !node.isObject() ? Map.of() : json.convertValue(node, Map.class);
    }

    /** A JSON array, or the {@code items} of a page, as a list of maps. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(JsonNode node) {
        JsonNode array = node != null && node.has("items") ? node.get("items") : node;
        return array == null || !array.isArray() ? List.of() : json.convertValue(array, List.class);
    }

    /** Any value as plain data for a template (records from the agent's own repositories). */
    public Object data(Object value) {
        return json.convertValue(value, Object.class);
    }
}
