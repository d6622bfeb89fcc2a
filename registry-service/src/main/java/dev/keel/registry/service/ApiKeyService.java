package dev.keel.registry.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ApiKeyAuthenticator;
import dev.keel.common.security.ApiKeySecret;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.ApiKeyView;
import dev.keel.registry.api.CreateApiKeyRequest;
import dev.keel.registry.api.CreatedApiKeyView;
import dev.keel.registry.entity.ApiKeyEntity;
import dev.keel.registry.mapping.RegistryMapper;
import dev.keel.registry.repository.ApiKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** A project's API keys: minted here, verified by common's {@link ApiKeyAuthenticator} in every service. */
@ApplicationScoped
@Transactional
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);

    private final ApiKeyRepository keys;
    private final RegistryMapper mapper;
    private final ApiKeyAuthenticator authenticator;
    private final TransactionSynchronizationRegistry transactions;

    public ApiKeyService(ApiKeyRepository keys, RegistryMapper mapper, ApiKeyAuthenticator authenticator,
                         TransactionSynchronizationRegistry transactions) {
        this.keys = keys;
        this.mapper = mapper;
        this.authenticator = authenticator;
        this.transactions = transactions;
    }

    public CreatedApiKeyView create(ProjectRef project, CreateApiKeyRequest request, String actor) {
        if (keys.findByName(project.id(), request.name()).isPresent()) {
            throw ProblemException.conflict("Project '" + project.name() + "' already has an API key named '"
                    + request.name() + "'");
        }
        ApiKeySecret secret = ApiKeySecret.generate();
        ApiKeyEntity key = new ApiKeyEntity();
        key.setProjectId(project.id());
        key.setName(request.name());
        key.setRole(request.role().wireName());
        key.setKeyPrefix(secret.prefix());
        key.setKeyHash(secret.hash());
        key.setCreatedBy(actor);
        key.setCreatedAt(DatabaseTime.now());
        key.setExpiresAt(request.expiresAt());
        keys.persistAndFlush(key);
        LOG.infof("API key %s (%s, role %s) created in project %s by %s", key.getName(), key.getKeyPrefix(),
                key.getRole(), project.name(), actor);
        return new CreatedApiKeyView(key.getName(), request.role(), secret.secret(), key.getKeyPrefix(),
                key.getExpiresAt(), key.getCreatedAt(), actor);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApiKeyView> list(ProjectRef project) {
        Instant now = DatabaseTime.now();
        return keys.listByProject(project.id()).stream().map(k -> mapper.apiKey(k, now)).toList();
    }

    /**
     * Revokes the key; this replica forgets it at once, others within {@code keel.auth.cache-ttl}.
     * Revoking a revoked key changes nothing (its first revocation's time stays, nothing is logged
     * again), also when two revocations run at once.
     */
    public void revoke(ProjectRef project, String name, String actor) {
        ApiKeyEntity key = keys.findByName(project.id(), name)
                .orElseThrow(() -> ProblemException.notFound("API key", name));
        if (keys.revoke(key.getId(), DatabaseTime.now())) {
            LOG.infof("API key %s (%s) of project %s revoked by %s", key.getName(), key.getKeyPrefix(), project.name(), actor);
        }
        String hash = key.getKeyHash();
        authenticator.evict(hash);
        // and again once the revocation is committed: a lookup between the first eviction and the
        // commit still read the key as valid and may have cached it
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    authenticator.evict(hash);
                }
            }
        });
    }
}
