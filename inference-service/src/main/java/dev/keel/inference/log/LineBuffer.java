package dev.keel.inference.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The prediction log's records in memory, on their way from the request threads to the writer: COPY
 * lines packed into reused chunks of {@value #CHUNK_BYTES} bytes rather than held one array a record.
 *
 * <p>Why chunks: a record waits up to a flush interval (longer while PostgreSQL is slow), so a
 * young-generation collection finds thousands of them alive and copies each; measured at 50,000
 * predictions a second, 2-9 MB were copied per collection and pauses averaged 2.9-6.9 ms against
 * 2.0 ms with nothing waiting; with chunks, 100-150 KB and 2.1-3.9 ms. A reused chunk is promoted
 * once and then stays in the old generation; lines are copied into it and their own arrays die
 * young, and a backlog (PostgreSQL slow or away) costs the collector a few large arrays, not
 * thousands of small ones.
 *
 * <p>Each request thread fills a chunk of its own, under that chunk holder's monitor, which only
 * the writer ever contends for (once a batch, to take a partly filled chunk): request threads are
 * event-loop threads and share no lock. A full chunk is handed to the writer through a lock-free
 * queue. The number of records held is bounded; a record the buffer refuses goes to the spill file.
 */
final class LineBuffer {

    /** Bytes a chunk holds: about 180 lines of the benchmark's model; a longer line gets a chunk of its own size. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** Empty chunks kept for reuse (8 MiB): a batch of 5,000 of the benchmark's records fills about 28. */
    private static final int CHUNKS_KEPT = 128;

    private final int capacity;
    /** Records added and not yet taken by the writer. */
    private final AtomicInteger held = new AtomicInteger();
    private final Queue<Holder> holders = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Holder> ownHolder = ThreadLocal.withInitial(this::register);
    private final Queue<Chunk> full = new ConcurrentLinkedQueue<>();
    private final Queue<Chunk> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();

    /** @param capacity records held at most (threads adding at the same moment may each pass the check once) */
    LineBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Adds one COPY line (newline included), unless {@code capacity} records are held already. */
    boolean add(byte[] line) {
        if (held.incrementAndGet() > capacity) {
            held.decrementAndGet();
            return false;
        }
        ownHolder.get().append(line);
        return true;
    }

    /** Records waiting for the writer to take them. */
    int held() {
        return held.get();
    }

    /** Moves the full chunks handed over so far into {@code batch}; answers how many records they hold. */
    int takeFull(List<Chunk> batch) {
        return takeFull(batch, Integer.MAX_VALUE);
    }

    /** Moves full chunks into {@code batch}, oldest first, until they hold {@code records} or more; answers how many they hold. */
    int takeFull(List<Chunk> batch, int records) {
        int taken = 0;
        for (Chunk c; taken < records && (c = full.poll()) != null; ) {
            batch.add(c);
            taken += c.records;
        }
        held.addAndGet(-taken);
        return taken;
    }

    /**
     * Moves every chunk holding records into {@code batch}: the full ones and each thread's current
     * one, after its full ones, so each thread's lines stay in the order it added them.
     */
    int takeAll(List<Chunk> batch) {
        int records = 0;
        for (Iterator<Holder> it = holders.iterator(); it.hasNext(); ) {
            Holder h = it.next();
            // whether the thread had ended is asked before its chunk is taken: asked after, a thread
            // could add lines in between and end, and its holder would be dropped with them
            boolean ended = !h.owner.isAlive();
            records += h.takeInto(batch);
            if (ended) {
                it.remove();   // it adds nothing more, and its last chunk was just taken
            }
        }
        return records + takeFull(batch);
    }

    /** The writer is done with these chunks (their records are in the table or the spill file): they are reused. */
    void release(List<Chunk> chunks) {
        for (Chunk c : chunks) {
            if (c.bytes.length != CHUNK_BYTES) {
                continue;   // made for one long line: not kept
            }
            if (spareCount.incrementAndGet() <= CHUNKS_KEPT) {
                c.clear();
                spare.add(c);
            } else {
                spareCount.decrementAndGet();
            }
        }
    }

    private Holder register() {
        Holder h = new Holder(Thread.currentThread());
        holders.add(h);
        return h;
    }

    private Chunk chunkFor(int lineBytes) {
        if (lineBytes > CHUNK_BYTES) {
            return new Chunk(lineBytes);
        }
        Chunk c = spare.poll();
        if (c == null) {
            return new Chunk(CHUNK_BYTES);
        }
        spareCount.decrementAndGet();
        return c;
    }

    /** One thread's chunk being filled. */
    private final class Holder {
        private final Thread owner;
        private Chunk current;   // guarded by this

        Holder(Thread owner) {
            this.owner = owner;
        }

        synchronized void append(byte[] line) {
            if (current != null && current.used + line.length > current.bytes.length) {
                full.add(current);
                current = null;
            }
            if (current == null) {
                current = chunkFor(line.length);
            }
            current.put(line);
        }

        /** The full chunks so far (this thread's among them: it hands them over under this lock), then this one's current. */
        synchronized int takeInto(List<Chunk> batch) {
            int records = takeFull(batch);
            if (current != null) {
                batch.add(current);
                records += current.records;
                held.addAndGet(-current.records);
                current = null;
            }
            return records;
        }
    }

    /** Whole COPY lines, one after another. */
    static final class Chunk {
        private final byte[] bytes;
        private int used;
        private int records;

        Chunk(int size) {
            this.bytes = new byte[size];
        }

        void put(byte[] line) {
            System.arraycopy(line, 0, bytes, used, line.length);
            used += line.length;
            records++;
        }

        byte[] bytes() {
            return bytes;
        }

        int used() {
            return used;
        }

        int records() {
            return records;
        }

        /** The lines one by one, newline included (for the spill file). */
        List<byte[]> lines() {
            List<byte[]> lines = new ArrayList<>(records);
            int start = 0;
            for (int i = 0; i < used; i++) {
                if (bytes[i] == '\n') {   // COPY text escapes newlines inside values, so each one ends a line
                    lines.add(Arrays.copyOfRange(bytes, start, i + 1));
                    start = i + 1;
                }
            }
            return lines;
        }

        private void clear() {
            used = 0;
            records = 0;
        }
    }
}
