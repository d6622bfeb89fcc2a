package dev.keel.agent.console;

/**
 * Something the console cannot do, said in words for the person at the browser: a service refused
 * or was not reached, a form was bad, a role was too low. {@link ConsoleErrorPage} shows it.
 */
public class ConsoleException extends RuntimeException {

    private final int status;
    private final String title;
    private String back = "/console/models";

    public ConsoleException(int status, String title, String message) {
        super(message);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The page to offer going back to. */
    public ConsoleException back(String path) {
        this.back = path;
        return this;
    }

    public String back() {
        return back;
    }

    public String title() {
        return title;
    }
}
