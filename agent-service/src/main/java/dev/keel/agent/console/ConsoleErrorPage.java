package dev.keel.agent.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Shows a {@link ConsoleException} as a page in words: what failed and what to do, never JSON or a stack trace. */
@Provider
public class ConsoleErrorPage implements ExceptionMapper<ConsoleException> {

    @Location("console/error.html")
    Template error;

    @jakarta.inject.Inject
    Pages pages;

    @Override
    public Response toResponse(ConsoleException e) {
        Object errors = e instanceof ServiceException s && s.body() != null && s.body().has("errors")
                ? pages.list(s.body().get("errors")) : java.util.List.of();
        return pages.status(e.status(), error.data("title", e.title()).data("message", e.getMessage()).data("errors", errors)
                .data("back", e.back()).data("notice", null));
    }
}
