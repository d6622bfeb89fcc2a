package dev.keel.agent.console;

import dev.keel.common.security.Caller;
import dev.keel.common.security.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who is signed in to the console for this request, set by {@link ConsoleSignInFilter}; templates
 * read it as {@code inject:console}.
 */
@RequestScoped
@Named("console")
public class ConsoleUser {

    private ConsoleSession session;
    private Caller caller;

    void set(ConsoleSession session, Caller caller) {
        this.session = session;
        this.caller = caller;
    }

    public boolean isSignedIn() {
        return caller != null;
    }

    public Caller caller() {
        if (caller == null) {
            throw new IllegalStateException("no console session on this request");
        }
        return caller;
    }

    public String getKeyName() {
        return caller().keyName();
    }

    public String getProject() {
        return caller().projectName();
    }

    public long projectId() {
        return caller().projectId();
    }

    public String getRole() {
        return caller().role().wireName();
    }

    public boolean isMayWrite() {
        return caller().has(Role.WRITE);
    }

    public boolean isMayApprove() {
        return caller().has(Role.APPROVER);
    }

    /** Whether the key handles alerts: writers and approvers, as the alert API says. */
    public boolean isOnCall() {
        return caller().has(Role.WRITE) || caller().has(Role.APPROVER);
    }

    /** The form token every POST form of the console carries. */
    public String getCsrf() {
        return session.csrf();
    }

    /** The Authorization header for the other services: the signed-in key itself. */
    String authorization() {
        return "Bearer " + session.apiKey();
    }

    /** Refuses a form post whose token is not this session's (403). */
    public void checkCsrf(String token) {
        byte[] expected = session.csrf().getBytes(StandardCharsets.US_ASCII);
        byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ConsoleException(403, "This form has expired",
                    "The form was not sent from this console session (its CSRF token does not match). Reload the page and try again.");
        }
    }

    /** Refuses an action the key's role does not allow, before asking any service (403). */
    public void require(Role role) {
        if (!caller().has(role)) {
            throw new ConsoleException(403, "Not allowed",
                    "This needs the " + role.wireName() + " role" + (role == Role.WRITE ? " (or approver, for alerts)" : "")
                            + "; the API key '" + caller().keyName() + "' has " + caller().role().wireName() + ".");
        }
    }
}
