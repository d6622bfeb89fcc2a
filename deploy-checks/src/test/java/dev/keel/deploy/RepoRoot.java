package dev.keel.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root: Maven passes it as {@code keel.repo.root}; from an IDE, the parent of the working directory. */
final class RepoRoot {

    private RepoRoot() {
    }

    static Path get() {
        String configured = System.getProperty("keel.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("k8s")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalStateException("not Keel's repository root: " + root);
        }
        return root;
    }
}
