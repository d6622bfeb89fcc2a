package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The current window of one categorical feature: counts per category. Categories the reference
 * never saw are counted like any other (chi-squared then reports an infinite statistic, PSI a
 * large value), up to {@link #CATEGORY_LIMIT} distinct ones, past which they share one bucket so
 * an ID-like column cannot grow memory without bound.
 */
public final class CategoricalWindow {

    static final int CATEGORY_LIMIT = 10_000;
    static final String OTHER = "(other categories)";

    private final CategoricalReference reference;
    private final Map<String, long[]> counts = new HashMap<>();
    private long n;
    private long missing;

    CategoricalWindow(CategoricalReference reference) {
        this.reference = reference;
    }

    public void accept(String value) {
        if (value == null) {
            missing++;
            return;
        }
        n++;
        long[] c = counts.get(value);
        if (c == null) {
            String key = counts.size() < CATEGORY_LIMIT || reference.counts().containsKey(value) ? value : OTHER;
            counts.computeIfAbsent(key, k -> new long[1])[0]++;
        } else {
            c[0]++;
        }
    }

    /** Whether the feature is boolean: its live values are read as "true"/"false" first. */
    boolean booleans() {
        return reference.booleans();
    }

    public void acceptMissing() {
        missing++;
    }

    long count() {
        return n;
    }

    long missing() {
        return missing;
    }

    long distinctValues() {
        TreeSet<String> keys = new TreeSet<>(reference.counts().keySet());
        keys.addAll(counts.keySet());
        return keys.size();
    }

    /** One bucket per category of either side, in sorted order (the Z-test tests the first). */
    Buckets buckets() {
        TreeSet<String> keys = new TreeSet<>();
        reference.counts().forEach((k, v) -> {
            if (v > 0) {
                keys.add(k);
            }
        });
        keys.addAll(counts.keySet());
        List<String> labels = new ArrayList<>(keys);
        double[] ref = new double[labels.size()];
        double[] cur = new double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            ref[i] = reference.counts().getOrDefault(labels.get(i), 0L);
            long[] c = counts.get(labels.get(i));
            cur[i] = c == null ? 0 : c[0];
        }
        return new Buckets(labels, ref, reference.count(), cur, n);
    }

    /** The 20 categories with the largest combined share, the rest summed as "other". */
    List<HistogramBucket> histogram() {
        Buckets b = buckets();
        double[] r = b.referenceShares();
        double[] c = b.currentShares();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < r.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -(r[i] + c[i])).thenComparing(i -> b.labels().get(i)));
        List<HistogramBucket> out = new ArrayList<>();
        double otherR = 0;
        double otherC = 0;
        for (int rank = 0; rank < order.size(); rank++) {
            int i = order.get(rank);
            if (rank < 20) {
                out.add(new HistogramBucket(b.labels().get(i), null, null, r[i], c[i]));
            } else {
                otherR += r[i];
                otherC += c[i];
            }
        }
        if (order.size() > 20) {
            out.add(new HistogramBucket("(others)", null, null, otherR, otherC));
        }
        return out;
    }
}
