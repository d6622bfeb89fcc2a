package dev.keel.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PredictionIdsTest {

    @Test
    void idsAreVersion7WithTheirMillisecondInFront() {
        long millis = 1_764_547_200_123L; // 2025-12-01T00:00:00.123Z
        UUID id = new PredictionIds.Sequence().next(millis, new SplittableRandom(7));
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", millis >>> 16, millis & 0xFFFF));
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsTextAndAsPostgresCompares() {
        SplittableRandom random = new SplittableRandom(1);
        UUID previous = PredictionIds.at(1_764_547_200_000L, 0xFFF, random);
        for (long ms = 1_764_547_200_001L; ms < 1_764_547_201_000L; ms++) {
            UUID next = PredictionIds.at(ms, random.nextInt(0x1000), random);
            // PostgreSQL orders uuid bytewise, which is the order of the lower-case hex text
            assertThat(next.toString()).isGreaterThan(previous.toString());
            previous = next;
        }
    }

    @Test
    void idsOfOneThreadIncreaseStrictlyWithinAMillisecondPastTheCounterAndWhenTheClockGoesBack() {
        PredictionIds.Sequence sequence = new PredictionIds.Sequence();
        SplittableRandom random = new SplittableRandom(3);
        long ms = 1_764_547_200_000L;
        UUID previous = sequence.next(ms, random);
        // 10,000 ids in one millisecond spend the 12-bit counter several times over
        for (int i = 0; i < 10_000; i++) {
            UUID next = sequence.next(ms, random);
            assertThat(next.toString()).isGreaterThan(previous.toString());
            previous = next;
        }
        UUID afterClockWentBack = sequence.next(ms - 5_000, random);
        assertThat(afterClockWentBack.toString()).isGreaterThan(previous.toString());
        assertThat(afterClockWentBack.getMostSignificantBits() >>> 16).as("never more than a few ms ahead of the clock")
                .isLessThan(ms + 10);
        UUID later = sequence.next(ms + 1_000, random);
        assertThat(later.getMostSignificantBits() >>> 16).isEqualTo(ms + 1_000);
        assertThat(later.version()).isEqualTo(7);
        assertThat(later.variant()).isEqualTo(2);
    }

    @Test
    void manyIdsMadeTogetherDoNotRepeat() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            seen.add(PredictionIds.next());
        }
        assertThat(seen).hasSize(200_000);
        assertThat(PredictionIds.next().version()).isEqualTo(7);
    }
}
