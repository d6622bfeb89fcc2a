package dev.keel.drift.stats;

/**
 * Equal-width bins over the combined range of reference and current, their number by Sturges'
 * rule on the combined size, exactly as NumPy's {@code histogram_bin_edges(bins="sturges")} makes
 * them; values fall into bins as {@code np.histogram} places them (half-open, the last closed).
 * Evidently bins numerical features with more than 20 distinct reference values this way for PSI
 * and Jensen–Shannon.
 */
public final class SturgesBins {

    private final double[] edges;
    private final double step;

    private SturgesBins(double[] edges, double step) {
        this.edges = edges;
        this.step = step;
    }

    /** Bins for {@code size} values spanning [min, max]. */
    public static SturgesBins over(double min, double max, long size) {
        double first = min;
        double last = max;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        int count;
        double width = (last - first) / (log2(size) + 1.0);
        count = width > 0 ? (int) Math.ceil((last - first) / width) : 1;
        double[] edges = new double[count + 1];
        double step = (last - first) / count;
        for (int i = 0; i < count; i++) {
            edges[i] = i * step + first;
        }
        edges[count] = last;
        return new SturgesBins(edges, step);
    }

    /** Bin of a value, or -1 outside the edges. */
    public int indexOf(double value) {
        int last = edges.length - 1;
        if (value < edges[0] || value > edges[last] || Double.isNaN(value)) {
            return -1;
        }
        // arithmetic guess, then corrected against the edges themselves: the result is the last
        // edge ≤ value, as NumPy's search gives, without a search per value
        int i = Math.min(last - 1, Math.max(0, (int) ((value - edges[0]) / step)));
        while (i > 0 && value < edges[i]) {
            i--;
        }
        while (i < last - 1 && value >= edges[i + 1]) {
            i++;
        }
        return i;
    }

    public int count() {
        return edges.length - 1;
    }

    public double[] edges() {
        return edges.clone();
    }

    private static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2.0);
    }
}
