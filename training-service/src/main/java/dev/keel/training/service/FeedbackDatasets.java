package dev.keel.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.problem.ProblemException;
import dev.keel.training.client.RegistryClient;
import dev.keel.training.data.ColumnSpec;
import dev.keel.training.domain.DatasetSnapshot;
import dev.keel.training.entity.DatasetEntity;
import dev.keel.training.repository.TrainingRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Turns a model's logged predictions that have ground truth into a training dataset: each
 * prediction's features joined with its feedback label. The rows are streamed from PostgreSQL into a
 * CSV spool file and then uploaded like any dataset, so they get the same validation. The columns are
 * those of the model's latest dataset (so a retrained model keeps its inputs and their order), else
 * those of its production version's feature schema, else the first labelled prediction's features in
 * alphabetical order.
 */
@ApplicationScoped
public class FeedbackDatasets {

    private static final Logger LOG = Logger.getLogger(FeedbackDatasets.class);
    private static final String LABELLED = """
            SELECT p.features, f.label FROM predictions p
            JOIN feedback f ON f.request_id = p.request_id AND f.project_id = p.project_id
            WHERE p.project_id = ? AND p.model_name = ? ORDER BY p.predicted_at, p.request_id""";
    private static final String LABELLED_COUNT = """
            SELECT count(*) FROM (SELECT 1 FROM predictions p
            JOIN feedback f ON f.request_id = p.request_id AND f.project_id = p.project_id
            WHERE p.project_id = ? AND p.model_name = ? LIMIT ?) labelled""";

    private final DataSource dataSource;
    private final DatasetService datasets;
    private final TrainingRunRepository runs;
    private final RegistryClient registry;
    private final ObjectMapper mapper;

    public FeedbackDatasets(DataSource dataSource, DatasetService datasets, TrainingRunRepository runs,
                            RegistryClient registry, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.datasets = datasets;
        this.runs = runs;
        this.mapper = mapper;
    }

    /**
     * How many of the model's logged predictions have a feedback label, counting no further than
     * {@code cap}: callers only ask whether there are enough, and a model's whole labelled history
     * may be large.
     */
    public long labelledRows(long projectId, String model, long cap) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LABELLED_COUNT)) {
            ps.setLong(1, projectId);
            ps.setString(2, model);
            ps.setLong(3, cap);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting the labelled predictions of " + model + " failed: " + e.getMessage(), e);
        }
    }

    /** Builds and stores the dataset; 422 when the model has no labelled predictions yet. */
    public DatasetEntity build(long projectId, String project, String model) {
        Optional<DatasetSnapshot> template = QuarkusTransaction.joiningExisting()
                .call(() -> runs.latestDatasetOf(projectId, model))
                .map(id -> datasets.snapshot(projectId, id));
        List<String> features = template.map(t -> t.features().stream().map(ColumnSpec::name).toList())
                .or(() -> registry.production(project, model).map(p -> p.featureSchema()).filter(s -> s != null && !s.isEmpty())
                        .map(s -> s.stream().map(ColumnSpec::name).toList()))
                .orElse(null);
        String target = template.map(DatasetSnapshot::targetColumn).orElse("label");
        Path spool = null;
        try {
            spool = Files.createTempFile("keel-feedback-", ".csv");
            long rows = write(projectId, model, features, target, spool);
            if (rows == 0) {
                throw ProblemException.unprocessable("source", "Model '" + model + "' has no logged predictions with "
                        + "feedback labels yet");
            }
            String name = "feedback-" + model + "-" + LocalDate.now(ZoneOffset.UTC);
            try (InputStream in = Files.newInputStream(spool)) {
                DatasetEntity dataset = datasets.upload(new DatasetService.Upload(projectId, name, target, null,
                        "feedback-join"), in);
                LOG.infof("Built dataset %d for %s/%s from %d labelled predictions", dataset.id, project, model, rows);
                return dataset;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Building the feedback dataset of " + model + " failed: " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warnf("Could not delete the spool file %s", spool);
                }
            }
        }
    }

    private long write(long projectId, String model, List<String> knownFeatures, String target, Path spool)
            throws IOException {
        try (Connection c = dataSource.getConnection(); BufferedWriter out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
            // a cursor, not the whole result: the driver only streams with autocommit off
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(LABELLED)) {
                ps.setFetchSize(5_000);
                ps.setLong(1, projectId);
                ps.setString(2, model);
                List<String> features = knownFeatures;
                long rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode values = mapper.readTree(rs.getString(1));
                        if (features == null) {
                            features = new ArrayList<>();
                            for (Iterator<String> names = values.fieldNames(); names.hasNext(); ) {
                                features.add(names.next());
                            }
                            // the logged rows keep the keys in their requests' orders, which may differ; alphabetical is predictable
                            features.sort(null);
                        }
                        if (rows == 0) {
                            List<String> header = new ArrayList<>(features);
                            header.add(target);
                            out.write(String.join(",", header.stream().map(FeedbackDatasets::quote).toList()));
                            out.write('\n');
                        }
                        StringBuilder line = new StringBuilder();
                        for (String feature : features) {
                            JsonNode v = values.get(feature);
                            line.append(v == null || v.isNull() ? "" : quote(v.isTextual() ? v.asText() : v.toString())).append(',');
                        }
                        double label = rs.getDouble(2);
                        line.append(label == Math.rint(label) ? Long.toString((long) label) : Double.toString(label)).append('\n');
                        out.write(line.toString());
                        rows++;
                    }
                }
                c.commit();
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the labelled predictions of " + model + " failed: " + e.getMessage(), e);
        }
    }

    private static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
