package dev.keel.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization the way users will: with {@code kubectl kustomize} or {@code kustomize build}
 * when one is on PATH, else with {@link MiniKustomize}, which implements exactly the features k8s/ uses
 * ({@code -Dkeel.kustomize=builtin} forces it).
 */
final class Kustomize {

    /** Which renderer produced a rendering, for test messages. */
    enum Renderer { KUBECTL, KUSTOMIZE, BUILT_IN }

    record Rendering(Renderer renderer, String yaml) {
    }

    private Kustomize() {
    }

    static Rendering render(Path dir) {
        if ("builtin".equals(System.getProperty("keel.kustomize"))) {
            return new Rendering(Renderer.BUILT_IN, MiniKustomize.render(dir));
        }
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            return new Rendering(Renderer.KUBECTL, run(List.of(kubectl.get().toString(), "kustomize", dir.toString())));
        }
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return new Rendering(Renderer.KUSTOMIZE, run(List.of(kustomize.get().toString(), "build", dir.toString())));
        }
        return new Rendering(Renderer.BUILT_IN, MiniKustomize.render(dir));
    }

    static Optional<String> renderWithTool(Path dir) {
        return onPath("kubectl").map(k -> run(List.of(k.toString(), "kustomize", dir.toString())))
                .or(() -> onPath("kustomize").map(k -> run(List.of(k.toString(), "build", dir.toString()))));
    }

    static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String run(List<String> command) {
        try {
            Path out = Files.createTempFile("keel-deploy-checks", ".out");
            Path err = Files.createTempFile("keel-deploy-checks", ".err");
            try {
                // stderr apart: a tool's warnings must not end up in the YAML
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", command));
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
