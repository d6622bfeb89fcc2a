package dev.keel.agent.service;

import dev.keel.agent.config.ConsoleConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Absolute links to console pages for webhook messages, which are read in a chat where a path alone
 * cannot be clicked: {@code KEEL_CONSOLE_PUBLIC_URL} joined to the page's path. The URL is checked
 * when the service starts, so a mistyped one stops it with a sentence saying what is wrong instead
 * of sending links nobody can open.
 */
@Startup
@ApplicationScoped
public class ConsoleLinks {

    private static final Logger LOG = Logger.getLogger(ConsoleLinks.class);

    private final Optional<String> base;

    public ConsoleLinks(ConsoleConfig config) {
        this.base = config.publicUrl().map(String::strip).filter(u -> !u.isEmpty()).map(ConsoleLinks::base);
        base.ifPresent(b -> LOG.infof("Webhook messages link to the console at %s", b));
    }

    /** The console page of an alert (the Agent page lists open alerts, each row anchored by its id). */
    public Optional<String> alert(long id) {
        return to("/console/agent#alert-" + id);
    }

    /** The console page where a proposal waiting for approval can be approved or rejected. */
    public Optional<String> pendingAction(long id) {
        return to("/console/agent#pending-" + id);
    }

    private Optional<String> to(String path) {
        return base.map(b -> b + path);
    }

    /**
     * The public URL without its trailing slashes, ready for a path starting with one; an
     * {@link IllegalStateException} naming the variable when it is not an absolute http(s) URL a
     * path can be appended to.
     */
    static String base(String url) {
        if (url.indexOf('@') >= 0) {
            // checked on the text first, and not echoed: it would put a password in the log
            throw invalid("it carries a user name or password, which every message would show");
        }
        URI uri = HttpUrls.absolute(url, "'" + url + "'", ConsoleLinks::invalid);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("'" + url + "' has a query or fragment, after which a page's path cannot follow");
        }
        String joined = url;
        while (joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined;
    }

    private static IllegalStateException invalid(String why) {
        return new IllegalStateException("KEEL_CONSOLE_PUBLIC_URL (keel.console.public-url) must be an absolute http or "
                + "https URL such as https://keel.example.com: " + why);
    }
}
