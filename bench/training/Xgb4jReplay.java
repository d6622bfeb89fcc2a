import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.training.learning.StratifiedSplit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

import java.io.BufferedReader;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The floor under a Keel training run: the run's recorded candidates cross-validated again with bare
 * xgboost4j in one plain JVM (no service, no database, no progress writes), on the same CSV, with the
 * same folds (Keel's own StratifiedSplit and seed), parameters, seed and thread count. Only the fits
 * and predictions are timed, as in Keel's per-candidate duration_ms.
 *
 * <p>usage: java -cp "training-service/target/quarkus-app/lib/main/*:training-service/target/quarkus-app/app/*"
 * bench/training/Xgb4jReplay.java run.json data.csv [threads] [every]
 * (every K replays candidates 1, K+1, 2K+1, ... only)
 */
public class Xgb4jReplay {

    public static void main(String[] args) throws Exception {
        JsonNode run = new ObjectMapper().readTree(new File(args[0]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int every = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        JsonNode space = run.get("search_space");
        int folds = space.get("folds").asInt();
        long seed = space.get("seed").asLong();

        List<float[]> rows = new ArrayList<>();
        int width;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[1]))) {
            String[] header = in.readLine().split(",");
            width = header.length - 1;
            if (!header[width].equals("target")) {
                throw new IllegalArgumentException("the last column must be 'target'");
            }
            for (String line; (line = in.readLine()) != null; ) {
                String[] cells = line.split(",");
                float[] r = new float[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    r[i] = Float.parseFloat(cells[i]);
                }
                rows.add(r);
            }
        }
        int n = rows.size();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (int) rows.get(i)[width];
        }
        StratifiedSplit.Split holdout = StratifiedSplit.trainTest(labels, StratifiedSplit.all(n),
                space.get("test_fraction").asDouble(), seed);
        List<StratifiedSplit.Split> splits = StratifiedSplit.kFold(labels, holdout.train(), folds, seed);
        List<DMatrix[]> matrices = new ArrayList<>();
        for (StratifiedSplit.Split s : splits) {
            matrices.add(new DMatrix[] {matrix(rows, s.train(), width), matrix(rows, s.test(), width)});
        }

        double totalMs = 0;
        long keelMs = 0;
        int fits = 0;
        int replayed = 0;
        Map<String, double[]> perFamily = new HashMap<>();
        for (JsonNode c : run.get("candidates")) {
            if (c.get("index").asInt() % every != 0) {
                continue;
            }
            replayed++;
            keelMs += c.get("duration_ms").asLong();
            Map<String, Object> params = new HashMap<>();
            int rounds = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("num_boost_round")) {
                    rounds = e.getValue().asInt();
                } else {
                    params.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
                }
            }
            params.put("objective", "binary:logistic");
            params.put("eval_metric", "logloss");
            params.put("seed", seed);
            params.put("nthread", threads);
            params.put("verbosity", 0);
            long t0 = System.nanoTime();
            double f1Sum = 0;
            for (int f = 0; f < folds; f++) {
                Booster b = XGBoost.train(matrices.get(f)[0], params, rounds, Map.of(), null, null);
                float[][] p = b.predict(matrices.get(f)[1]);
                f1Sum += f1(p, labels, splits.get(f).test());
                b.dispose();
                fits++;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            totalMs += ms;
            String family = c.get("family").asText();
            perFamily.computeIfAbsent(family, k -> new double[2]);
            perFamily.get(family)[0] += ms;
            perFamily.get(family)[1]++;
            System.out.printf("  xgboost4j #%2d %-20s %8.0f ms  mean F1 %.4f  (keel %6d ms, F1 %.4f)%n",
                    c.get("index").asInt() + 1, family, ms, f1Sum / folds, c.get("duration_ms").asLong(),
                    c.get("mean_f1").asDouble());
        }
        StringBuilder fam = new StringBuilder();
        perFamily.forEach((k, v) -> fam.append(fam.length() == 0 ? "" : ", ")
                .append('"').append(k).append("\": ").append(Math.round(v[0] / v[1])));
        System.out.printf("{\"candidates\": %d, \"folds\": %d, \"fits\": %d, \"cv_seconds\": %.3f, \"keel_cv_seconds\": %.3f, "
                + "\"per_family_mean_ms\": {%s}}%n", replayed, folds, fits, totalMs / 1000, keelMs / 1000.0, fam);
    }

    private static DMatrix matrix(List<float[]> rows, int[] which, int width) throws Exception {
        float[] values = new float[which.length * width];
        float[] labels = new float[which.length];
        for (int i = 0; i < which.length; i++) {
            float[] r = rows.get(which[i]);
            System.arraycopy(r, 0, values, i * width, width);
            labels[i] = r[width];
        }
        DMatrix m = new DMatrix(values, which.length, width, Float.NaN);
        m.setLabel(labels);
        return m;
    }

    private static double f1(float[][] p, int[] labels, int[] rows) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < rows.length; i++) {
            boolean predicted = p[i][0] >= 0.5f;
            boolean actual = labels[rows[i]] == 1;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
