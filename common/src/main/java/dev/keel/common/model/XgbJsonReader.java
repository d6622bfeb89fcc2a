package dev.keel.common.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads XGBoost's JSON model format (written by {@code save_model("x.json")} in Python 1.0 and later
 * and by xgboost4j's {@code saveModel}/{@code toByteArray("json")}), and its UBJSON format through
 * {@link XgbUbjson}'s tree of the same document, with Jackson's tree model only,
 * so it needs no reflection configuration in a native image.
 *
 * <p>Floats are read as decimals and narrowed once, straight to float32: XGBoost writes each value as
 * the shortest text of a float32, and going through double first could round a threshold to the
 * neighbouring float. XGBoost may also write {@code NaN} and {@code Infinity} literals.
 */
final class XgbJsonReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private XgbJsonReader() {
    }

    private static final String NOT_A_MODEL = "model is neither XGBoost's JSON nor its UBJSON (the old binary format "
            + "of XGBoost before 1.0 is not supported; save the model as .json or .ubj)";

    static XgbModel read(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        byte[] head = peek.readNBytes(2);
        peek.unread(head);
        if (XgbUbjson.looksLike(head)) {
            return read(XgbUbjson.read(peek.readAllBytes()));
        }
        JsonNode root;
        try {
            root = JSON.readTree(peek);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(NOT_A_MODEL + ": " + e.getOriginalMessage(), e);
        }
        return read(root);
    }

    static XgbModel read(byte[] json) {
        if (XgbUbjson.looksLike(json)) {
            return read(XgbUbjson.read(json));
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(NOT_A_MODEL + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("model could not be read: " + e.getMessage(), e);
        }
        return read(root);
    }

    /** Far above any model XGBoost users train; a file that claims more is refused before anything is sized by it. */
    static final int MAX_FEATURES = 1 << 20;
    static final int MAX_OUTPUTS = 1 << 16;

    private static XgbModel read(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new ModelFormatException("model is empty");
        }
        if (!root.isObject() || !root.path("learner").isObject()) {
            throw new ModelFormatException("JSON document is not an XGBoost model: it has no 'learner' object");
        }
        JsonNode learner = root.get("learner");
        String version = version(root.path("version"));

        JsonNode params = object(learner, "learner_model_param", "learner");
        int numFeatures = intString(params, "num_feature", "learner.learner_model_param");
        int numClass = params.has("num_class") ? intString(params, "num_class", "learner.learner_model_param") : 0;
        int numTarget = params.has("num_target") ? intString(params, "num_target", "learner.learner_model_param") : 1;
        if (numFeatures <= 0) {
            throw new ModelFormatException("learner.learner_model_param.num_feature is " + numFeatures + "; a model needs at least one feature");
        }
        // the counts size arrays before the trees are read: a few bytes must not claim gigabytes
        if (numFeatures > MAX_FEATURES) {
            throw new ModelFormatException("learner.learner_model_param.num_feature is " + numFeatures + "; at most "
                    + MAX_FEATURES + " are supported");
        }
        if (numClass > MAX_OUTPUTS || numTarget > MAX_OUTPUTS || numTarget < 1 || numClass < 0) {
            throw new ModelFormatException("learner.learner_model_param has num_class " + numClass + " and num_target "
                    + numTarget + "; each must be between 0 (1 for num_target) and " + MAX_OUTPUTS);
        }
        if (numClass > 1 && numTarget > 1) {
            throw new ModelFormatException("learner.learner_model_param has both num_class " + numClass + " and num_target " + numTarget);
        }
        int numGroups = Math.max(1, Math.max(numClass, numTarget));
        float[] baseScore = baseScore(text(params, "base_score", "learner.learner_model_param"), numGroups);

        String objectiveName = text(object(learner, "objective", "learner"), "name", "learner.objective");
        Objective objective = Objective.byXgboostName(objectiveName).orElseThrow(() -> new ModelFormatException(
                "unsupported objective '" + objectiveName + "'; supported: " + supportedObjectives()));
        if ((objective == Objective.MULTI_SOFTPROB || objective == Objective.MULTI_SOFTMAX) && numClass < 2) {
            throw new ModelFormatException("objective '" + objectiveName + "' needs num_class >= 2, the model has " + numClass);
        }

        FeatureSchema schema = schema(learner, numFeatures);

        JsonNode booster = object(learner, "gradient_booster", "learner");
        String boosterName = text(booster, "name", "learner.gradient_booster");
        BoosterModel model = switch (boosterName) {
            case "gbtree" -> trees(object(booster, "model", "learner.gradient_booster"), numFeatures, numGroups);
            case "gblinear" -> linear(object(booster, "model", "learner.gradient_booster"), numFeatures, numGroups);
            default -> throw new ModelFormatException("unsupported booster '" + boosterName + "'; supported: gbtree, gblinear");
        };
        return new XgbModel(version, objective, schema, numGroups, baseScore, model);
    }

    private static String version(JsonNode version) {
        if (!version.isArray() || version.isEmpty()) {
            return "unknown";
        }
        List<String> parts = new ArrayList<>();
        version.forEach(v -> parts.add(v.asText()));
        return String.join(".", parts);
    }

    /**
     * {@code base_score} is a string: a number ({@code "5E-1"}, XGBoost 1.x and 2.x) or, since 3.1,
     * a JSON array with one value per output ({@code "[5E-1]"}). A single value serves every group.
     */
    private static float[] baseScore(String text, int numGroups) {
        String where = "learner.learner_model_param.base_score";
        float[] values;
        try {
            JsonNode node = JSON.readTree(text.trim().replace('(', '[').replace(')', ']'));
            if (node != null && node.isArray()) {
                values = new float[node.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = toFloat(node.get(i), where);
                }
            } else if (node != null && node.isNumber()) {
                values = new float[] {toFloat(node, where)};
            } else {
                throw new ModelFormatException(where + " '" + text + "' is not a number or an array of numbers");
            }
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(where + " '" + text + "' is not a number or an array of numbers", e);
        }
        if (values.length == 1 && numGroups > 1) {
            float single = values[0];
            values = new float[numGroups];
            java.util.Arrays.fill(values, single);
        }
        if (values.length != numGroups) {
            throw new ModelFormatException(where + " has " + values.length + " values, the model has " + numGroups + " outputs");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelFormatException(where + " '" + text + "' is not finite");
            }
        }
        return values;
    }

    private static FeatureSchema schema(JsonNode learner, int numFeatures) {
        List<String> names = stringList(learner.path("feature_names"), "learner.feature_names");
        List<String> types = stringList(learner.path("feature_types"), "learner.feature_types");
        if (names.isEmpty()) {
            for (int i = 0; i < numFeatures; i++) {
                names.add("f" + i);
            }
        }
        if (types.isEmpty()) {
            for (int i = 0; i < numFeatures; i++) {
                types.add(FeatureSchema.DEFAULT_TYPE);
            }
        }
        if (names.size() != numFeatures) {
            throw new ModelFormatException("learner.feature_names has " + names.size() + " names, num_feature is " + numFeatures);
        }
        if (types.size() != numFeatures) {
            throw new ModelFormatException("learner.feature_types has " + types.size() + " types, num_feature is " + numFeatures);
        }
        try {
            return new FeatureSchema(names, types);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("learner.feature_names: " + e.getMessage(), e);
        }
    }

    private static TreeEnsemble trees(JsonNode model, int numFeatures, int numGroups) {
        String where = "learner.gradient_booster.model";
        JsonNode trees = array(model, "trees", where);
        JsonNode treeInfo = array(model, "tree_info", where);
        JsonNode param = object(model, "gbtree_model_param", where);
        int numTrees = intString(param, "num_trees", where + ".gbtree_model_param");
        if (trees.size() != numTrees || treeInfo.size() != numTrees) {
            throw new ModelFormatException(where + ": num_trees is " + numTrees + " but there are " + trees.size()
                    + " trees and " + treeInfo.size() + " tree_info entries");
        }
        TreeEnsemble.Builder builder = new TreeEnsemble.Builder(numFeatures, numGroups);
        for (int t = 0; t < numTrees; t++) {
            JsonNode tree = trees.get(t);
            String treeWhere = "tree " + t;
            if (!tree.isObject()) {
                throw new ModelFormatException(treeWhere + " is not a JSON object");
            }
            if (tree.has("id") && tree.get("id").asInt(-1) != t) {
                throw new ModelFormatException(treeWhere + " has id " + tree.get("id") + "; trees must be stored in id order");
            }
            addTree(builder, tree, treeWhere, toInt(treeInfo.get(t), where + ".tree_info[" + t + "]"));
        }
        return builder.build();
    }

    private static void addTree(TreeEnsemble.Builder builder, JsonNode tree, String where, int group) {
        JsonNode treeParam = object(tree, "tree_param", where);
        int n = intString(treeParam, "num_nodes", where + ".tree_param");
        if (treeParam.has("size_leaf_vector") && intString(treeParam, "size_leaf_vector", where + ".tree_param") > 1) {
            throw new ModelFormatException(where + " is a multi-target (vector-leaf) tree, which is not supported");
        }
        int[] left = ints(tree, "left_children", n, where);
        int[] right = ints(tree, "right_children", n, where);
        int[] splitIndex = ints(tree, "split_indices", n, where);
        float[] splitCondition = floats(tree, "split_conditions", n, where);
        boolean[] defaultLeft = booleans(tree, "default_left", n, where);
        float[] sumHessian = floats(tree, "sum_hessian", n, where);

        boolean[] categorical = new boolean[n];
        int[][] categories = new int[n][];
        if (tree.has("split_type")) {
            int[] splitType = ints(tree, "split_type", n, where);
            for (int i = 0; i < n; i++) {
                if (splitType[i] != 0 && splitType[i] != 1) {
                    throw new ModelFormatException(where + ", node " + i + ": split_type " + splitType[i] + " is neither 0 (numerical) nor 1 (categorical)");
                }
                categorical[i] = splitType[i] == 1;
            }
            readCategories(tree, where, n, categorical, categories);
        }
        builder.addTree(where, group, left, right, splitIndex, splitCondition, defaultLeft, sumHessian, categorical, categories);
    }

    /**
     * Categorical splits are stored compactly: {@code categories_nodes} lists the categorical nodes
     * in order, and for the k-th of them {@code categories[categories_segments[k] ..
     * + categories_sizes[k]]} are the category codes that go right.
     */
    private static void readCategories(JsonNode tree, String where, int n, boolean[] categorical, int[][] categories) {
        JsonNode nodesNode = array(tree, "categories_nodes", where);
        int k = nodesNode.size();
        int[] catNodes = ints(tree, "categories_nodes", k, where);
        int[] segments = ints(tree, "categories_segments", k, where);
        int[] sizes = ints(tree, "categories_sizes", k, where);
        JsonNode codesNode = array(tree, "categories", where);
        int[] codes = ints(tree, "categories", codesNode.size(), where);
        int categoricalNodes = 0;
        for (boolean c : categorical) {
            categoricalNodes += c ? 1 : 0;
        }
        if (categoricalNodes != k) {
            throw new ModelFormatException(where + ": split_type marks " + categoricalNodes + " categorical nodes but categories_nodes lists " + k);
        }
        for (int j = 0; j < k; j++) {
            int node = catNodes[j];
            if (node < 0 || node >= n || !categorical[node]) {
                throw new ModelFormatException(where + ": categories_nodes[" + j + "] = " + node + " is not a categorical split node");
            }
            long end = (long) segments[j] + sizes[j];
            if (segments[j] < 0 || sizes[j] <= 0 || end > codes.length) {
                throw new ModelFormatException(where + ", node " + node + ": category segment [" + segments[j] + ", " + end
                        + ") is outside the " + codes.length + " stored categories");
            }
            categories[node] = java.util.Arrays.copyOfRange(codes, segments[j], (int) end);
        }
    }

    private static LinearModel linear(JsonNode model, int numFeatures, int numGroups) {
        JsonNode weights = array(model, "weights", "learner.gradient_booster.model");
        return new LinearModel(numFeatures, numGroups, floats(model, "weights", weights.size(), "learner.gradient_booster"));
    }

    // ---- small typed accessors; every failure names the JSON path ----

    private static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new ModelFormatException(where + "." + field + " is " + (node == null ? "missing" : "not an object"));
        }
        return node;
    }

    private static JsonNode array(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isArray()) {
            throw new ModelFormatException(where + "." + field + " is " + (node == null ? "missing" : "not an array"));
        }
        return node;
    }

    private static String text(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isValueNode() || node.isNull()) {
            throw new ModelFormatException(where + "." + field + " is missing");
        }
        return node.asText();
    }

    /** XGBoost stores the learner's and trees' parameters as strings, such as {@code "num_nodes": "119"}. */
    private static int intString(JsonNode parent, String field, String where) {
        String value = text(parent, field, where);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(where + "." + field + " '" + value + "' is not an integer", e);
        }
    }

    private static List<String> stringList(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ModelFormatException(where + " is not an array");
        }
        node.forEach(v -> {
            if (!v.isTextual()) {
                throw new ModelFormatException(where + " holds a non-string entry " + v);
            }
            out.add(v.asText());
        });
        return out;
    }

    private static JsonNode sized(JsonNode tree, String field, int expected, String where) {
        JsonNode node = array(tree, field, where);
        if (node.size() != expected) {
            throw new ModelFormatException(where + ": array '" + field + "' has " + node.size() + " entries, expected " + expected
                    + (field.startsWith("categories") ? "" : " (tree_param.num_nodes)"));
        }
        return node;
    }

    private static int[] ints(JsonNode tree, String field, int expected, String where) {
        JsonNode node = sized(tree, field, expected, where);
        int[] out = new int[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = toInt(node.get(i), where + "." + field + "[" + i + "]");
        }
        return out;
    }

    private static float[] floats(JsonNode tree, String field, int expected, String where) {
        JsonNode node = sized(tree, field, expected, where);
        float[] out = new float[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = toFloat(node.get(i), where + "." + field + "[" + i + "]");
        }
        return out;
    }

    /** XGBoost 1.0 wrote default_left as booleans, later versions as 0/1 integers. */
    private static boolean[] booleans(JsonNode tree, String field, int expected, String where) {
        JsonNode node = sized(tree, field, expected, where);
        boolean[] out = new boolean[expected];
        for (int i = 0; i < expected; i++) {
            JsonNode v = node.get(i);
            out[i] = v.isBoolean() ? v.booleanValue() : toInt(v, where + "." + field + "[" + i + "]") != 0;
        }
        return out;
    }

    private static int toInt(JsonNode v, String where) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFormatException(where + " is " + (v == null ? "missing" : v + ", not a 32-bit integer"));
        }
        return v.intValue();
    }

    private static float toFloat(JsonNode v, String where) {
        if (v == null || !v.isNumber()) {
            throw new ModelFormatException(where + " is " + (v == null ? "missing" : v + ", not a number"));
        }
        if (v.isBigDecimal()) {
            return Float.parseFloat(v.decimalValue().toString());
        }
        return (float) v.doubleValue();
    }

    private static String supportedObjectives() {
        List<String> names = new ArrayList<>();
        for (Objective o : Objective.values()) {
            names.add(o.xgboostName());
        }
        return String.join(", ", names);
    }
}
