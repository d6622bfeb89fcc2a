package dev.keel.training.data;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic rows with the UCI Cleveland heart-disease schema of seed 002: 13 features and a binary
 * {@code target}, drawn like the Python reference ({@code bench-ref/make_data.py}): the same ranges,
 * marginal distributions and logistic risk model with an interaction, so a tree model has a
 * learnable, non-trivial signal. Deterministic for a seed (Java's generator, not NumPy's, so the
 * rows differ from Python's while the distributions agree).
 *
 * <p>Drift shifts named features on purpose, for demos and drift tests, and the target follows the
 * shifted features (covariate shift, the relation P(target | features) unchanged):
 * <ul>
 *   <li>numeric features (age, trestbps, chol, thalach, oldpeak) get the shift added, unclipped;</li>
 *   <li>binary features (sex, fbs, exang) get it added to the probability of 1;</li>
 *   <li>coded features (cp, restecg, slope, ca, thal): with probability |shift| a row takes the
 *       highest code (shift &gt; 0) or the lowest (shift &lt; 0).</li>
 * </ul>
 */
public final class HeartDiseaseGenerator {

    public static final List<String> FEATURES = List.of("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
            "thalach", "exang", "oldpeak", "slope", "ca", "thal");
    public static final String TARGET = "target";

    private static final double[] CP = {0.47, 0.17, 0.29, 0.07};
    private static final double[] RESTECG = {0.49, 0.49, 0.02};
    private static final double[] SLOPE = {0.07, 0.46, 0.47};
    private static final double[] CA = {0.58, 0.21, 0.13, 0.07, 0.01};
    private static final double[] THAL = {0.01, 0.06, 0.55, 0.38};

    private final Random random;
    private final Map<String, Double> drift;

    /** @param drift shift per feature name; unknown names and shifts that are not finite numbers are rejected */
    public HeartDiseaseGenerator(long seed, Map<String, Double> drift) {
        for (Map.Entry<String, Double> shift : drift.entrySet()) {
            if (!FEATURES.contains(shift.getKey())) {
                throw new IllegalArgumentException("unknown feature '" + shift.getKey() + "'; the features are " + FEATURES);
            }
            if (shift.getValue() == null || !Double.isFinite(shift.getValue())) {
                throw new IllegalArgumentException("the shift of '" + shift.getKey() + "' must be a finite number, not "
                        + shift.getValue());
            }
        }
        this.random = new Random(seed);
        this.drift = Map.copyOf(drift);
    }

    /** One row: the 13 features in schema order, then the target (0 or 1). */
    public double[] next() {
        double age = Math.rint(clip(54.4 + 9.0 * random.nextGaussian(), 29, 77)) + shift("age");
        double sex = bernoulli(0.68 + shift("sex"));
        double cp = coded("cp", choice(CP), CP.length);
        double trestbps = Math.rint(clip(131.6 + 17.5 * random.nextGaussian() + 0.3 * (age - 54), 94, 200)) + shift("trestbps");
        double chol = Math.rint(clip(246.0 + 51.8 * random.nextGaussian(), 126, 564)) + shift("chol");
        double fbs = bernoulli(0.15 + shift("fbs"));
        double restecg = coded("restecg", choice(RESTECG), RESTECG.length);
        double thalach = Math.rint(clip(149.6 + 22.9 * random.nextGaussian() - 0.9 * (age - 54), 71, 202)) + shift("thalach");
        double exang = bernoulli(0.33 + shift("exang"));
        double oldpeak = Math.rint(clip(-1.04 * Math.log(1 - random.nextDouble()), 0.0, 6.2) * 10) / 10 + shift("oldpeak");
        double slope = coded("slope", choice(SLOPE), SLOPE.length);
        double ca = coded("ca", choice(CA), CA.length);
        double thal = coded("thal", choice(THAL), THAL.length);

        double logit = -1.5
                + 0.035 * (age - 54)
                + 0.8 * sex
                - 0.9 * (cp == 0 ? 1 : 0) + 0.6 * (cp == 2 ? 1 : 0)
                + 0.012 * (trestbps - 131)
                + 0.004 * (chol - 246)
                - 0.035 * (thalach - 150)
                + 1.0 * exang
                + 0.7 * oldpeak - 0.6
                + 0.5 * (slope == 1 ? 1 : 0) - 0.4 * (slope == 2 ? 1 : 0)
                + 0.9 * ca
                + 1.1 * (thal == 3 ? 1 : 0) - 0.5 * (thal == 2 ? 1 : 0)
                + 0.6 * exang * (oldpeak > 2.0 ? 1 : 0);
        double p = 1.0 / (1.0 + Math.exp(-logit));
        double target = random.nextDouble() < p ? 1 : 0;
        return new double[] {age, sex, cp, trestbps, chol, fbs, restecg, thalach, exang, oldpeak, slope, ca, thal, target};
    }

    /** The next row as named values, target included. */
    public Map<String, Number> nextRecord() {
        double[] row = next();
        Map<String, Number> out = new LinkedHashMap<>();
        for (int i = 0; i < FEATURES.size(); i++) {
            out.put(FEATURES.get(i), asNumber(row[i]));
        }
        out.put(TARGET, (int) row[FEATURES.size()]);
        return out;
    }

    /** Writes a header and {@code rows} rows as CSV, one row at a time. */
    public void writeCsv(Writer out, long rows, boolean withTarget) throws IOException {
        out.write(String.join(",", FEATURES));
        out.write(withTarget ? "," + TARGET + "\n" : "\n");
        StringBuilder line = new StringBuilder(64);
        for (long r = 0; r < rows; r++) {
            double[] row = next();
            line.setLength(0);
            int width = withTarget ? row.length : row.length - 1;
            for (int i = 0; i < width; i++) {
                if (i > 0) {
                    line.append(',');
                }
                Number n = asNumber(row[i]);
                line.append(n);
            }
            line.append('\n');
            out.write(line.toString());
        }
        out.flush();
    }

    private double shift(String feature) {
        return drift.getOrDefault(feature, 0.0);
    }

    private double coded(String feature, int code, int codes) {
        double s = shift(feature);
        if (s != 0 && random.nextDouble() < Math.min(1, Math.abs(s))) {
            return s > 0 ? codes - 1 : 0;
        }
        return code;
    }

    private double bernoulli(double p) {
        return random.nextDouble() < p ? 1 : 0;
    }

    private int choice(double[] p) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < p.length; i++) {
            cumulative += p[i];
            if (u < cumulative) {
                return i;
            }
        }
        return p.length - 1;
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Whole numbers print without a fraction, like the Python reference's integer columns. */
    private static Number asNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (long) v;
        }
        return Math.round(v * 1e6) / 1e6;
    }
}
