package dev.keel.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/** A service answered with an error (its problem details kept in {@link #body()}) or was not reached (status 503). */
public class ServiceException extends ConsoleException {

    private final transient JsonNode body;

    ServiceException(int status, String title, String message, JsonNode body) {
        super(status, title, message);
        this.body = body;
    }

    /** Makes a call; if a service refuses it, the error page offers {@code back} as the way back. */
    static JsonNode returningTo(String back, Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (ServiceException e) {
            throw e.back(back);
        }
    }

    /** The service's JSON answer, e.g. a refused promotion's gate result; null when it was not reached. */
    public JsonNode body() {
        return body;
    }
}
