import dev.keel.drift.stats.Baseline;
import dev.keel.drift.stats.DatasetDrift;
import dev.keel.drift.stats.DriftCalculator;
import dev.keel.drift.stats.DriftPolicy;
import dev.keel.drift.stats.FeatureDrift;
import dev.keel.drift.stats.FeatureReference;
import dev.keel.drift.stats.MethodResult;
import dev.keel.drift.stats.NumericalReference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Keel's drift computation at the scale of ../shared/bench-ref/drift.py: 20 numerical features,
 * a 100,000-row reference summarised as the training service stores it (moments + a sorted
 * sample of at most 10,000 values), and 1,000,000 current rows streamed row by row through every
 * method (KS, Wasserstein, PSI and Jensen–Shannon over Evidently's Sturges bins, decile PSI).
 * The current rows sit off-heap, as a database result set would, so the heap figure is the
 * computation's own. Data generation is excluded from the timing, as in drift.py.
 */
public final class DriftBench {

    public static void main(String[] args) {
        int refRows = intArg(args, "--ref", 100_000);
        int curRows = intArg(args, "--cur", 1_000_000);
        int features = intArg(args, "--features", 20);
        int repeats = intArg(args, "--repeats", 5);

        SplittableRandom random = new SplittableRandom(123);
        long t0 = System.nanoTime();
        List<FeatureReference> refs = new ArrayList<>();
        double[] column = new double[refRows];
        for (int j = 0; j < features; j++) {
            for (int i = 0; i < refRows; i++) {
                column[i] = draw(j, random, false);
            }
            refs.add(NumericalReference.fromValues("f" + j, column));
        }
        column = null;
        Baseline baseline = new Baseline(refRows, refs);
        double baselineSeconds = (System.nanoTime() - t0) / 1e9;

        DoubleBuffer rows = ByteBuffer.allocateDirect(curRows * features * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        for (int i = 0; i < curRows; i++) {
            for (int j = 0; j < features; j++) {
                rows.put(i * features + j, draw(j, random, true));
            }
        }

        DriftPolicy policy = DriftPolicy.evidentlyDefaults().withAllMethods();
        DriftCalculator.CurrentData scan = window -> {
            for (int i = 0, p = 0; i < curRows; i++) {
                for (int j = 0; j < features; j++, p++) {
                    window.value(j, rows.get(p));
                }
                window.endRow();
            }
        };

        List<Double> seconds = new ArrayList<>();
        long peakHeap = 0;
        DatasetDrift result = null;
        for (int r = 0; r < repeats; r++) {
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            result = DriftCalculator.compute(baseline, policy, scan);
            seconds.add((System.nanoTime() - start) / 1e9);
            peakHeap = Math.max(peakHeap, peakHeapBytes());
        }
        double best = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        StringBuilder json = new StringBuilder();
        json.append(String.format(Locale.ROOT,
                "{\"java\": \"%s\", \"ref_rows\": %d, \"cur_rows\": %d, \"features\": %d, \"baseline_build_s\": %.3f, "
                        + "\"all_methods_s\": %s, \"best_s\": %.3f, \"peak_heap_mib\": %.1f, \"max_heap_mib\": %d, ",
                System.getProperty("java.version"), refRows, curRows, features, baselineSeconds,
                seconds.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList(), best,
                peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576));
        json.append("\"dataset_drift\": ").append(result.datasetDrift()).append(", \"per_feature\": [");
        for (int j = 0; j < result.features().size(); j++) {
            FeatureDrift f = result.features().get(j);
            json.append(j == 0 ? "" : ", ").append("{\"name\": \"").append(f.name()).append("\", \"default\": \"")
                    .append(f.result().method().id()).append("\", \"drifted\": ").append(f.drifted());
            for (MethodResult m : allOf(f)) {
                json.append(String.format(Locale.ROOT, ", \"%s\": %.5f", m.method().id(), m.statistic()));
                if (m.pValue() != null) {
                    json.append(String.format(Locale.ROOT, ", \"%s_p_lt_0.05\": %s", m.method().id(), m.pValue() < 0.05));
                }
            }
            json.append('}');
        }
        json.append("]}");
        System.out.println(json);
    }

    private static List<MethodResult> allOf(FeatureDrift f) {
        List<MethodResult> all = new ArrayList<>();
        all.add(f.result());
        all.addAll(f.alternatives());
        return all;
    }

    /** The distributions of drift.py; features 0-4 shifted in the current data. */
    private static double draw(int j, SplittableRandom r, boolean shift) {
        double m = shift && j < 5 ? 0.15 : 0.0;
        double s = shift && j < 5 ? 1.1 : 1.0;
        return switch (j % 5) {
            case 0 -> 50 + m * 10 + 10 * s * r.nextGaussian();
            case 1 -> Math.exp(3 + m + 0.5 * s * r.nextGaussian());
            case 2 -> -Math.log(1 - r.nextDouble()) * (2.0 * s + m);
            case 3 -> m + r.nextDouble() * (100 * s - m);
            default -> poisson(4 * s + m, r);
        };
    }

    private static double poisson(double lambda, SplittableRandom r) {
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
