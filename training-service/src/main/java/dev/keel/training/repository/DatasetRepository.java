package dev.keel.training.repository;

import dev.keel.training.entity.DatasetEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.hibernate.Session;

/** Datasets and their bytes. The bytes go in and come out as streams, never as one array. */
@ApplicationScoped
public class DatasetRepository implements PanacheRepository<DatasetEntity> {

    private final DataSource dataSource;

    public DatasetRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<DatasetEntity> findInProject(long projectId, long id) {
        return find("projectId = ?1 and id = ?2", projectId, id).firstResultOptional();
    }

    public List<DatasetEntity> listInProject(long projectId, int page, int size) {
        return find("projectId", Sort.descending("createdAt").and("id", Sort.Direction.Descending), projectId)
                .page(Page.of(page, size)).list();
    }

    /**
     * The newest dataset of the project under the same name and target column as the given one (itself
     * when none is newer): a dataset refreshed by uploading it again under its name.
     */
    public Optional<Long> newestUploadLike(long projectId, long datasetId) {
        return getEntityManager().createQuery("SELECT d2.id FROM DatasetEntity d, DatasetEntity d2 "
                        + "WHERE d.projectId = ?1 AND d.id = ?2 AND d2.projectId = d.projectId AND d2.name = d.name "
                        + "AND d2.targetColumn = d.targetColumn ORDER BY d2.createdAt DESC, d2.id DESC", Long.class)
                .setParameter(1, projectId).setParameter(2, datasetId).setMaxResults(1)
                .getResultStream().findFirst();
    }

    public long countInProject(long projectId) {
        return count("projectId", projectId);
    }

    /** Stores a dataset's bytes from a file, streamed to PostgreSQL; joins the caller's transaction. */
    public void storeContent(long datasetId, Path file) {
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (InputStream in = Files.newInputStream(file);
                 PreparedStatement ps = connection.prepareStatement(
                         "INSERT INTO dataset_contents (dataset_id, content) VALUES (?, ?)")) {
                ps.setLong(1, datasetId);
                ps.setBinaryStream(2, in, Files.size(file));
                ps.executeUpdate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The dataset's bytes, read from PostgreSQL a slice at a time as the stream is consumed. */
    public InputStream openContent(long datasetId, long sizeBytes) {
        return new DatasetContentStream(dataSource, datasetId, sizeBytes);
    }
}
