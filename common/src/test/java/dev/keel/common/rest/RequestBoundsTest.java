package dev.keel.common.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.problem.ProblemException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bounds a request's page and instants are held to before they reach JPA or PostgreSQL. */
class RequestBoundsTest {

    @Test
    void aPageWhoseFirstRowOverflowsAnIntIsA400NamingPage() {
        assertThat(Paging.page(null)).isZero();
        assertThat(Paging.page(Paging.MAX_PAGE)).isEqualTo(Paging.MAX_PAGE);
        assertThat((long) Paging.MAX_PAGE * 2_000).isLessThanOrEqualTo(Integer.MAX_VALUE);
        for (int bad : new int[] {-1, Paging.MAX_PAGE + 1, 10_737_419, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> Paging.page(bad)).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("page");
            });
        }
    }

    @Test
    void instantsOutsideTheFourDigitYearsAreA400NamingTheField() {
        Instant now = Instant.now();
        assertThat(Timestamps.storable("expires_at", now)).isEqualTo(now);
        assertThat(Timestamps.storable("expires_at", null)).isNull();
        assertThat(Timestamps.storable("to", Timestamps.LATEST)).isEqualTo(Timestamps.LATEST);
        for (String bad : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "0000-12-31T23:59:59Z"}) {
            assertThatThrownBy(() -> Timestamps.storable("window.end", Instant.parse(bad)))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("window.end");
                        assertThat(e.getMessage()).contains("window.end: must be from 0001-01-01T00:00:00Z");
                    });
        }
    }
}
