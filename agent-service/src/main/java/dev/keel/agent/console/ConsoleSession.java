package dev.keel.agent.console;

/**
 * What the session cookie seals: the API key the person signed in with (every call to the other
 * services carries it, so their audit names the key), the form token that guards against CSRF, and
 * when the sign-in ends (epoch seconds).
 */
public record ConsoleSession(String apiKey, String csrf, long expiresAt) {

    @Override
    public String toString() {
        return "ConsoleSession[expiresAt=" + expiresAt + "]";
    }
}
