package dev.keel.system;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool} (Debian/Ubuntu: {@code apt-get install prometheus}), when it is on PATH. */
final class Promtool {

    /**
     * What {@code promtool check metrics} said about one exposition: exit status 0 (clean), 3 (it
     * parsed, with lint findings, one per line: {@code <series> <problem>}) or anything else (it did
     * not parse).
     */
    record MetricsCheck(int exitStatus, List<String> findings) {

        boolean parsed() {
            return exitStatus == 0 || exitStatus == 3;
        }
    }

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    static Optional<Promtool> onPath() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Arrays.stream(path.split(File.pathSeparator)).map(dir -> Path.of(dir, "promtool"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().map(Promtool::new);
    }

    /** Runs {@code promtool check metrics} over a Prometheus text exposition (format 0.0.4) on stdin. */
    MetricsCheck checkMetrics(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool check metrics did not finish within 60 s");
        }
        return new MetricsCheck(p.exitValue(), output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
