package dev.keel.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RefusedKeyLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void anAddressMaySpendItsBudgetOfRefusedKeysThenWaitsForItToRefill() {
        RefusedKeyLimiter limiter = new RefusedKeyLimiter(30);   // one refused key back every 2 s
        long t = 1_000 * SECOND;
        for (int i = 0; i < 30; i++) {
            assertThat(limiter.secondsUntilLookUp("10.0.0.7", t)).isZero();
            limiter.refused("10.0.0.7", t);
        }
        assertThat(limiter.secondsUntilLookUp("10.0.0.7", t)).isEqualTo(2);
        assertThat(limiter.secondsUntilLookUp("10.0.0.8", t)).as("another address has its own budget").isZero();
        assertThat(limiter.secondsUntilLookUp("10.0.0.7", t + SECOND)).isEqualTo(1);
        assertThat(limiter.secondsUntilLookUp("10.0.0.7", t + 2 * SECOND)).isZero();
        assertThat(limiter.secondsUntilLookUp("10.0.0.7", t + 600 * SECOND)).isZero();
        for (int i = 0; i < 30; i++) {
            limiter.refused("10.0.0.7", t + 600 * SECOND);
        }
        assertThat(limiter.secondsUntilLookUp("10.0.0.7", t + 600 * SECOND)).as("refilled to the budget, no more")
                .isPositive();
    }

    @Test
    void aFloodFromManyAddressesDoesNotGrowTheTableWithoutBound() {
        RefusedKeyLimiter limiter = new RefusedKeyLimiter(1);
        for (int i = 0; i < RefusedKeyLimiter.MAX_ADDRESSES + 10; i++) {
            limiter.refused("addr-" + i, 0);
        }
        assertThat(limiter.secondsUntilLookUp("addr-" + (RefusedKeyLimiter.MAX_ADDRESSES + 9), 0)).isPositive();
        assertThat(limiter.secondsUntilLookUp("addr-0", 0)).as("started afresh").isZero();
    }
}
