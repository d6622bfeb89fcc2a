package dev.keel.agent.console;

import dev.keel.agent.config.ConsoleConfig;
import dev.keel.common.security.ApiKeyAuthenticator;
import dev.keel.common.security.Authentication;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Signing in to the console with a project API key, and out again. */
@Path("/console")
@Tag(name = "Console")
public class SignInResource {

    private static final Logger LOG = Logger.getLogger(SignInResource.class);

    private final Template login;
    private final SessionCodec codec;
    private final ApiKeyAuthenticator authenticator;
    private final ConsoleConfig config;
    private final ConsoleUser user;
    private final Pages pages;

    public SignInResource(@Location("console/login.html") Template login, SessionCodec codec, ApiKeyAuthenticator authenticator,
                          ConsoleConfig config, ConsoleUser user, Pages pages) {
        this.login = login;
        this.codec = codec;
        this.authenticator = authenticator;
        this.config = config;
        this.user = user;
        this.pages = pages;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The console: its first page")
    public Response home() {
        return Response.seeOther(URI.create("/console/models")).build();
    }

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The console's sign-in page")
    public Response form(@QueryParam("next") String next, @QueryParam("notice") String notice) {
        return pages.ok(page(safeNext(next), null, notice));
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign in with a project API key; sets the HTTP-only session cookie")
    public Response signIn(@FormParam("api_key") String apiKey, @FormParam("next") String next) {
        String target = safeNext(next);
        if (apiKey == null || apiKey.isBlank()) {
            return pages.status(400, page(target, "Enter your project's API key.", null));
        }
        Authentication result = authenticator.authenticate(apiKey.strip());
        if (result instanceof Authentication.Rejected rejected) {
            return pages.status(401, page(target, "That key was not accepted: " + rejected.reason(), null));
        }
        if (((Authentication.Authenticated) result).caller().global()) {
            return pages.status(403, page(target, "The bootstrap admin key belongs to no project: sign in with a project's key.", null));
        }
        LOG.infof("Console sign-in with key '%s'", ((Authentication.Authenticated) result).caller().keyName());
        ConsoleSession session = codec.start(apiKey.strip(), config.sessionTtl());
        return Response.seeOther(URI.create(target)).cookie(cookie(codec.seal(session), (int) config.sessionTtl().toSeconds()))
                .build();
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign out: the session cookie is removed")
    public Response signOut(@FormParam("csrf") String csrf) {
        user.checkCsrf(csrf);
        return Response.seeOther(URI.create("/console/login?notice=Signed+out.")).cookie(cookie("", 0)).build();
    }

    private io.quarkus.qute.TemplateInstance page(String next, String error, String notice) {
        return login.data("next", next).data("error", error).data("notice", notice).data("section", "login");
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(ConsoleSignInFilter.COOKIE).value(value).path("/console").httpOnly(true)
                .secure(config.secureCookie()).sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }

    /**
     * Only a path inside the console, so the sign-in page cannot be used to send people elsewhere:
     * {@code next} normalised first ({@code /console/../../etc} is {@code /etc}), then followed only
     * when it is a path under {@code /console} with no scheme, host, {@code //}, backslash or
     * encoded dot or slash (a browser resolves {@code %2e%2e} as {@code ..}); anything else goes to
     * the console's first page.
     */
    static String safeNext(String next) {
        String home = "/console/models";
        // "//" before any query: a host to a browser at the start, and normalising would hide it further on
        if (next == null || next.isBlank() || next.contains("\\") || next.split("[?#]", 2)[0].contains("//")) {
            return home;
        }
        URI uri;
        try {
            uri = new URI(next).normalize();
        } catch (URISyntaxException e) {
            return home;
        }
        String path = uri.getRawPath();
        if (uri.getScheme() != null || uri.getRawAuthority() != null || path == null
                || path.toLowerCase(java.util.Locale.ROOT).matches(".*%(2e|2f|5c).*")
                || !(path.equals("/console") || path.startsWith("/console/")) || path.startsWith("/console/login")) {
            return home;
        }
        return uri.toString();
    }
}
