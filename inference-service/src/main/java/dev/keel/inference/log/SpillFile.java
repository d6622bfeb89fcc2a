package dev.keel.inference.log;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The local append-only file where prediction records wait while PostgreSQL cannot take them.
 * Each record is its COPY line ({@link PredictionCopyRows}) behind the line's CRC-32C in eight hex
 * digits and a tab, so replay sends the lines as they are and knows a line torn by a crash (the
 * checksum does not match) from a whole one. An append completes only once its lines are
 * fsynced, so a crash after an answer was sent loses nothing; appends that arrive while a sync is
 * running are written and fsynced together by the next one (group commit), so a burst of spilling
 * requests shares a handful of syncs instead of queueing for one each, and the caller's thread
 * never waits for the disk unless it joins the returned future. Replay moves the file aside first; a replay cut short
 * is simply run again (the insert ignores rows it already has).
 */
final class SpillFile implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SpillFile.class);

    private static final String SUFFIX = ".copy";
    private static final String ACTIVE = "predictions.spill" + SUFFIX;
    private static final String REPLAY_PREFIX = "predictions.replay-";
    private static final int CHECKSUM_CHARS = 8;

    /** Records waiting for the next sync, with the future each append's caller holds. */
    private record Waiting(List<byte[]> records, CompletableFuture<Void> synced) {
    }

    private final Path directory;
    private final Thread syncer;

    // guarded by `waitingLock`, which is only ever held for a list swap: callers on an event loop take it
    private final Object waitingLock = new Object();
    private List<Waiting> waiting = new ArrayList<>();
    private long waitingRecords;
    private boolean closed;

    // guarded by `this`, held while the disk works
    private FileChannel active;
    private boolean startWithNewline;
    private long pendingRecords;

    /** Called with the number of records and the nanoseconds of each group write + fsync. */
    private final SyncListener listener;

    interface SyncListener {
        void synced(int records, long nanos);
    }

    SpillFile(Path directory, SyncListener listener) {
        this.directory = directory;
        this.listener = listener;
        try {
            Files.createDirectories(directory);
            this.pendingRecords = countLines();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use spill directory " + directory, e);
        }
        this.syncer = new Thread(this::syncLoop, "prediction-spill-sync");
        syncer.setDaemon(true);
        syncer.start();
    }

    /**
     * Appends records durably: the future completes once they are fsynced, or fails if the disk
     * refuses (the one case where a record could be lost). Never blocks on the disk itself, except
     * after {@link #close()}, when the append is written on the caller's thread.
     */
    CompletableFuture<Void> append(List<byte[]> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> synced = new CompletableFuture<>();
        synchronized (waitingLock) {
            if (!closed) {
                waiting.add(new Waiting(List.copyOf(records), synced));
                waitingRecords += records.size();
                waitingLock.notifyAll();
                return synced;
            }
        }
        try {
            write(List.of(new Waiting(List.copyOf(records), synced)));
            synced.complete(null);
        } catch (IOException | RuntimeException e) {
            synced.completeExceptionally(e);
        }
        return synced;
    }

    private void syncLoop() {
        while (true) {
            List<Waiting> group;
            synchronized (waitingLock) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        waitingLock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends this loop, after the last group is on disk
                        LOG.debug("Spill sync thread interrupted; carrying on until closed");
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                group = waiting;
                waiting = new ArrayList<>();
            }
            int records = group.stream().mapToInt(w -> w.records().size()).sum();
            try {
                write(group);
                group.forEach(w -> w.synced().complete(null));
            } catch (IOException | RuntimeException e) {
                group.forEach(w -> w.synced().completeExceptionally(e));
            } finally {
                synchronized (waitingLock) {
                    waitingRecords -= records;
                }
            }
        }
    }

    /** One write and one fsync for the whole group; the lines are made before the file lock is taken. */
    private void write(List<Waiting> group) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(320 * group.size());
        int records = 0;
        for (Waiting w : group) {
            for (byte[] line : w.records()) {
                lines.write(checksum(line).getBytes(StandardCharsets.US_ASCII));
                lines.write('\t');
                lines.write(line);
                records++;
            }
        }
        long start = System.nanoTime();
        synchronized (this) {
            if (active == null) {
                // one writer at a time (this lock), so writing at the end is appending
                active = FileChannel.open(directory.resolve(ACTIVE),
                        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                active.position(active.size());
                startWithNewline = startWithNewline || endsInATornLine(active);
            }
            try {
                if (startWithNewline) {
                    writeFully(ByteBuffer.wrap(new byte[] {'\n'}));
                    startWithNewline = false;
                }
                writeFully(ByteBuffer.wrap(lines.toByteArray()));
                active.force(false);
            } catch (IOException e) {
                // a half-written append may sit at the end: the next append starts on a line of its own
                startWithNewline = true;
                closeActive();
                throw e;
            }
            pendingRecords += records;
        }
        listener.synced(records, System.nanoTime() - start);
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            active.write(bytes);
        }
    }

    /** Whether the file ends without a newline, as after a crash in the middle of an append. */
    private static boolean endsInATornLine(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) != '\n';
    }

    /** Records on disk waiting for replay. */
    synchronized long pendingRecords() {
        return pendingRecords;
    }

    /** Whether nothing waits: nothing on disk and nothing handed over for the next sync. */
    boolean isEmpty() {
        synchronized (waitingLock) {
            if (waitingRecords > 0) {
                return false;
            }
        }
        return pendingRecords() == 0;
    }

    /**
     * Hands every spilled record to {@code sink} in batches, oldest file first, deleting each file
     * once all its batches were taken. If the sink throws, the file stays for the next attempt.
     */
    void replay(int batchSize, Consumer<List<byte[]>> sink) throws IOException {
        synchronized (this) {
            closeActive();
            Path activePath = directory.resolve(ACTIVE);
            if (Files.isRegularFile(activePath)) {
                Files.move(activePath, directory.resolve(REPLAY_PREFIX + String.format("%020d", System.currentTimeMillis())
                        + "-" + System.nanoTime() + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        for (Path file : replayFiles()) {
            long replayed = 0;
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<byte[]> batch = new ArrayList<>(batchSize);
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    byte[] record = verified(line, file);
                    if (record == null) {
                        continue;
                    }
                    batch.add(record);
                    if (batch.size() == batchSize) {
                        sink.accept(batch);
                        replayed += batch.size();
                        batch = new ArrayList<>(batchSize);
                    }
                }
                if (!batch.isEmpty()) {
                    sink.accept(batch);
                    replayed += batch.size();
                }
            }
            Files.delete(file);
            synchronized (this) {
                pendingRecords = Math.max(0, pendingRecords - replayed);
            }
        }
        // what waits now is what is on disk (the appends made meanwhile): a count that drifted from the
        // files (lines that failed their checksum, say) would otherwise stay above zero with nothing to
        // replay, and the writer would replay nothing again and again
        synchronized (this) {
            pendingRecords = countLines();
        }
    }

    /** Writes what still waits for a sync, stops the sync thread and closes the file; later appends write inline. */
    @Override
    public void close() {
        synchronized (waitingLock) {
            closed = true;
            waitingLock.notifyAll();
        }
        try {
            syncer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeActive();
        }
    }

    private void closeActive() {
        if (active == null) {
            return;
        }
        try {
            active.close();
        } catch (IOException e) {
            LOG.warnf("Closing the spill file failed: %s", e.getMessage());
        }
        active = null;
    }

    /**
     * The COPY line a spill line carries, newline restored, or null for a line whose checksum does
     * not match. Only a crash in the middle of an append tears a line, and that append had not
     * completed, so no answer depended on it; the lines around it are intact.
     */
    private static byte[] verified(String line, Path file) {
        if (line.length() > CHECKSUM_CHARS && line.charAt(CHECKSUM_CHARS) == '\t') {
            byte[] copyLine = (line.substring(CHECKSUM_CHARS + 1) + '\n').getBytes(StandardCharsets.UTF_8);
            if (checksum(copyLine).equals(line.substring(0, CHECKSUM_CHARS))) {
                return copyLine;
            }
        }
        LOG.warnf("Skipping a torn line in %s (%d characters)", file, line.length());
        return null;
    }

    /** CRC-32C of a COPY line without its newline, in {@value #CHECKSUM_CHARS} hex digits. */
    private static String checksum(byte[] copyLine) {
        CRC32C crc = new CRC32C();
        crc.update(copyLine, 0, copyLine.length - 1);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private List<Path> replayFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, REPLAY_PREFIX + "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(replayFiles());
        Path activePath = directory.resolve(ACTIVE);
        if (Files.isRegularFile(activePath)) {
            files.add(activePath);
        }
        return files;
    }

    private long countLines() throws IOException {
        long lines = 0;
        for (Path file : files()) {
            try (var stream = Files.lines(file, StandardCharsets.UTF_8)) {
                lines += stream.filter(l -> !l.isBlank()).count();
            }
        }
        return lines;
    }
}
