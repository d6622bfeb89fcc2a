package dev.keel.drift.stats;

import java.util.Arrays;

/**
 * A numerical feature's reference: exact moments and range over all training rows, plus a
 * sorted sample of at most {@link #MAX_SAMPLE} values (all of them when the data is smaller).
 * The sample is the reference's empirical CDF for KS, Wasserstein and the binned methods; with a
 * complete sample every statistic is exact, with a 10,000-value sample the CDF is off by about
 * 1% at most. The distinct sample values split the real line into "slots" (each value, and the
 * open gaps between them) that current values are counted into, which is all KS needs exactly.
 */
public final class NumericalReference implements FeatureReference {

    public static final int MAX_SAMPLE = 10_000;

    /** Cells of the lookup grid that narrows the slot search to a few candidates. */
    private static final int GRID_CELLS = 1 << 14;

    private final String name;
    private final long count;
    private final long missing;
    private final double mean;
    private final double std;
    private final double min;
    private final double max;
    private final double[] sample;
    private final double[] distinct;
    private final int[] cumulative;
    private final double[] decileEdges;
    private final int[] gridStart;
    private final double gridScale;
    private final int[] slotDecile;

    /**
     * @param count        non-missing reference values
     * @param std          population standard deviation (NumPy's {@code np.std}, ddof 0)
     * @param sortedSample ascending, finite, at most {@link #MAX_SAMPLE} values, non-empty
     */
    public NumericalReference(String name, long count, long missing, double mean, double std, double min,
                              double max, double[] sortedSample) {
        if (sortedSample.length == 0) {
            throw new IllegalArgumentException("feature '" + name + "': the reference sample is empty");
        }
        this.name = name;
        this.count = count;
        this.missing = missing;
        this.mean = mean;
        this.std = std;
        this.min = min;
        this.max = max;
        this.sample = sortedSample.clone();
        Arrays.sort(this.sample);
        int k = 0;
        double[] d = new double[sample.length];
        int[] cum = new int[sample.length];
        for (int i = 0; i < sample.length; i++) {
            if (k == 0 || sample[i] != d[k - 1]) {
                d[k++] = sample[i];
            }
            cum[k - 1] = i + 1;
        }
        this.distinct = Arrays.copyOf(d, k);
        this.cumulative = Arrays.copyOf(cum, k);
        this.decileEdges = deciles(sample);
        double span = distinct[k - 1] - distinct[0];
        if (k > 1 && span > 0 && Double.isFinite(span)) {
            int cells = Math.min(GRID_CELLS, Math.max(1, k));
            this.gridScale = cells / span;
            this.gridStart = new int[cells + 1];
            int j = 0;
            for (int c = 0; c <= cells; c++) {
                while (j < k && cellOf(distinct[j], cells) < c) {
                    j++;
                }
                gridStart[c] = j;
            }
        } else {
            this.gridScale = 0;
            this.gridStart = null;
        }
        this.slotDecile = slotDeciles();
    }

    /**
     * The decile bucket of every slot whose values all share one (an edge strictly inside a gap
     * splits it: -1, decided per value), so counting deciles costs a lookup, not a search.
     */
    private int[] slotDeciles() {
        int k = distinct.length;
        int[] buckets = new int[2 * k + 1];
        for (int s = 0; s <= 2 * k; s++) {
            if ((s & 1) == 1) {
                buckets[s] = decileBucketOf(distinct[s / 2]);
                continue;
            }
            double lo = s == 0 ? Double.NEGATIVE_INFINITY : distinct[s / 2 - 1];
            double hi = s == 2 * k ? Double.POSITIVE_INFINITY : distinct[s / 2];
            boolean split = false;
            for (double edge : decileEdges) {
                split |= edge > lo && edge < hi;
            }
            // no edge inside: every value of the gap has the edges ≤ lo below it, and no others
            buckets[s] = split ? -1 : (s == 0 ? 0 : decileBucketOf(lo));
        }
        return buckets;
    }

    /** Decile bucket of a value already placed in {@code slot}. */
    public int decileBucketOf(double x, int slot) {
        int b = slotDecile[slot];
        return b >= 0 ? b : decileBucketOf(x);
    }

    /** Builds the reference from all training values (missing ones as NaN), sampling evenly past MAX_SAMPLE. */
    public static NumericalReference fromValues(String name, double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        long missing = values.length - finite.length;
        Arrays.sort(finite);
        double sum = 0;
        for (double v : finite) {
            sum += v;
        }
        double mean = sum / finite.length;
        double ss = 0;
        for (double v : finite) {
            ss += (v - mean) * (v - mean);
        }
        double[] sample = finite;
        if (finite.length > MAX_SAMPLE) {
            // evenly spaced order statistics: a deterministic sample with the same quantiles
            sample = new double[MAX_SAMPLE];
            for (int i = 0; i < MAX_SAMPLE; i++) {
                sample[i] = finite[(int) ((i + 0.5) * finite.length / MAX_SAMPLE)];
            }
        }
        return new NumericalReference(name, finite.length, missing, mean, Math.sqrt(ss / finite.length),
                finite[0], finite[finite.length - 1], sample);
    }

    private int cellOf(double v, int cells) {
        return Math.min(cells - 1, (int) ((v - distinct[0]) * gridScale));
    }

    /**
     * Slot of a value: 2j+1 when it equals the j-th distinct sample value, 2j when it lies in the
     * gap just below it (2k above the largest). There are 2k+1 slots.
     */
    public int slotOf(double x) {
        int k = distinct.length;
        if (x < distinct[0]) {
            return 0;
        }
        if (x > distinct[k - 1]) {
            return 2 * k;
        }
        int lo;
        int hi;
        if (gridStart != null) {
            int cells = gridStart.length - 1;
            int c = cellOf(x, cells);
            lo = gridStart[c];
            hi = gridStart[c + 1];
        } else {
            lo = 0;
            hi = k;
        }
        // the first index whose value is ≥ x lies in [lo, hi]
        if (hi - lo > 8) {
            int pos = Arrays.binarySearch(distinct, lo, hi, x);
            if (pos >= 0) {
                return 2 * pos + 1;
            }
            lo = -pos - 1;
        } else {
            while (lo < hi && distinct[lo] < x) {
                lo++;
            }
        }
        return lo < k && distinct[lo] == x ? 2 * lo + 1 : 2 * lo;
    }

    /** NumPy's default ("linear") quantiles at 0.1 … 0.9, deduplicated: the quantile-PSI bucket edges. */
    private static double[] deciles(double[] sorted) {
        double[] edges = new double[9];
        int n = sorted.length;
        for (int i = 1; i <= 9; i++) {
            double pos = i / 10.0 * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, n - 1);
            double t = pos - lo;
            double a = sorted[lo];
            double b = sorted[hi];
            edges[i - 1] = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
        }
        return Arrays.stream(edges).distinct().toArray();
    }

    /** Quantile-PSI bucket of a value: the number of decile edges ≤ x (NumPy's searchsorted 'right'). */
    public int decileBucketOf(double x) {
        int b = 0;
        for (double edge : decileEdges) {
            b += x >= edge ? 1 : 0;
        }
        return b;
    }

    public int decileBuckets() {
        return decileEdges.length + 1;
    }

    double[] decileEdges() {
        return decileEdges;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long missing() {
        return missing;
    }

    @Override
    public boolean numerical() {
        return true;
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return std;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The sorted sample (a copy). */
    public double[] sample() {
        return sample.clone();
    }

    double[] sampleView() {
        return sample;
    }

    public int sampleSize() {
        return sample.length;
    }

    /** Distinct values of the sample, ascending (a view; do not modify). */
    double[] distinctView() {
        return distinct;
    }

    /** Sample values ≤ distinct[j], per j (a view). */
    int[] cumulativeView() {
        return cumulative;
    }

    public int distinctCount() {
        return distinct.length;
    }

    /** Whether the sample holds every reference value, so reference-side statistics are exact. */
    public boolean complete() {
        return sample.length == count;
    }
}
