package dev.keel.training.service;

import dev.keel.training.data.HeartDiseaseGenerator;
import dev.keel.training.entity.DatasetEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Generated heart-disease datasets, stored through the same path as uploads so they are validated alike. */
@ApplicationScoped
public class SyntheticDatasets {

    private final DatasetService datasets;

    public SyntheticDatasets(DatasetService datasets) {
        this.datasets = datasets;
    }

    /** @throws IllegalArgumentException for an unknown feature in {@code drift} */
    public DatasetEntity generate(long projectId, String name, long rows, long seed, Map<String, Double> drift, String actor) {
        HeartDiseaseGenerator generator = new HeartDiseaseGenerator(seed, drift);
        Path spool = null;
        try {
            spool = Files.createTempFile("keel-synthetic-", ".csv");
            try (BufferedWriter out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
                generator.writeCsv(out, rows, true);
            }
            try (InputStream in = Files.newInputStream(spool)) {
                return datasets.upload(new DatasetService.Upload(projectId, name, HeartDiseaseGenerator.TARGET, null, actor), in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Generating a synthetic dataset failed: " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless; the OS cleans its temp directory
                }
            }
        }
    }
}
