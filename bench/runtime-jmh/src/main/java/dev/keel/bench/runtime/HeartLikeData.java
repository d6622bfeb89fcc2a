package dev.keel.bench.runtime;

import java.util.Random;

/**
 * Synthetic rows shaped like the UCI heart-disease data (13 features, binary target), after
 * bench-ref's make_data.py: the same columns, ranges and a logistic target with an interaction, so
 * the trained model has the size and tree shapes of the seed's reference model.
 */
record HeartLikeData(float[] values, float[] labels, int nRows) {

    static final String[] FEATURES = {"age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach",
            "exang", "oldpeak", "slope", "ca", "thal"};
    static final int WIDTH = FEATURES.length;

    static HeartLikeData generate(int nRows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[nRows * WIDTH];
        float[] y = new float[nRows];
        for (int r = 0; r < nRows; r++) {
            double age = clamp(Math.round(54.4 + 9.0 * random.nextGaussian()), 29, 77);
            double sex = random.nextDouble() < 0.68 ? 1 : 0;
            double cp = choice(random, 0.47, 0.17, 0.29, 0.07);
            double trestbps = clamp(Math.round(131.6 + 17.5 * random.nextGaussian() + 0.3 * (age - 54)), 94, 200);
            double chol = clamp(Math.round(246.0 + 51.8 * random.nextGaussian()), 126, 564);
            double fbs = random.nextDouble() < 0.15 ? 1 : 0;
            double restecg = choice(random, 0.49, 0.49, 0.02);
            double thalach = clamp(Math.round(149.6 + 22.9 * random.nextGaussian() - 0.9 * (age - 54)), 71, 202);
            double exang = random.nextDouble() < 0.33 ? 1 : 0;
            double oldpeak = Math.round(clamp(-Math.log(1 - random.nextDouble()) * 1.04, 0, 6.2) * 10) / 10.0;
            double slope = choice(random, 0.07, 0.46, 0.47);
            double ca = choice(random, 0.58, 0.21, 0.13, 0.07, 0.01);
            double thal = choice(random, 0.01, 0.06, 0.55, 0.38);
            double logit = -1.5 + 0.035 * (age - 54) + 0.8 * sex - 0.9 * (cp == 0 ? 1 : 0) + 0.6 * (cp == 2 ? 1 : 0)
                    + 0.012 * (trestbps - 131) + 0.004 * (chol - 246) - 0.035 * (thalach - 150) + 1.0 * exang
                    + 0.7 * oldpeak - 0.6 + 0.5 * (slope == 1 ? 1 : 0) - 0.4 * (slope == 2 ? 1 : 0) + 0.9 * ca
                    + 1.1 * (thal == 3 ? 1 : 0) - 0.5 * (thal == 2 ? 1 : 0) + 0.6 * exang * (oldpeak > 2.0 ? 1 : 0);
            double[] row = {age, sex, cp, trestbps, chol, fbs, restecg, thalach, exang, oldpeak, slope, ca, thal};
            for (int f = 0; f < WIDTH; f++) {
                x[r * WIDTH + f] = (float) row[f];
            }
            y[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        return new HeartLikeData(x, y, nRows);
    }

    float[] row(int r) {
        float[] row = new float[WIDTH];
        System.arraycopy(values, r * WIDTH, row, 0, WIDTH);
        return row;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double choice(Random random, double... p) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        return p.length - 1;
    }
}
