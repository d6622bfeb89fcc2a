package dev.keel.inference.service;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Prediction ids as RFC 9562 version 7 UUIDs: 48 bits of Unix time in milliseconds, then 74
 * random bits. Ids made close in time sort close together, so the prediction log's primary key
 * takes each new row near the right edge of its B-tree instead of on a random page of it, and
 * request threads share no lock (as {@link UUID#randomUUID()}'s SecureRandom makes them). The ids
 * name predictions and requests, they guard nothing: reading or labelling a prediction needs the
 * project's API key.
 */
public final class PredictionIds {

    private PredictionIds() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static UUID at(long unixMillis, RandomGenerator random) {
        long high = (unixMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
