package dev.keel.common.security;

import dev.keel.common.text.Sha256;
import java.security.SecureRandom;

/**
 * A newly minted API key: {@code keel_} and 40 random base62 characters (about 238 bits, so a plain
 * SHA-256 is a safe way to store it: there is nothing to brute-force). The secret is shown to its
 * owner once; only {@link #hash} and the short {@link #prefix} are ever stored.
 *
 * @param secret the whole key, to hand to the caller exactly once
 * @param prefix the first characters, stored so listings can tell keys apart
 * @param hash   SHA-256 of the whole key, lower-case hex: what the database keeps
 */
public record ApiKeySecret(String secret, String prefix, String hash) {

    public static final String SCHEME = "keel_";
    static final int RANDOM_CHARS = 40;
    /** Shortest random part a presented key may have; shorter ones are rejected without a lookup. */
    static final int MIN_RANDOM_CHARS = 32;
    private static final int PREFIX_LENGTH = SCHEME.length() + 6;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String toString() {
        return "ApiKeySecret[prefix=" + prefix + "]";
    }

    public static ApiKeySecret generate() {
        StringBuilder key = new StringBuilder(SCHEME.length() + RANDOM_CHARS).append(SCHEME);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        String secret = key.toString();
        return new ApiKeySecret(secret, prefixOf(secret), hash(secret));
    }

    /** SHA-256 of the key as lower-case hex, the form {@code api_keys.key_hash} holds. */
    public static String hash(String key) {
        return Sha256.hex(key);
    }

    public static String prefixOf(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }

    /** Whether a presented string can be a Keel key at all; anything else is refused without a database round trip. */
    public static boolean looksLikeKey(String presented) {
        if (!presented.startsWith(SCHEME) || presented.length() < SCHEME.length() + MIN_RANDOM_CHARS
                || presented.length() > SCHEME.length() + 256) {
            return false;
        }
        for (int i = SCHEME.length(); i < presented.length(); i++) {
            char c = presented.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
