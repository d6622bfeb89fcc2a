package dev.keel.common.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The learning objectives this runtime can serve, under XGBoost's own names. Each knows the two
 * pieces of the objective that matter at inference time: how XGBoost turns the stored
 * {@code base_score} into a margin ({@code ProbToMargin}) and how it turns margins into the
 * prediction a caller sees ({@code PredTransform}). Both are computed in float with the same
 * operations as XGBoost's C++ so the outputs agree bit for bit or within one ulp.
 */
public enum Objective {
    REG_SQUAREDERROR("reg:squarederror", Link.IDENTITY),
    /** Deprecated alias of reg:squarederror that old models still carry. */
    REG_LINEAR("reg:linear", Link.IDENTITY),
    REG_SQUAREDLOGERROR("reg:squaredlogerror", Link.IDENTITY),
    REG_PSEUDOHUBERERROR("reg:pseudohubererror", Link.IDENTITY),
    REG_ABSOLUTEERROR("reg:absoluteerror", Link.IDENTITY),
    REG_LOGISTIC("reg:logistic", Link.LOGISTIC),
    BINARY_LOGISTIC("binary:logistic", Link.LOGISTIC),
    /** Logistic loss, but predictions stay margins; base_score is already a margin. */
    BINARY_LOGITRAW("binary:logitraw", Link.IDENTITY),
    COUNT_POISSON("count:poisson", Link.LOG),
    REG_GAMMA("reg:gamma", Link.LOG),
    REG_TWEEDIE("reg:tweedie", Link.LOG),
    MULTI_SOFTPROB("multi:softprob", Link.SOFTMAX),
    /** Outputs the index of the winning class, one value per row. */
    MULTI_SOFTMAX("multi:softmax", Link.ARGMAX);

    /** How margins map to outputs; closed, so the switches below need no default. */
    private enum Link { IDENTITY, LOGISTIC, LOG, SOFTMAX, ARGMAX }

    // XGBoost's kRtEps: the logistic base_score is clamped into (0, 1) before the logit.
    private static final float RT_EPS = 1e-6f;

    private final String xgboostName;
    private final Link link;

    Objective(String xgboostName, Link link) {
        this.xgboostName = xgboostName;
        this.link = link;
    }

    /** The objective's name as XGBoost writes it in {@code learner.objective.name}. */
    public String xgboostName() {
        return xgboostName;
    }

    public static Optional<Objective> byXgboostName(String name) {
        return Arrays.stream(values()).filter(o -> o.xgboostName.equals(name)).findFirst();
    }

    /**
     * What a model with this objective predicts, as its quality is measured: a probability of the
     * positive class, cut into 1 or 0 by a decision threshold (binary); a class index (multiclass);
     * a value (regression); or a raw logit that no label can be compared with (margin).
     */
    public enum Task {
        BINARY, MULTICLASS, REGRESSION, MARGIN;

        /** The lower-case name, as APIs and evidence write it. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The task of a model version whose registry params recorded {@code objective}: binary when none
     * was recorded (Keel's own training registers binary classifiers) or the name is not one this
     * runtime knows.
     */
    public static Task taskOf(String objective) {
        return objective == null ? Task.BINARY : byXgboostName(objective).map(Objective::task).orElse(Task.BINARY);
    }

    /** How this objective's predictions are scored against labels. */
    public Task task() {
        return switch (this) {
            case REG_LOGISTIC, BINARY_LOGISTIC -> Task.BINARY;
            case MULTI_SOFTPROB, MULTI_SOFTMAX -> Task.MULTICLASS;
            case BINARY_LOGITRAW -> Task.MARGIN;
            default -> Task.REGRESSION;
        };
    }

    /** Whether {@link #transform} makes probabilities of the positive class (one output per row). */
    public boolean isBinaryProbability() {
        return link == Link.LOGISTIC;
    }

    /** Values per row that {@link XgbModel#predict} produces for a model with this many groups. */
    int outputWidth(int outputGroups) {
        return link == Link.ARGMAX ? 1 : outputGroups;
    }

    /**
     * XGBoost's {@code ProbToMargin}: the stored base_score is in the objective's output space for
     * logistic and log links (XGBoost 1.x to 3.x alike) and already a margin for the others.
     */
    float probToMargin(float baseScore) {
        return switch (link) {
            case LOGISTIC -> {
                float p = Math.min(Math.max(baseScore, RT_EPS), 1.0f - RT_EPS);
                yield -(float) Math.log(1.0f / p - 1.0f);
            }
            case LOG -> (float) Math.log(baseScore);
            case IDENTITY, SOFTMAX, ARGMAX -> baseScore;
        };
    }

    /**
     * Turns {@code groups} margins starting at {@code in[inOffset]} into
     * {@link #outputWidth(int)} outputs at {@code out[outOffset]}; {@code in} and {@code out} may be
     * the same array at the same offset.
     */
    void transform(float[] in, int inOffset, int groups, float[] out, int outOffset) {
        switch (link) {
            case IDENTITY -> System.arraycopy(in, inOffset, out, outOffset, groups);
            case LOGISTIC -> {
                for (int g = 0; g < groups; g++) {
                    out[outOffset + g] = sigmoid(in[inOffset + g]);
                }
            }
            case LOG -> {
                for (int g = 0; g < groups; g++) {
                    out[outOffset + g] = (float) Math.exp(in[inOffset + g]);
                }
            }
            case SOFTMAX -> softmax(in, inOffset, groups, out, outOffset);
            case ARGMAX -> out[outOffset] = argmax(in, inOffset, groups);
        }
    }

    /** {@link #transform} for a one-output model. */
    float transformSingle(float margin) {
        return switch (link) {
            case IDENTITY -> margin;
            case LOGISTIC -> sigmoid(margin);
            case LOG -> (float) Math.exp(margin);
            case SOFTMAX, ARGMAX -> throw new IllegalStateException(xgboostName + " has more than one output");
        };
    }

    /** XGBoost's {@code common::Sigmoid(float)}, operation for operation. */
    static float sigmoid(float margin) {
        float x = Math.min(-margin, 88.7f);
        float denom = (float) Math.exp(x) + 1.0f + 1e-16f;
        return 1.0f / denom;
    }

    /** XGBoost's {@code common::Softmax}: float exponentials, a double sum, a float division. */
    private static void softmax(float[] in, int inOffset, int groups, float[] out, int outOffset) {
        float max = in[inOffset];
        for (int g = 1; g < groups; g++) {
            max = Math.max(in[inOffset + g], max);
        }
        double sum = 0.0;
        for (int g = 0; g < groups; g++) {
            float e = (float) Math.exp(in[inOffset + g] - max);
            out[outOffset + g] = e;
            sum += e;
        }
        float total = (float) sum;
        for (int g = 0; g < groups; g++) {
            out[outOffset + g] /= total;
        }
    }

    /** XGBoost's {@code FindMaxIndex}: the first of equal maxima wins. */
    private static float argmax(float[] in, int inOffset, int groups) {
        int best = 0;
        for (int g = 1; g < groups; g++) {
            if (in[inOffset + g] > in[inOffset + best]) {
                best = g;
            }
        }
        return best;
    }
}
