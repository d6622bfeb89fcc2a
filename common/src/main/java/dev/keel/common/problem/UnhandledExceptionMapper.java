package dev.keel.common.problem;

import dev.keel.common.db.DatabaseFailures;
import dev.keel.common.text.Causes;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The last resort: a 500 whose body carries an error id and nothing of the exception, while the
 * log keeps the stack trace under the same id for the operator. A failure because the database
 * could not be reached (restarting, failing over) is a 503 with {@code Retry-After} instead: it
 * passes, and the client may try again. A text value the database cannot store (a NUL character)
 * is the client's, a 400, as is a multipart body the parser cannot read. A unique key a
 * concurrent request took first (the loser of two creates of one name, past its own check) is a 409.
 */
@Provider
public class UnhandledExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnhandledExceptionMapper.class);

    @Override
    public Response toResponse(Exception e) {
        if (DatabaseFailures.unreachable(e)) {
            LOG.warnf("Request failed: the database is unreachable (%s)", Causes.rootMessage(e));
            return ProblemResponses.of(ProblemException.serviceUnavailable("The database is unreachable; retry in a few seconds",
                    DatabaseFailures.RETRY_AFTER_SECONDS));
        }
        if (DatabaseFailures.unstorableText(e)) {
            LOG.infof("Request refused: a text value the database cannot store (%s)", Causes.rootMessage(e));
            return ProblemResponses.of(400, "Bad request", "A text value in the request holds a NUL character (U+0000), "
                    + "which cannot be stored; remove it", null, null);
        }
        if (DatabaseFailures.uniqueViolation(e)) {
            LOG.infof("Request refused: a concurrent request created the same thing first (%s)", Causes.rootMessage(e));
            return ProblemResponses.of(ProblemException.conflict("It already exists: a concurrent request created it "
                    + "while this one was being handled"));
        }
        if (e instanceof IOException && unreadableMultipart(e)) {
            LOG.infof("Request refused: a multipart body that cannot be parsed (%s)", e.getMessage());
            return ProblemResponses.of(400, "Bad request", "The multipart body is cut off or malformed: " + e.getMessage(),
                    null, null);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unhandled error %s", errorId);
        return ProblemResponses.of(500, "Internal server error",
                "The server failed to handle the request; quote error id " + errorId + " to the operator", null, null);
    }

    /** Quarkus REST's multipart parser stopped on the body itself (cut off, no boundary): the client's doing. */
    private static boolean unreadableMultipart(Exception e) {
        StackTraceElement[] stack = e.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.");
    }
}
