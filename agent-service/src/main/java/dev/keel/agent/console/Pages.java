package dev.keel.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.rest.Paging;
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

    /**
     * The zero-based page of a list the console pages through the registry, from its {@code page}
     * query parameter: 0 when absent or negative; a 400 in words, before the registry is asked, for
     * one that is not a whole number or is above the last page the registry serves
     * ({@link Paging#MAX_PAGE}, where page × size would overflow), with a way back to the list.
     */
    public static int pageNumber(String page, String back) {
        if (page == null || page.isBlank()) {
            return 0;
        }
        String p = page.strip();
        if (!p.matches("-?[0-9]+")) {
            throw new ConsoleException(400, "No such page", "'" + (p.length() > 40 ? p.substring(0, 40) + "…" : p)
                    + "' is not a page number: pages are numbered from 0 to " + Paging.MAX_PAGE + ".").back(back);
        }
        if (p.startsWith("-")) {
            return 0;
        }
        String digits = p.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 9 || Integer.parseInt(digits) > Paging.MAX_PAGE) {
            throw new ConsoleException(400, "No such page", "There is no page " + (digits.length() > 40
                    ? digits.substring(0, 40) + "…" : digits) + " of this list: pages are numbered from 0 to "
                    + Paging.MAX_PAGE + " at most. Go back to the list and page through it with its links.").back(back);
        }
        return Integer.parseInt(digits);
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
