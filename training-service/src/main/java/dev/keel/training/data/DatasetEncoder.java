package dev.keel.training.data;

import dev.keel.common.stats.baseline.FeatureType;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a stored dataset's CSV into an {@link EncodedDataset}, using the column types the upload's
 * profile inferred, so training sees exactly what validation approved. Categories become their index
 * in the column's sorted category list, booleans 0 or 1, missing cells NaN.
 */
public final class DatasetEncoder {

    private final List<ColumnSpec> features;
    private final String targetColumn;
    private final String positiveClass;

    public DatasetEncoder(List<ColumnSpec> features, String targetColumn, String positiveClass) {
        this.features = List.copyOf(features);
        this.targetColumn = targetColumn;
        this.positiveClass = positiveClass;
    }

    /** @param expectedRows the row count recorded at upload, to size the arrays once */
    public EncodedDataset encode(Reader csv, long expectedRows) throws IOException {
        if (expectedRows * features.size() > Integer.MAX_VALUE - 8) {
            throw new DatasetRejection(null, expectedRows + " rows of " + features.size()
                    + " features are more than one training run can hold");
        }
        CsvReader reader = new CsvReader(csv);
        List<String> header = reader.next();
        if (header == null) {
            throw new DatasetRejection(null, "The stored dataset is empty");
        }
        // by name in one pass: a dataset may have hundreds of thousands of columns
        Map<String, Integer> positions = new HashMap<>();
        for (int i = header.size() - 1; i >= 0; i--) {
            positions.put(header.get(i).strip(), i);
        }
        int width = features.size();
        int[] source = new int[width];
        List<Map<String, Integer>> codes = new java.util.ArrayList<>(width);
        for (int f = 0; f < width; f++) {
            ColumnSpec spec = features.get(f);
            source[f] = positions.getOrDefault(spec.name(), -1);
            if (source[f] < 0) {
                throw new DatasetRejection(spec.name(), "The stored dataset has no column '" + spec.name() + "'");
            }
            Map<String, Integer> index = null;
            if (spec.type() == FeatureType.CATEGORICAL) {
                index = new HashMap<>();
                for (int i = 0; i < spec.categories().size(); i++) {
                    index.put(spec.categories().get(i), i);
                }
            }
            codes.add(index);
        }
        int target = positions.getOrDefault(targetColumn, -1);
        if (target < 0) {
            throw new DatasetRejection(targetColumn, "The stored dataset has no target column '" + targetColumn + "'");
        }

        int rows = (int) expectedRows;
        float[] values = new float[rows * width];
        float[] labels = new float[rows];
        int row = 0;
        List<String> record;
        while ((record = reader.next()) != null) {
            if (row == rows) {
                throw new DatasetRejection(null, "The stored dataset has more rows than its record says (" + rows + ")");
            }
            for (int f = 0; f < width; f++) {
                values[row * width + f] = encode(features.get(f), codes.get(f), record.get(source[f]));
            }
            labels[row] = CellValues.label(record.get(target)).equals(positiveClass) ? 1f : 0f;
            row++;
        }
        if (row != rows) {
            throw new DatasetRejection(null, "The stored dataset has " + row + " rows, its record says " + rows);
        }
        return new EncodedDataset(features, values, labels);
    }

    static float encode(ColumnSpec spec, Map<String, Integer> codes, String cell) {
        if (CellValues.isMissing(cell)) {
            return Float.NaN;
        }
        return switch (spec.type()) {
            case NUMERIC -> (float) CellValues.number(cell);
            case BOOLEAN -> {
                Boolean b = CellValues.bool(cell);
                yield b == null ? Float.NaN : b ? 1f : 0f;
            }
            case CATEGORICAL -> {
                Integer code = codes.get(CellValues.category(cell));
                yield code == null ? Float.NaN : code;
            }
        };
    }
}
