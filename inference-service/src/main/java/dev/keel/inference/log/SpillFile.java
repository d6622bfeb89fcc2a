package dev.keel.inference.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The local append-only file where prediction records wait while PostgreSQL cannot take them.
 * Records are JSON lines, fsynced per append, so a crash after an answer was sent loses nothing.
 * Replay moves the file aside first; a replay cut short is simply run again (the insert ignores
 * rows it already has).
 */
final class SpillFile {

    private static final Logger LOG = Logger.getLogger(SpillFile.class);

    private static final String ACTIVE = "predictions.spill.jsonl";
    private static final String REPLAY_PREFIX = "predictions.replay-";

    private final Path directory;
    private final ObjectMapper json;
    private long pendingRecords;

    SpillFile(Path directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
        try {
            Files.createDirectories(directory);
            this.pendingRecords = countLines();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use spill directory " + directory, e);
        }
    }

    /** Appends records durably; throws if the disk refuses, the one case where a record could be lost. */
    synchronized void append(List<PredictionRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(records.size() * 256);
        for (PredictionRecord record : records) {
            lines.append(json.writeValueAsString(record)).append('\n');
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(ACTIVE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        pendingRecords += records.size();
    }

    synchronized long pendingRecords() {
        return pendingRecords;
    }

    synchronized long sizeBytes() throws IOException {
        long size = 0;
        for (Path file : files()) {
            size += Files.size(file);
        }
        return size;
    }

    /**
     * Hands every spilled record to {@code sink} in batches, oldest file first, deleting each file
     * once all its batches were taken. If the sink throws, the file stays for the next attempt.
     */
    void replay(int batchSize, Consumer<List<PredictionRecord>> sink) throws IOException {
        synchronized (this) {
            Path active = directory.resolve(ACTIVE);
            if (Files.exists(active)) {
                Files.move(active, directory.resolve(REPLAY_PREFIX + System.nanoTime() + ".jsonl"),
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        for (Path file : replayFiles()) {
            long replayed = 0;
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<PredictionRecord> batch = new ArrayList<>(batchSize);
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    PredictionRecord record = parse(line, file);
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
    }

    private PredictionRecord parse(String line, Path file) {
        try {
            return json.readValue(line, PredictionRecord.class);
        } catch (JsonProcessingException e) {
            // Only a crash in the middle of an append tears a line, and that append had not
            // completed, so no answer depended on it; the lines around it are intact.
            LOG.warnf("Skipping a torn line in %s: %s", file, e.getOriginalMessage());
            return null;
        }
    }

    private List<Path> replayFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, REPLAY_PREFIX + "*.jsonl")) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(replayFiles());
        Path active = directory.resolve(ACTIVE);
        if (Files.exists(active)) {
            files.add(active);
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

    boolean isEmpty() {
        return pendingRecords() == 0;
    }
}
