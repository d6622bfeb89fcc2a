package dev.keel.agent.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.agent.config.ConsoleConfig;
import dev.keel.common.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Seals a console session into its cookie value with AES-GCM, so the API key it carries is neither
 * readable nor forgeable in the browser, and nothing is kept on the server: any replica that knows
 * {@code KEEL_CONSOLE_SECRET} opens it.
 */
@ApplicationScoped
public class SessionCodec {

    private static final Logger LOG = Logger.getLogger(SessionCodec.class);
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json;

    public SessionCodec(ConsoleConfig config, ObjectMapper json) {
        this.json = json;
        byte[] material;
        if (config.secret().filter(s -> !s.isBlank()).isPresent()) {
            String secret = config.secret().get();
            if (secret.length() < 32) {
                throw new IllegalStateException("KEEL_CONSOLE_SECRET must be at least 32 characters, it has " + secret.length());
            }
            material = Sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
        } else {
            material = new byte[32];
            random.nextBytes(material);
            LOG.warn("KEEL_CONSOLE_SECRET is not set: console sign-ins end when agent-service restarts and are not shared "
                    + "between replicas");
        }
        this.key = new SecretKeySpec(material, "AES");
    }

    /** A new session for a verified API key, with its own CSRF token. */
    public ConsoleSession start(String apiKey, java.time.Duration ttl) {
        byte[] csrf = new byte[24];
        random.nextBytes(csrf);
        return new ConsoleSession(apiKey, HexFormat.of().formatHex(csrf), Instant.now().plus(ttl).getEpochSecond());
    }

    public String seal(ConsoleSession session) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(session));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not seal a console session", e);
        }
    }

    /** The session in a cookie value; empty when it was tampered with, sealed by another secret, or has expired. */
    public Optional<ConsoleSession> open(String value) {
        if (value == null || value.isEmpty() || value.length() > 4096) {
            return Optional.empty();
        }
        try {
            byte[] all = Base64.getUrlDecoder().decode(value);
            if (all.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            ConsoleSession session = json.readValue(plain, ConsoleSession.class);
            return session.expiresAt() > Instant.now().getEpochSecond() ? Optional.of(session) : Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException | IOException e) {
            return Optional.empty();
        }
    }
}
