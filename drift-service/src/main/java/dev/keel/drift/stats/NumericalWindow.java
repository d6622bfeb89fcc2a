package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current window of one numerical feature, accumulated value by value in bounded memory:
 * counts and sums per reference slot (exact KS; Wasserstein exact except within the few gaps where
 * the two CDFs cross), the values themselves while there are at most {@link #EXACT_LIMIT} (then
 * everything is exact), values the reference never had (only for low-cardinality features), decile
 * counts, and, in a second pass, counts per Sturges bin. Memory is O(reference sample), never
 * O(window).
 */
public final class NumericalWindow {

    /** Current values kept verbatim up to this count, so small windows get SciPy-exact results. */
    public static final int EXACT_LIMIT = 10_000;

    /** Features with at most this many distinct reference values are bucketed per value. */
    public static final int LOW_CARDINALITY = 20;

    /** Distinct unseen values tracked per low-cardinality feature; more go to one "other" bucket. */
    static final int EXTRA_VALUES_LIMIT = 1_000;

    private final NumericalReference reference;
    private final boolean lowCardinality;
    private final long[] slotCounts;
    private final double[] slotSums;
    private final long[] deciles;
    private long n;
    private long missing;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double[] exact = new double[64];
    private boolean exactMode = true;
    private Map<Double, long[]> extraValues;
    private long extraOverflow;
    private SturgesBins sturges;
    private long[] sturgesCounts;

    NumericalWindow(NumericalReference reference, boolean countDeciles) {
        this.reference = reference;
        this.lowCardinality = reference.distinctCount() <= LOW_CARDINALITY;
        int slots = 2 * reference.distinctCount() + 1;
        this.slotCounts = new long[slots];
        this.slotSums = new double[slots];
        this.deciles = countDeciles ? new long[reference.decileBuckets()] : null;
        this.extraValues = lowCardinality ? new HashMap<>() : null;
    }

    /** One current value; NaN and infinities count as missing (Evidently drops them too). */
    public void accept(double x) {
        if (!Double.isFinite(x)) {
            missing++;
            return;
        }
        n++;
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
        int slot = reference.slotOf(x);
        slotCounts[slot]++;
        slotSums[slot] += x;
        if (exactMode) {
            if (n > EXACT_LIMIT) {
                exactMode = false;
                exact = null;
            } else {
                if (n > exact.length) {
                    exact = Arrays.copyOf(exact, exact.length * 2);
                }
                exact[(int) n - 1] = x;
            }
        }
        if (lowCardinality && (slot & 1) == 0) {
            long[] c = extraValues.get(x);
            if (c != null) {
                c[0]++;
            } else if (extraValues.size() < EXTRA_VALUES_LIMIT) {
                extraValues.put(x, new long[] {1});
            } else {
                extraOverflow++;
            }
        }
        if (deciles != null) {
            deciles[reference.decileBucketOf(x, slot)]++;
        }
    }

    public void acceptMissing() {
        missing++;
    }

    /** A block of current values, in order. */
    public void acceptAll(double[] values, int length) {
        for (int i = 0; i < length; i++) {
            accept(values[i]);
        }
    }

    /** A block of current values in the second pass. */
    public void acceptAllSecondPass(double[] values, int length) {
        if (sturgesCounts == null) {
            return;
        }
        for (int i = 0; i < length; i++) {
            acceptSecondPass(values[i]);
        }
    }

    /** Second pass: only the Sturges bins, whose edges needed the whole window's range. */
    public void acceptSecondPass(double x) {
        if (sturgesCounts != null && Double.isFinite(x)) {
            int bin = sturges.indexOf(x);
            if (bin >= 0) {
                sturgesCounts[bin]++;
            }
        }
    }

    long count() {
        return n;
    }

    long missing() {
        return missing;
    }

    NumericalReference reference() {
        return reference;
    }

    boolean lowCardinality() {
        return lowCardinality;
    }

    /** Distinct non-missing values over reference and current (Evidently's n), as far as it matters. */
    long distinctValues() {
        if (!lowCardinality) {
            return reference.distinctCount();
        }
        return reference.distinctCount() + extraValues.size() + (extraOverflow > 0 ? 1 : 0);
    }

    boolean needsSturges(DriftMethod method) {
        return !lowCardinality && (method == DriftMethod.JENSENSHANNON || method == DriftMethod.PSI);
    }

    /** Fixes the Sturges edges over reference and current combined; the caller then scans again. */
    void prepareSturges() {
        double lo = Math.min(reference.min(), min);
        double hi = Math.max(reference.max(), max);
        sturges = SturgesBins.over(lo, hi, reference.count() + n);
        sturgesCounts = new long[sturges.count()];
    }

    boolean sturgesPrepared() {
        return sturges != null;
    }

    // ---- statistics ----------------------------------------------------------------------------

    TestResult ks() {
        double d = exactMode ? KolmogorovSmirnov.statistic(reference.sampleView(), sortedExact()) : slotKsStatistic();
        return new TestResult(d, KolmogorovSmirnov.pValue(d, reference.count(), n));
    }

    /** sup |F_ref − F_cur| from slot counts: exact, as both CDFs are step functions checked at every step. */
    private double slotKsStatistic() {
        double[] v = reference.distinctView();
        int[] cum = reference.cumulativeView();
        double refSize = reference.sampleSize();
        long running = 0;
        double d = 0;
        double refBelow = 0;
        for (int j = 0; j < v.length; j++) {
            running += slotCounts[2 * j];
            d = Math.max(d, Math.abs(refBelow - (double) running / n));
            running += slotCounts[2 * j + 1];
            double refAt = cum[j] / refSize;
            d = Math.max(d, Math.abs(refAt - (double) running / n));
            refBelow = refAt;
        }
        return d;
    }

    double wasserstein() {
        return exactMode ? WassersteinDistance.between(reference.sampleView(), sortedExact()) : slotWasserstein();
    }

    /**
     * ∫|F_ref − F_cur| over the slots. In each gap between reference values F_ref is constant and
     * the gap's current values are collapsed onto their mean: exact unless F_cur crosses F_ref
     * inside that gap, where the error is at most the gap's width times its current share.
     */
    private double slotWasserstein() {
        double[] v = reference.distinctView();
        int[] cum = reference.cumulativeView();
        int k = v.length;
        double refSize = reference.sampleSize();
        double total = 0;
        // below the smallest reference value F_ref = 0: ∫F_cur = Σ (v0 − x) / n
        total += (slotCounts[0] * v[0] - slotSums[0]) / n;
        long running = slotCounts[0] + slotCounts[1];
        for (int j = 1; j < k; j++) {
            double fr = cum[j - 1] / refSize;
            double left = v[j - 1];
            double right = v[j];
            long c = slotCounts[2 * j];
            double a = (double) running / n;
            if (c == 0) {
                total += Math.abs(fr - a) * (right - left);
            } else {
                double mu = Math.min(right, Math.max(left, slotSums[2 * j] / c));
                double b = (double) (running + c) / n;
                total += Math.abs(fr - a) * (mu - left) + Math.abs(fr - b) * (right - mu);
            }
            running += c + slotCounts[2 * j + 1];
        }
        // above the largest, F_ref = 1: ∫(1 − F_cur) = Σ (x − v_last) / n
        total += (slotSums[2 * k] - slotCounts[2 * k] * v[k - 1]) / n;
        return total;
    }

    /** Evidently's buckets for chi-squared, Z, JS and PSI: per distinct value, or Sturges bins. */
    Buckets evidentlyBuckets() {
        if (lowCardinality) {
            return valueBuckets();
        }
        if (sturges == null) {
            throw new IllegalStateException("Sturges bins need the second pass");
        }
        double[] edges = sturges.edges();
        double[] ref = new double[sturges.count()];
        for (double s : reference.sampleView()) {
            int b = sturges.indexOf(s);
            if (b >= 0) {
                ref[b]++;
            }
        }
        double[] cur = new double[sturges.count()];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < cur.length; i++) {
            cur[i] = sturgesCounts[i];
            labels.add(range(edges[i], edges[i + 1]));
        }
        return new Buckets(labels, ref, reference.sampleSize(), cur, n);
    }

    private Buckets valueBuckets() {
        double[] v = reference.distinctView();
        int[] cum = reference.cumulativeView();
        TreeMap<Double, double[]> rows = new TreeMap<>();
        for (int j = 0; j < v.length; j++) {
            rows.put(v[j], new double[] {cum[j] - (j == 0 ? 0 : cum[j - 1]), slotCounts[2 * j + 1]});
        }
        extraValues.forEach((value, c) -> rows.put(value, new double[] {0, c[0]}));
        List<String> labels = new ArrayList<>();
        double[] ref = new double[rows.size() + (extraOverflow > 0 ? 1 : 0)];
        double[] cur = new double[ref.length];
        int i = 0;
        for (Map.Entry<Double, double[]> e : rows.entrySet()) {
            labels.add(format(e.getKey()));
            ref[i] = e.getValue()[0];
            cur[i] = e.getValue()[1];
            i++;
        }
        if (extraOverflow > 0) {
            labels.add("(other values)");
            cur[i] = extraOverflow;
        }
        return new Buckets(labels, ref, reference.sampleSize(), cur, n);
    }

    Buckets decileBuckets() {
        double[] edges = reference.decileEdges();
        double[] ref = new double[reference.decileBuckets()];
        for (double s : reference.sampleView()) {
            ref[reference.decileBucketOf(s)]++;
        }
        double[] cur = new double[ref.length];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < ref.length; i++) {
            cur[i] = deciles[i];
            labels.add(range(i == 0 ? Double.NEGATIVE_INFINITY : edges[i - 1],
                    i == edges.length ? Double.POSITIVE_INFINITY : edges[i]));
        }
        return new Buckets(labels, ref, reference.sampleSize(), cur, n);
    }

    /** A picture for people: per value when few, else 20 equal bins over both ranges. */
    List<HistogramBucket> histogram() {
        if (lowCardinality) {
            Buckets b = valueBuckets();
            double[] r = b.referenceShares();
            double[] c = b.currentShares();
            List<HistogramBucket> out = new ArrayList<>();
            for (int i = 0; i < r.length; i++) {
                out.add(new HistogramBucket(b.labels().get(i), null, null, r[i], c[i]));
            }
            return out;
        }
        int bins = 20;
        double lo = Math.min(reference.min(), min);
        double hi = Math.max(reference.max(), max);
        double width = hi > lo ? (hi - lo) / bins : 1;
        double[] ref = new double[bins];
        double[] cur = new double[bins];
        for (double s : reference.sampleView()) {
            ref[bin(s, lo, width, bins)]++;
        }
        if (exactMode) {
            for (int i = 0; i < n; i++) {
                cur[bin(exact[i], lo, width, bins)]++;
            }
        } else {
            double[] v = reference.distinctView();
            for (int s = 0; s < slotCounts.length; s++) {
                if (slotCounts[s] == 0) {
                    continue;
                }
                double at = (s & 1) == 1 ? v[s / 2] : slotSums[s] / slotCounts[s];
                cur[bin(at, lo, width, bins)] += slotCounts[s];
            }
        }
        List<HistogramBucket> out = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            double a = lo + i * width;
            double b = i == bins - 1 ? hi : lo + (i + 1) * width;
            out.add(new HistogramBucket(range(a, b), a, b, ref[i] / reference.sampleSize(), cur[i] / n));
        }
        return out;
    }

    private static int bin(double x, double lo, double width, int bins) {
        int b = (int) ((x - lo) / width);
        return Math.max(0, Math.min(bins - 1, b));
    }

    private double[] sortedExact() {
        double[] values = Arrays.copyOf(exact, (int) n);
        Arrays.sort(values);
        return values;
    }

    private static String range(double a, double b) {
        return "[" + format(a) + ", " + format(b) + ")";
    }

    static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
