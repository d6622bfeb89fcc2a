package dev.keel.inference.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillFileTest {

    @TempDir
    Path dir;

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replayHandsBackTheLinesAsTheyWereAppendedAcrossARestart() throws Exception {
        SpillFile spill = new SpillFile(dir, (records, nanos) -> { });
        spill.append(List.of(line("a\t1\t{\"x\": \"caf\u00e9\"}"), line("b\t2\t\\N"))).join();
        spill.append(List.of(line("c\t3\t\\\\t"))).join();
        spill.close();

        SpillFile reopened = new SpillFile(dir, (records, nanos) -> { });
        assertThat(reopened.pendingRecords()).isEqualTo(3);
        List<String> replayed = new ArrayList<>();
        reopened.replay(2, batch -> batch.forEach(l -> replayed.add(new String(l, StandardCharsets.UTF_8))));
        assertThat(replayed).containsExactly("a\t1\t{\"x\": \"caf\u00e9\"}\n", "b\t2\t\\N\n", "c\t3\t\\\\t\n");
        assertThat(reopened.pendingRecords()).isZero();
        assertThat(reopened.isEmpty()).isTrue();
        reopened.close();
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheLinesAroundItReplay() throws Exception {
        SpillFile spill = new SpillFile(dir, (records, nanos) -> { });
        spill.append(List.of(line("first\tline"))).join();
        spill.close();
        Path file = dir.resolve("predictions.spill.copy");
        String whole = Files.readString(file);
        // a crash in the middle of the next append: part of its line, no newline
        Files.writeString(file, whole.substring(0, whole.length() - 4), StandardOpenOption.APPEND);

        SpillFile reopened = new SpillFile(dir, (records, nanos) -> { });
        reopened.append(List.of(line("second\tline"))).join();   // starts on a line of its own
        // and a line whose text no longer matches its checksum
        Files.writeString(file, "00000000\tdamaged\tline\n", StandardOpenOption.APPEND);
        List<String> replayed = new ArrayList<>();
        reopened.replay(10, batch -> batch.forEach(l -> replayed.add(new String(l, StandardCharsets.UTF_8))));
        assertThat(replayed).containsExactly("first\tline\n", "second\tline\n");
        // the skipped lines are not left counted: nothing waits, so the writer does not replay again and again
        assertThat(reopened.pendingRecords()).isZero();
        assertThat(reopened.isEmpty()).isTrue();
        reopened.close();
    }

    @Test
    void aFailingSinkLeavesTheFileForTheNextAttempt() throws Exception {
        SpillFile spill = new SpillFile(dir, (records, nanos) -> { });
        spill.append(List.of(line("kept\tline"))).join();
        // the writer's case: PostgreSQL refused the batch
        assertThatThrownBy(() -> spill.replay(10, batch -> {
            throw new IllegalStateException("database away");
        })).isInstanceOf(IllegalStateException.class);
        List<String> replayed = new ArrayList<>();
        spill.replay(10, batch -> batch.forEach(l -> replayed.add(new String(l, StandardCharsets.UTF_8))));
        assertThat(replayed).containsExactly("kept\tline\n");
        spill.close();
    }
}
