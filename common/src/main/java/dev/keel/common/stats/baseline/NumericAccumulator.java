package dev.keel.common.stats.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One numeric feature's running statistics: Welford moments, exact min/max, a reservoir sample
 * (Vitter's algorithm R) and a histogram that needs no range up front.
 *
 * <p>While the values fit in the reservoir they are all kept, and the histogram and quantiles come
 * out exact. When the reservoir first overflows, every value so far seeds a fine histogram of
 * {@value #FINE_BINS} bins spanning their range; later values outside it double the bin width
 * (merging neighbours) until they fit. The 20 published bins are then summed from the fine ones, so
 * counts stay exact in total and a value can land one fine bin (at most 1/{@value #FINE_BINS_HALF}
 * of the range) off a published edge.
 */
final class NumericAccumulator {

    static final int BINS = 20;
    static final int FINE_BINS = 4096;
    static final int FINE_BINS_HALF = FINE_BINS / 2;

    private final double[] reservoir;
    private final SplittableRandom random;
    private long count;
    private long missing;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    private long[] fine;
    private double fineLow;
    private double fineWidth;

    NumericAccumulator(int sampleSize, long seed) {
        this.reservoir = new double[sampleSize];
        this.random = new SplittableRandom(seed);
    }

    void add(double value) {
        if (Double.isNaN(value)) {
            missing++;
            return;
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (count <= reservoir.length) {
            reservoir[(int) (count - 1)] = value;
            return;
        }
        if (fine == null) {
            startFineHistogram();
        }
        addFine(value);
        long slot = random.nextLong(count);
        if (slot < reservoir.length) {
            reservoir[(int) slot] = value;
        }
    }

    NumericBaseline build(String name) {
        List<Double> probabilities = new ArrayList<>(BINS + 1);
        for (int i = 0; i <= BINS; i++) {
            probabilities.add(i / (double) BINS);
        }
        if (count == 0) {
            return new NumericBaseline(name, FeatureType.NUMERIC, 0, missing, null, null, null, null,
                    probabilities, List.of(), Histogram.empty(), List.of());
        }
        int kept = (int) Math.min(count, reservoir.length);
        double[] sorted = Arrays.copyOf(reservoir, kept);
        Arrays.sort(sorted);
        List<Double> quantiles = new ArrayList<>(BINS + 1);
        for (int i = 0; i <= BINS; i++) {
            quantiles.add(i == 0 ? min : i == BINS ? max : quantile(sorted, i / (double) BINS));
        }
        List<Double> sample = new ArrayList<>(kept);
        for (double v : sorted) {
            sample.add(v);
        }
        double std = Math.sqrt(Math.max(0, m2 / count));
        return new NumericBaseline(name, FeatureType.NUMERIC, count, missing, mean, std, min, max,
                probabilities, quantiles, histogram(sorted), sample);
    }

    /** Linear interpolation between closest ranks (Hyndman and Fan's type 7, NumPy's default). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lower = (int) Math.floor(h);
        if (lower + 1 >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        return sorted[lower] + (h - lower) * (sorted[lower + 1] - sorted[lower]);
    }

    private Histogram histogram(double[] sorted) {
        if (min == max) {
            return new Histogram(List.of(min, max), List.of(count));
        }
        long[] counts = new long[BINS];
        if (fine == null) {
            for (double v : sorted) {
                counts[bin(v)]++;
            }
        } else {
            for (int i = 0; i < FINE_BINS; i++) {
                if (fine[i] > 0) {
                    double centre = fineLow + (i + 0.5) * fineWidth;
                    counts[bin(Math.min(max, Math.max(min, centre)))] += fine[i];
                }
            }
        }
        List<Double> edges = new ArrayList<>(BINS + 1);
        for (int i = 0; i < BINS; i++) {
            edges.add(min + (max - min) * i / BINS);
        }
        edges.add(max);
        List<Long> countList = new ArrayList<>(BINS);
        for (long c : counts) {
            countList.add(c);
        }
        return new Histogram(edges, countList);
    }

    private int bin(double value) {
        int bin = (int) Math.floor((value - min) / (max - min) * BINS);
        return Math.max(0, Math.min(BINS - 1, bin));
    }

    private void startFineHistogram() {
        fine = new long[FINE_BINS];
        fineLow = min;
        double span = max - min;
        // A constant start has no scale; begin tiny and let the first differing value double it out.
        fineWidth = span > 0 ? span / (FINE_BINS - 1) : Math.max(Math.ulp(min) * FINE_BINS, Double.MIN_NORMAL);
        for (double v : reservoir) {
            addFine(v);
        }
    }

    private void addFine(double value) {
        while (value < fineLow) {
            growLeft();
        }
        while (value >= fineLow + FINE_BINS * fineWidth) {
            growRight();
        }
        int index = (int) Math.floor((value - fineLow) / fineWidth);
        fine[Math.max(0, Math.min(FINE_BINS - 1, index))]++;
    }

    /** Doubles the bin width keeping the low edge: old bins 2i and 2i+1 become bin i. */
    private void growRight() {
        for (int i = 0; i < FINE_BINS_HALF; i++) {
            fine[i] = fine[2 * i] + fine[2 * i + 1];
        }
        Arrays.fill(fine, FINE_BINS_HALF, FINE_BINS, 0);
        fineWidth *= 2;
    }

    /** Doubles the bin width keeping the high edge: old bins 2i and 2i+1 become bin FINE_BINS/2 + i. */
    private void growLeft() {
        long[] merged = new long[FINE_BINS];
        for (int i = 0; i < FINE_BINS_HALF; i++) {
            merged[FINE_BINS_HALF + i] = fine[2 * i] + fine[2 * i + 1];
        }
        fine = merged;
        fineLow -= FINE_BINS * fineWidth;
        fineWidth *= 2;
    }
}
