package dev.keel.training.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.common.security.AuthConfig;
import dev.keel.common.security.BootstrapKey;
import dev.keel.common.text.Causes;
import dev.keel.training.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The model registry as this service uses it: register a version, read the production version and
 * its artifact, change a version's stage. Calls carry the bootstrap admin key and the project name.
 *
 * <p>Reads are retried on transient failures (connection refused, 500/502/503/504). So is a
 * registration, and after a timeout too: it names its training run, and the registry answers a
 * second upload of the same run with the version the first made, so a lost answer cannot leave
 * two copies of one version. A circuit breaker stops hammering a registry that keeps failing.
 */
@ApplicationScoped
public class RegistryClient {

    private static final Logger LOG = Logger.getLogger(RegistryClient.class);

    private final RegistryApi api;
    private final String authorization;

    public RegistryClient(@RestClient RegistryApi api, AuthConfig auth, RegistryConfig registry) {
        this.api = api;
        this.authorization = BootstrapKey.authorization(auth).orElse(null);
        if (authorization == null) {
            LOG.warnf("No bootstrap admin key (KEEL_ADMIN_KEY): calls to the registry at %s will be refused", registry.url());
        } else {
            LOG.debugf("Registry at %s", registry.url());
        }
    }

    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            retryOn = {RegistryUnavailableException.class, TimeoutException.class})
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            failOn = RegistryUnavailableException.class)
    public RegisteredVersion register(String project, String model, byte[] artifact, VersionMetadata metadata) {
        if (metadata.trainingRunId() == null) {
            throw new IllegalArgumentException("A registration names its training run, which makes it safe to send again");
        }
        RegistryApi.VersionUpload upload = new RegistryApi.VersionUpload();
        upload.artifact = artifact;
        upload.metadata = metadata;
        try (Response response = call("register a version of " + model,
                () -> api.register(model, project, authorization, upload))) {
            if (response.getStatus() == 200 || response.getStatus() == 201) {
                return response.readEntity(RegisteredVersion.class);
            }
            throw failure("register a version of " + model, response);
        }
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 500, retryOn = RegistryUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            failOn = RegistryUnavailableException.class)
    public Optional<ProductionVersion> production(String project, String model) {
        try (Response response = call("read the production version of " + model,
                () -> api.production(model, project, authorization))) {
            if (response.getStatus() == 404) {
                return Optional.empty();
            }
            if (response.getStatus() == 200) {
                return Optional.of(response.readEntity(ProductionVersion.class));
            }
            throw failure("read the production version of " + model, response);
        }
    }

    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 500, retryOn = RegistryUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            failOn = RegistryUnavailableException.class)
    public byte[] artifact(String project, String model, int version) {
        try (Response response = call("download " + model + " v" + version,
                () -> api.artifact(model, version, project, authorization))) {
            if (response.getStatus() == 200) {
                return response.readEntity(byte[].class);
            }
            throw failure("download " + model + " v" + version, response);
        }
    }

    /** Moves a version; a 409 (the registry's own gate said no) is an outcome, not an error. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 500, retryOn = RegistryUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            failOn = RegistryUnavailableException.class)
    public StageOutcome changeStage(String project, String model, int version, StageChange change) {
        String what = "move " + model + " v" + version + " to " + change.stage();
        try (Response response = call(what, () -> api.stage(model, version, project, authorization, change))) {
            if (response.getStatus() == 200) {
                return StageOutcome.done();
            }
            if (response.getStatus() == 409) {
                return refused(response);
            }
            if (response.getStatus() == 400 && change.expectedProductionVersion() != null) {
                JsonNode problem = problem(response);
                if ("expected_production_version".equals(problem.path("field").asText(null))
                        && problem.path("detail").asText("").contains("Unknown field")) {
                    // a registry of the release before this one (a rollout under way) knows no such field
                    LOG.infof("The registry does not take expected_production_version yet; %s without it", what);
                    return changeStage(project, model, version, change.withoutExpectation());
                }
                throw failure(what, 400, problem);
            }
            throw failure(what, response);
        }
    }

    private static StageOutcome refused(Response response) {
        List<String> failed = new ArrayList<>();
        String detail = "the registry refused the stage change";
        String field = null;
        try {
            JsonNode body = response.readEntity(JsonNode.class);
            if (body.hasNonNull("detail")) {
                detail = body.get("detail").asText();
            }
            if (body.hasNonNull("field")) {
                field = body.get("field").asText();
            }
            for (JsonNode error : body.path("errors")) {
                String name = error.path("field").asText("");
                String message = error.path("message").asText("");
                failed.add(name.isEmpty() ? message : name + ": " + message);
            }
        } catch (RuntimeException e) {
            LOG.debug("The registry's 409 body is not a problem document", e);
        }
        return new StageOutcome(false, detail, failed, field);
    }

    private Response call(String what, Supplier<Response> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            return e.getResponse();
        } catch (ProcessingException e) {
            throw new RegistryUnavailableException("Could not reach the registry to " + what + ": " + Causes.rootMessage(e), e);
        }
    }

    private static RuntimeException failure(String what, Response response) {
        return failure(what, response.getStatus(), problem(response));
    }

    private static RuntimeException failure(String what, int status, JsonNode problem) {
        String detail = problem.hasNonNull("detail") ? ": " + problem.get("detail").asText() : "";
        if (status == 502 || status == 503 || status == 504 || status == 500) {
            return new RegistryUnavailableException("The registry failed to " + what + " (HTTP " + status + ")" + detail, null);
        }
        return new RegistryRejectedException(status, "The registry refused to " + what + " (HTTP " + status + ")" + detail);
    }

    /** The response's problem document; an empty object when it has none. */
    private static JsonNode problem(Response response) {
        try {
            JsonNode body = response.readEntity(JsonNode.class);
            return body != null ? body : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
