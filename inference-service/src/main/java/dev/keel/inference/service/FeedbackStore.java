package dev.keel.inference.service;

import dev.keel.common.security.ProjectRef;
import dev.keel.inference.rest.FeedbackRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Ground truth for logged predictions. A label may arrive before its prediction leaves the log's
 * queue, so it is stored by project and request id without checking the log; a second label for
 * the same request replaces the first (a corrected label is the usual reason). Readers join a label
 * to a prediction of the same project only, so a key labelling another project's request id
 * reaches nothing of that project's.
 */
@ApplicationScoped
public class FeedbackStore {

    /*
     * Replace this project's labels of these request ids, add the others. Written for both sides of
     * V9's expand step: no ON CONFLICT target, so it neither needs the request-id-only constraint
     * nor trips over it (a request id another project labelled first is skipped while it exists).
     */
    private static final String UPSERT = """
            WITH given AS (SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::float8[], ?::text[])
                                         AS g(request_id, project_id, label, source)),
                 replaced AS (UPDATE feedback f SET label = g.label, source = g.source, received_at = now()
                              FROM given g WHERE f.project_id = g.project_id AND f.request_id = g.request_id
                              RETURNING f.request_id),
                 added AS (INSERT INTO feedback (request_id, project_id, label, source)
                           SELECT g.request_id, g.project_id, g.label, g.source FROM given g
                           WHERE NOT EXISTS (SELECT 1 FROM feedback f
                                             WHERE f.project_id = g.project_id AND f.request_id = g.request_id)
                           ON CONFLICT DO NOTHING
                           RETURNING request_id)
            SELECT (SELECT count(*) FROM replaced) + (SELECT count(*) FROM added)
            """;

    private final DataSource dataSource;

    public FeedbackStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the labels; answers how many were stored. */
    public int store(ProjectRef project, String source, List<FeedbackRequest.Item> items) throws SQLException {
        int n = items.size();
        UUID[] ids = new UUID[n];
        Long[] projects = new Long[n];
        Double[] labels = new Double[n];
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = items.get(i).requestId();
            projects[i] = project.id();
            labels[i] = items.get(i).label();
            sources[i] = source;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            ps.setArray(2, c.createArrayOf("int8", projects));
            ps.setArray(3, c.createArrayOf("float8", labels));
            ps.setArray(4, c.createArrayOf("text", sources));
            int stored = run(ps);
            // Two requests labelling one request id at once: neither statement's snapshot saw the
            // other's row, so the later one's insert met the conflict and stored nothing. Run again,
            // once: the new snapshot sees that row, and the label replaces it as a second label does.
            return stored < n ? run(ps) : stored;
        }
    }

    private static int run(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
