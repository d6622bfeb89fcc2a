package dev.keel.inference.service;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Prediction ids as RFC 9562 version 7 UUIDs: 48 bits of Unix time in milliseconds, a 12-bit
 * counter, then 62 random bits. Ids made close in time sort close together, so the prediction
 * log's primary key takes each new row near the right edge of its B-tree instead of on a random
 * page of it, and request threads share no lock (as {@link UUID#randomUUID()}'s SecureRandom makes
 * them). The ids name predictions and requests, they guard nothing: reading or labelling a
 * prediction needs the project's API key.
 *
 * <p>The ids one thread makes increase strictly (RFC 9562 section 6.2, method 1): within a
 * millisecond the counter counts on from a random start in its lower half, and when it runs out
 * the id takes the next millisecond. So the rows of a batch, which share their logged time, sort by
 * id in the order the request gave them, and a dataset built from the log in time-then-id order
 * (training from feedback) keeps that order instead of a random one.
 */
public final class PredictionIds {

    private static final int COUNTER_MAX = 0xFFF;
    private static final int COUNTER_START_BOUND = 0x800;
    private static final ThreadLocal<Sequence> SEQUENCES = ThreadLocal.withInitial(Sequence::new);

    private PredictionIds() {
    }

    public static UUID next() {
        return SEQUENCES.get().next(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static UUID at(long unixMillis, int counter, RandomGenerator random) {
        long high = (unixMillis << 16) | 0x7000L | (counter & COUNTER_MAX);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /** One thread's last millisecond and counter. */
    static final class Sequence {
        private long millis = Long.MIN_VALUE;
        private int counter;

        UUID next(long nowMillis, RandomGenerator random) {
            if (nowMillis > millis) {
                millis = nowMillis;
                counter = random.nextInt(COUNTER_START_BOUND);
            } else if (++counter > COUNTER_MAX) {   // the same millisecond (or the clock went back) and the counter is spent
                millis++;
                counter = random.nextInt(COUNTER_START_BOUND);
            }
            return at(millis, counter, random);
        }
    }
}
