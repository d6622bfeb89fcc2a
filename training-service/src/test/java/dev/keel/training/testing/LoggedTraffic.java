package dev.keel.training.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.training.data.HeartDiseaseGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** A model's logged predictions and their feedback labels, as inference-service writes them. */
public final class LoggedTraffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoggedTraffic() {
    }

    /**
     * Replaces the project's logged traffic with {@code predictions} heart-disease predictions of the
     * model; the first {@code labelled} get labels from the project, the rest labels from
     * {@code labelsOfTheRest} (another project's key labelling its request ids), or none when null.
     */
    public static void log(DataSource db, TestProjects.Project project, String model, int predictions, int labelled,
                           TestProjects.Project labelsOfTheRest) {
        HeartDiseaseGenerator generator = new HeartDiseaseGenerator(61, Map.of());
        try (Connection c = db.getConnection()) {
            for (String table : new String[] {"feedback", "predictions"}) {
                try (PreparedStatement clear = c.prepareStatement("DELETE FROM " + table + " WHERE project_id = ?")) {
                    clear.setLong(1, project.id());
                    clear.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO predictions (request_id, predicted_at, project_id, model_name, model_version, features,
                                             prediction, probability, latency_us)
                    VALUES (?, now(), ?, ?, 1, CAST(? AS json), 0, 0.5, 100)""");
                 PreparedStatement f = c.prepareStatement(
                         "INSERT INTO feedback (request_id, project_id, label) VALUES (?, ?, ?)")) {
                for (int i = 0; i < predictions; i++) {
                    Map<String, Number> record = new LinkedHashMap<>(generator.nextRecord());
                    Number label = record.remove(HeartDiseaseGenerator.TARGET);
                    UUID id = UUID.randomUUID();
                    p.setObject(1, id);
                    p.setLong(2, project.id());
                    p.setString(3, model);
                    p.setString(4, JSON.writeValueAsString(record));
                    p.addBatch();
                    if (i < labelled || labelsOfTheRest != null) {
                        f.setObject(1, id);
                        f.setLong(2, i < labelled ? project.id() : labelsOfTheRest.id());
                        f.setDouble(3, label.doubleValue());
                        f.addBatch();
                    }
                }
                p.executeBatch();
                f.executeBatch();
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
