package dev.keel.training.data;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Synthetic heart-disease data for tests, run through the same profiling and encoding as an upload. */
public final class HeartData {

    private HeartData() {
    }

    public static String csv(long rows, long seed) {
        return csv(rows, seed, Map.of());
    }

    public static String csv(long rows, long seed, Map<String, Double> drift) {
        StringWriter out = new StringWriter();
        try {
            new HeartDiseaseGenerator(seed, drift).writeCsv(out, rows, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Heart features with labels that carry no signal: 1 with probability {@code positiveRate},
     * independent of the features. No model can do well on them.
     */
    public static String noiseCsv(long rows, long seed, double positiveRate) {
        java.util.Random random = new java.util.Random(seed ^ 0x5DEECE66DL);
        StringBuilder out = new StringBuilder();
        csv(rows, seed).lines().forEach(line -> {
            if (out.length() == 0) {
                out.append(line).append('\n');
                return;
            }
            out.append(line, 0, line.lastIndexOf(',') + 1).append(random.nextDouble() < positiveRate ? 1 : 0).append('\n');
        });
        return out.toString();
    }

    public static EncodedDataset encoded(long rows, long seed) {
        return encode(csv(rows, seed));
    }

    public static EncodedDataset encode(String csv) {
        try {
            DatasetProfile profile = new DatasetProfiler(null, null, 1000, 10).profile(new StringReader(csv));
            return new DatasetEncoder(profile.features(), profile.targetColumn(), profile.validation().positiveClass())
                    .encode(new StringReader(csv), profile.rowCount());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
