package dev.keel.common.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The features a model was trained on, in the order its rows use, with the names and types XGBoost
 * stored in the model (names {@code f0..fN-1} and type {@code float} when the model has none). It
 * also turns a request's named features into a model row, which is where input validation lives:
 * the model itself only ever sees floats.
 */
public final class FeatureSchema {

    /** XGBoost's type code for categorical features. */
    public static final String CATEGORICAL = "c";
    /** The type reported for every feature of a model that stored no types. */
    public static final String DEFAULT_TYPE = "float";

    // XGBoost treats category codes at or above 2^24 - 1 as invalid (float can no longer hold them exactly).
    private static final double MAX_CATEGORY = 16777216 - 1;

    private final List<String> names;
    private final List<String> types;
    private final boolean[] categorical;
    private final Map<String, Integer> indexByName;

    FeatureSchema(List<String> names, List<String> types) {
        if (names.size() != types.size()) {
            throw new IllegalArgumentException(names.size() + " feature names but " + types.size() + " types");
        }
        this.names = List.copyOf(names);
        this.types = List.copyOf(types);
        this.categorical = new boolean[names.size()];
        this.indexByName = new HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            categorical[i] = CATEGORICAL.equals(types.get(i));
            if (indexByName.putIfAbsent(names.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate feature name '" + names.get(i) + "'");
            }
        }
    }

    public int size() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    public List<String> types() {
        return types;
    }

    public String name(int index) {
        return names.get(index);
    }

    public boolean isCategorical(int index) {
        return categorical[index];
    }

    /** The column of a feature in the model's rows, or -1 if the model has no such feature. */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    /** Builds a new row from named features; see {@link #toRow(Map, MissingValues, float[])}. */
    public float[] toRow(Map<String, ?> features, MissingValues missing) {
        float[] row = new float[names.size()];
        toRow(features, missing, row);
        return row;
    }

    /**
     * Writes named features into {@code row} in model order. Numbers are narrowed to float as
     * XGBoost does; booleans become 1 or 0. Absent, null and NaN values become NaN (missing) when
     * {@code missing} allows it. Infinite values are always rejected: XGBoost refuses them too.
     * Categorical features take non-negative whole category codes.
     *
     * @throws InvalidFeatureException naming the first offending field
     */
    public void toRow(Map<String, ?> features, MissingValues missing, float[] row) {
        if (row.length < names.size()) {
            throw new IllegalArgumentException("row has " + row.length + " slots, the model has " + names.size() + " features");
        }
        int matched = 0;
        String firstMissing = null;
        boolean firstMissingWasNull = false;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Object value = features.get(name);
            if (value == null) {
                boolean present = features.containsKey(name);
                if (present) {
                    matched++;
                }
                if (missing == MissingValues.REJECT && firstMissing == null) {
                    firstMissing = name;
                    firstMissingWasNull = present;
                }
                row[i] = Float.NaN;
                continue;
            }
            matched++;
            row[i] = toFloat(i, name, value, missing);
        }
        // Unknown names first: a misspelt feature also shows up as a missing one, and the typo is the real cause.
        if (matched != features.size()) {
            for (String key : features.keySet()) {
                if (indexOf(key) < 0) {
                    throw new InvalidFeatureException(key, InvalidFeatureException.Reason.UNKNOWN,
                            "unknown feature '" + key + "'; the model expects " + names);
                }
            }
        }
        if (firstMissing != null) {
            throw new InvalidFeatureException(firstMissing, InvalidFeatureException.Reason.MISSING,
                    firstMissingWasNull ? "feature '" + firstMissing + "' is null" : "feature '" + firstMissing + "' is required");
        }
    }

    private float toFloat(int index, String name, Object value, MissingValues missing) {
        double number;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof Boolean b) {
            number = b ? 1.0 : 0.0;
        } else {
            throw new InvalidFeatureException(name, InvalidFeatureException.Reason.WRONG_TYPE,
                    "feature '" + name + "' must be a number, not " + describeType(value));
        }
        if (Double.isNaN(number)) {
            if (missing == MissingValues.REJECT) {
                throw new InvalidFeatureException(name, InvalidFeatureException.Reason.NOT_FINITE,
                        "feature '" + name + "' is NaN; missing values are not allowed");
            }
            return Float.NaN;
        }
        if (Double.isInfinite(number)) {
            throw new InvalidFeatureException(name, InvalidFeatureException.Reason.NOT_FINITE,
                    "feature '" + name + "' is infinite");
        }
        if (categorical[index] && (number < 0 || number >= MAX_CATEGORY || number != Math.rint(number))) {
            throw new InvalidFeatureException(name, InvalidFeatureException.Reason.INVALID_CATEGORY,
                    "feature '" + name + "' is categorical and needs a whole category code from 0 to " + (long) (MAX_CATEGORY - 1));
        }
        return (float) number;
    }

    // Names the JSON-ish kind of the value only: a request's feature values stay out of messages and logs.
    private static String describeType(Object value) {
        if (value instanceof CharSequence) {
            return "a string";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof Iterable<?> || value.getClass().isArray()) {
            return "an array";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
