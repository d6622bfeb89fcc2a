package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * A monotone map from a model's probability to the observed P(y = 1), learnt from labelled
 * reference predictions summarised in equal-width probability bins (so the reference is never held
 * row by row): each non-empty bin gives a point (mean probability, share positive) weighted by its
 * count; pool-adjacent-violators makes the shares non-decreasing (isotonic regression over the
 * bins); between points the map is linear, beyond the first and last point it is flat.
 */
public final class ProbabilityCalibration {

    /** One reference bin: how many labelled predictions, the sum of their probabilities and of their labels. */
    public record Bin(long count, double probabilitySum, double positives) {
    }

    private final double[] x;
    private final double[] y;
    private final long referenceRows;

    private ProbabilityCalibration(double[] x, double[] y, long referenceRows) {
        this.x = x;
        this.y = y;
        this.referenceRows = referenceRows;
    }

    /** Fits the map; bins must be in ascending order of probability and empty ones are skipped. */
    public static ProbabilityCalibration fit(List<Bin> bins) {
        List<double[]> blocks = new ArrayList<>(); // {weight, probability sum, positives}
        long rows = 0;
        for (Bin bin : bins) {
            if (bin.count() <= 0) {
                continue;
            }
            rows += bin.count();
            blocks.add(new double[] {bin.count(), bin.probabilitySum(), bin.positives()});
            // pool while the last block's share falls below its predecessor's
            while (blocks.size() > 1) {
                double[] last = blocks.get(blocks.size() - 1);
                double[] before = blocks.get(blocks.size() - 2);
                if (before[2] / before[0] <= last[2] / last[0]) {
                    break;
                }
                before[0] += last[0];
                before[1] += last[1];
                before[2] += last[2];
                blocks.remove(blocks.size() - 1);
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one labelled prediction");
        }
        double[] x = new double[blocks.size()];
        double[] y = new double[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            double[] b = blocks.get(i);
            x[i] = b[1] / b[0];
            y[i] = b[2] / b[0];
        }
        return new ProbabilityCalibration(x, y, rows);
    }

    /** The calibrated P(y = 1) of a model probability. */
    public double apply(double probability) {
        if (probability <= x[0]) {
            return y[0];
        }
        int last = x.length - 1;
        if (probability >= x[last]) {
            return y[last];
        }
        int lo = 0;
        int hi = last;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] <= probability) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = (probability - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + t * (y[hi] - y[lo]);
    }

    public long referenceRows() {
        return referenceRows;
    }

    /** Points of the map after pooling. */
    public int points() {
        return x.length;
    }
}
