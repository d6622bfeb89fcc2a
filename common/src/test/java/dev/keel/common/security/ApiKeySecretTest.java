package dev.keel.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretTest {

    @Test
    void aNewKeyIsKeelAndFortyBase62CharactersStoredAsItsSha256() {
        ApiKeySecret key = ApiKeySecret.generate();
        assertThat(key.secret()).matches("keel_[0-9A-Za-z]{40}");
        assertThat(key.hash()).matches("[0-9a-f]{64}").isEqualTo(ApiKeySecret.hash(key.secret()));
        assertThat(key.prefix()).isEqualTo(key.secret().substring(0, 11));
        assertThat(key.toString()).doesNotContain(key.secret());
        assertThat(ApiKeySecret.looksLikeKey(key.secret())).isTrue();
    }

    @Test
    void keysDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiKeySecret.generate().secret())).isTrue();
        }
    }

    @Test
    void theHashIsPlainSha256OfTheWholeKey() {
        assertThat(ApiKeySecret.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void stringsThatCannotBeKeysAreRecognisedWithoutALookup() {
        assertThat(ApiKeySecret.looksLikeKey("keel_short")).isFalse();
        assertThat(ApiKeySecret.looksLikeKey("sk_" + "a".repeat(40))).isFalse();
        assertThat(ApiKeySecret.looksLikeKey("keel_" + "a".repeat(39) + "!")).isFalse();
        assertThat(ApiKeySecret.looksLikeKey("keel_" + "a".repeat(32))).isTrue();
    }
}
