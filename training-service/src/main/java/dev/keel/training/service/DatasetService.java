package dev.keel.training.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.common.problem.ProblemException;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.DatasetProfile;
import dev.keel.training.data.DatasetProfiler;
import dev.keel.training.data.DatasetRejection;
import dev.keel.training.data.ValidationReport;
import dev.keel.training.domain.DatasetSnapshot;
import dev.keel.training.entity.DatasetEntity;
import dev.keel.training.mapping.JsonColumns;
import dev.keel.training.repository.DatasetRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Dataset uploads. The request body is read once: as the bytes go by they are hashed, copied to a
 * spool file and parsed by the profiler, so a 100 MB upload is never in memory, whole or in part
 * beyond a buffer. Only a file that validates is stored, streamed from the spool file into
 * PostgreSQL.
 */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);

    private final DatasetRepository datasets;
    private final JsonColumns json;
    private final int maxCategories;
    private final int minRowsPerClass;

    public DatasetService(DatasetRepository datasets, JsonColumns json, TrainingConfig config) {
        this.datasets = datasets;
        this.json = json;
        this.maxCategories = config.datasets().maxCategories();
        this.minRowsPerClass = config.datasets().minRowsPerClass();
    }

    /** What an upload names besides its bytes. */
    public record Upload(long projectId, String name, String targetColumn, String positiveClass, String actor) {
    }

    /**
     * Validates, profiles and stores a CSV.
     *
     * @throws ProblemException 422 naming the column and line when nothing could be trained on it
     */
    public DatasetEntity upload(Upload upload, InputStream body) {
        Path spool = null;
        long started = System.nanoTime();
        try {
            spool = Files.createTempFile("keel-dataset-", ".csv");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            DatasetProfile profile;
            long size;
            try (OutputStream copy = Files.newOutputStream(spool);
                 TeeInputStream tee = new TeeInputStream(new DigestInputStream(body, sha256), copy);
                 Reader reader = new InputStreamReader(tee, StandardCharsets.UTF_8.newDecoder()
                         .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
                profile = new DatasetProfiler(upload.targetColumn(), upload.positiveClass(), maxCategories, minRowsPerClass)
                        .profile(reader);
                size = tee.count();
            } catch (DatasetRejection e) {
                throw ProblemException.unprocessable(e.field(), e.getMessage());
            } catch (CharacterCodingException e) {
                // replacing the bytes would merge categories (é and è both U+FFFD) that clients later send right
                throw ProblemException.unprocessable(null, "The file is not UTF-8 text; save it as UTF-8 and upload it again");
            }
            String fingerprint = HexFormat.of().formatHex(sha256.digest());
            Path file = spool;
            DatasetEntity stored = QuarkusTransaction.requiringNew().call(() -> store(upload, profile, fingerprint, size, file));
            LOG.infof("Dataset %d '%s' stored for project %d: %d rows, %d columns, %d bytes, sha256 %s, in %d ms",
                    stored.id, stored.name, stored.projectId, stored.rowCount, stored.columnCount, size,
                    fingerprint.substring(0, 12), (System.nanoTime() - started) / 1_000_000);
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the uploaded dataset failed: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warnf("Could not delete the spool file %s: %s", spool, e.getMessage());
                }
            }
        }
    }

    private DatasetEntity store(Upload upload, DatasetProfile profile, String fingerprint, long size, Path file) {
        DatasetEntity d = new DatasetEntity();
        d.projectId = upload.projectId();
        d.name = upload.name();
        d.fingerprint = fingerprint;
        d.rowCount = profile.rowCount();
        d.columnCount = profile.columns().size();
        d.targetColumn = profile.targetColumn();
        d.columns = json.write(profile.columns());
        d.validation = json.write(profile.validation());
        d.sizeBytes = size;
        d.createdBy = upload.actor();
        d.createdAt = OffsetDateTime.now();
        datasets.persistAndFlush(d);
        datasets.storeContent(d.id, file);
        return d;
    }

    @Transactional
    public DatasetEntity get(long projectId, long id) {
        return datasets.findInProject(projectId, id).orElseThrow(() -> ProblemException.notFound("Dataset", id));
    }

    @Transactional
    public List<DatasetEntity> list(long projectId, int page, int size) {
        return datasets.listInProject(projectId, page, size);
    }

    @Transactional
    public long count(long projectId) {
        return datasets.countInProject(projectId);
    }

    @Transactional
    public DatasetSnapshot snapshot(long projectId, long id) {
        return toSnapshot(get(projectId, id));
    }

    /** The stored bytes, read from the database as they are consumed. */
    public InputStream content(DatasetSnapshot dataset) {
        return datasets.openContent(dataset.id(), dataset.sizeBytes());
    }

    public DatasetSnapshot toSnapshot(DatasetEntity d) {
        return new DatasetSnapshot(d.id, d.projectId, d.name, d.fingerprint, d.rowCount, d.sizeBytes, d.targetColumn,
                json.read(d.columns, new TypeReference<List<ColumnSpec>>() { }),
                json.read(d.validation, ValidationReport.class));
    }

    /** Counts and copies every byte read through it. */
    private static final class TeeInputStream extends FilterInputStream {

        private final OutputStream copy;
        private long count;

        TeeInputStream(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
