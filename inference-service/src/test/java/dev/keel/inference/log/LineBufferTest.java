package dev.keel.inference.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-memory part of the prediction log: every line added comes out once, whole, in its thread's order. */
class LineBufferTest {

    @Test
    void linesAddedByManyThreadsWhileTheWriterTakesComeOutOnceEachInEachThreadsOrder() throws Exception {
        LineBuffer buffer = new LineBuffer(1_000_000);
        int threads = 4;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread adder = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    assertThat(buffer.add(line(id + "\t" + i))).isTrue();
                }
            });
            adder.start();
            adders.add(adder);
        }
        List<byte[]> out = new ArrayList<>();
        start.countDown();
        // the writer's side: full chunks as they come, now and then everything, as a batch deadline would
        boolean adding = true;
        for (int round = 0; adding; round++) {
            List<LineBuffer.Chunk> batch = new ArrayList<>();
            if (round % 3 == 0) {
                buffer.takeAll(batch);
            } else {
                buffer.takeFull(batch);
            }
            batch.forEach(c -> out.addAll(c.lines()));
            buffer.release(batch);
            adding = adders.stream().anyMatch(Thread::isAlive);
        }
        for (Thread adder : adders) {
            adder.join(TimeUnit.SECONDS.toMillis(30));
        }
        List<LineBuffer.Chunk> rest = new ArrayList<>();
        buffer.takeAll(rest);
        rest.forEach(c -> out.addAll(c.lines()));
        buffer.release(rest);

        assertThat(out).hasSize(threads * perThread);
        assertThat(buffer.held()).isZero();
        Map<String, Integer> next = new HashMap<>();
        for (byte[] line : out) {
            String[] fields = new String(line, StandardCharsets.UTF_8).strip().split("\t");
            int expected = next.getOrDefault(fields[0], 0);
            assertThat(Integer.parseInt(fields[1])).as("thread %s's lines in order", fields[0]).isEqualTo(expected);
            next.put(fields[0], expected + 1);
        }
        assertThat(next.values()).containsOnly(perThread);
    }

    @Test
    void refusesLinesBeyondItsCapacityUntilTheWriterTakesSome() {
        LineBuffer buffer = new LineBuffer(3);
        assertThat(buffer.add(line("a"))).isTrue();
        assertThat(buffer.add(line("b"))).isTrue();
        assertThat(buffer.add(line("c"))).isTrue();
        assertThat(buffer.add(line("d"))).as("a fourth record over a capacity of 3").isFalse();
        assertThat(buffer.held()).isEqualTo(3);

        List<LineBuffer.Chunk> batch = new ArrayList<>();
        assertThat(buffer.takeAll(batch)).isEqualTo(3);
        assertThat(buffer.held()).isZero();
        assertThat(buffer.add(line("d"))).isTrue();
        assertThat(buffer.held()).isOne();
    }

    @Test
    void theWriterTakesFullChunksUpToABatchAndTheRestStaysForTheNext() {
        LineBuffer buffer = new LineBuffer(1_000_000);
        byte[] line = line("x".repeat(99));   // 100 bytes: a chunk holds 655 of them
        for (int i = 0; i < 655 * 5; i++) {
            buffer.add(line);   // five full chunks handed over, the sixth one started
        }
        List<LineBuffer.Chunk> batch = new ArrayList<>();
        assertThat(buffer.takeFull(batch, 1_000)).as("two chunks reach 1,000 records").isEqualTo(655 * 2);
        assertThat(buffer.held()).isEqualTo(655 * 3);
        assertThat(buffer.takeFull(batch, 1_000_000)).isEqualTo(655 * 2);
        assertThat(buffer.takeAll(batch)).as("the started chunk").isEqualTo(655);
        assertThat(buffer.held()).isZero();
    }

    @Test
    void aLineLongerThanAChunkAndTheLinesAroundItComeBackWhole() {
        LineBuffer buffer = new LineBuffer(100);
        String longLine = String.join("", Collections.nCopies(LineBuffer.CHUNK_BYTES / 4, "é\\t"));   // 4 bytes each
        buffer.add(line("before"));
        buffer.add(line(longLine));
        buffer.add(line("after"));

        List<LineBuffer.Chunk> batch = new ArrayList<>();
        assertThat(buffer.takeAll(batch)).isEqualTo(3);
        List<String> lines = new ArrayList<>();
        batch.forEach(c -> c.lines().forEach(l -> lines.add(new String(l, StandardCharsets.UTF_8))));
        assertThat(lines).containsExactly("before\n", longLine + "\n", "after\n");

        buffer.release(batch);   // the long line's chunk is dropped, the others are reused: empty
        buffer.add(line("again"));
        List<LineBuffer.Chunk> next = new ArrayList<>();
        assertThat(buffer.takeAll(next)).isOne();
        assertThat(next).hasSize(1);
        assertThat(next.get(0).lines()).extracting(l -> new String(l, StandardCharsets.UTF_8)).containsExactly("again\n");
    }

    @Test
    void theLastChunkOfAThreadThatEndedIsTaken() throws Exception {
        LineBuffer buffer = new LineBuffer(100);
        Thread adder = new Thread(() -> buffer.add(line("from a thread that ends")));
        adder.start();
        adder.join();

        List<LineBuffer.Chunk> batch = new ArrayList<>();
        assertThat(buffer.takeAll(batch)).isEqualTo(1);
        assertThat(new String(batch.get(0).lines().get(0), StandardCharsets.UTF_8)).isEqualTo("from a thread that ends\n");
        buffer.release(batch);
        assertThat(buffer.takeAll(new ArrayList<>())).isZero();
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
