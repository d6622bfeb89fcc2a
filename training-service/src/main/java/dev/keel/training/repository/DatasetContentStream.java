package dev.keel.training.repository;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A dataset's bytes read in slices of {@value #SLICE} bytes with {@code substring()}, so a 100 MB
 * dataset never sits in memory whole (the JDBC driver would otherwise read the bytea in one go).
 * Each slice is its own short query: a long training run holds no connection while it parses.
 */
final class DatasetContentStream extends InputStream {

    static final int SLICE = 8 * 1024 * 1024;

    private final DataSource dataSource;
    private final long datasetId;
    private final long size;
    private long offset;
    private byte[] slice = new byte[0];
    private int position;

    DatasetContentStream(DataSource dataSource, long datasetId, long size) {
        this.dataSource = dataSource;
        this.datasetId = datasetId;
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return slice[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, slice.length - position);
        System.arraycopy(slice, position, b, off, n);
        position += n;
        return n;
    }

    private boolean fill() throws IOException {
        if (position < slice.length) {
            return true;
        }
        if (offset >= size) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT substring(content FROM ? FOR ?) FROM dataset_contents WHERE dataset_id = ?")) {
            // bytea substring takes int positions: datasets are capped well below 2 GiB by the body limit
            ps.setInt(1, Math.toIntExact(offset + 1));
            ps.setInt(2, SLICE);
            ps.setLong(3, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IOException("dataset " + datasetId + " has no stored content");
                }
                slice = rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IOException("reading dataset " + datasetId + " at byte " + offset + " failed: " + e.getMessage(), e);
        }
        if (slice.length == 0) {
            throw new IOException("dataset " + datasetId + " ends at byte " + offset + ", its record says " + size);
        }
        offset += slice.length;
        position = 0;
        return true;
    }
}
