package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.training.client.RegistryRejectedException;
import dev.keel.training.client.RegistryUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class DatabasePatienceTest {

    private static final RuntimeException REFUSED = new IllegalStateException("write failed",
            new PSQLException("Connection to 127.0.0.1:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT));
    private static final RuntimeException DUPLICATE = new IllegalStateException("write failed",
            new PSQLException("duplicate key value", PSQLState.UNIQUE_VIOLATION));

    @Test
    void aRegistryThatIsAwayIsToldFromOneThatRefusesTheCall() {
        assertThat(DatabasePatience.registryAway(new RegistryUnavailableException("HTTP 503", null))).isTrue();
        assertThat(DatabasePatience.registryAway(new TimeoutException("60 s"))).isTrue();
        assertThat(DatabasePatience.registryAway(new CircuitBreakerOpenException("open"))).isTrue();

        assertThat(DatabasePatience.registryAway(new RegistryRejectedException(422, "bad schema"))).isFalse();
        assertThat(DatabasePatience.registryAway(REFUSED)).as("this service's own database").isFalse();
    }

    @Test
    void aRegistryCallIsTriedAgainWhileTheRegistryIsAwayAndOnlyThen() {
        DatabasePatience patience = new DatabasePatience(Duration.ofSeconds(30));
        AtomicInteger attempts = new AtomicInteger();
        int version = patience.throughRegistry(1, "registering", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new RegistryUnavailableException("HTTP 503", null);
            }
            return 7;
        });
        assertThat(version).isEqualTo(7);
        assertThat(attempts).hasValue(3);

        attempts.set(0);
        RegistryRejectedException refused = new RegistryRejectedException(422, "bad schema");
        assertThatThrownBy(() -> patience.throughRegistry(1, "registering", () -> {
            attempts.incrementAndGet();
            throw refused;
        })).isSameAs(refused);
        assertThat(attempts).as("a refusal is not tried again").hasValue(1);
    }

    @Test
    void aRequiredWriteIsTriedAgainWhileTheDatabaseIsAwayAndOnlyThen() {
        DatabasePatience patience = new DatabasePatience(Duration.ofSeconds(30));
        AtomicInteger attempts = new AtomicInteger();
        String written = patience.required(1, "a write", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw REFUSED;
            }
            return "written";
        });
        assertThat(written).isEqualTo("written");
        assertThat(attempts).hasValue(3);

        attempts.set(0);
        assertThatThrownBy(() -> patience.required(1, "a write", () -> {
            attempts.incrementAndGet();
            throw DUPLICATE;
        })).isSameAs(DUPLICATE);
        assertThat(attempts).as("a refused statement is not tried again").hasValue(1);
    }

    @Test
    void aRequiredWriteGivesUpWhenThePatienceIsSpent() {
        DatabasePatience patience = new DatabasePatience(Duration.ofMillis(700));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> patience.required(1, "a write", () -> {
            attempts.incrementAndGet();
            throw REFUSED;
        })).isSameAs(REFUSED);
        assertThat(attempts).as("200 ms, then 400 ms: the next pause would pass the patience").hasValue(3);
    }

    @Test
    void aSkippableWriteAnswersItsStandInWhileTheDatabaseIsAway() {
        DatabasePatience patience = new DatabasePatience(Duration.ofSeconds(30));
        assertThat(patience.skippable(1, "progress", () -> {
            throw REFUSED;
        }, true)).isTrue();
        assertThat(patience.skippable(1, "progress", () -> false, true)).isFalse();
        assertThatThrownBy(() -> patience.skippable(1, "progress", () -> {
            throw DUPLICATE;
        }, true)).isSameAs(DUPLICATE);
    }
}
