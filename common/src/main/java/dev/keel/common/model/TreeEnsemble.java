package dev.keel.common.model;

import java.util.Arrays;

/**
 * XGBoost's {@code gbtree}, flattened at load time into one int array of fixed-size node records so
 * that prediction is a walk over primitives with no objects, boxing or virtual calls.
 *
 * <p>Each tree is renumbered breadth-first, so a node's right child always directly follows its left
 * child and the top levels of every tree share a few cache lines. A node is four ints:
 * <ol>
 *   <li>split feature, with bit 31 set when missing values go right and bit 30 set for a
 *       categorical split;</li>
 *   <li>the threshold as float bits (for a categorical split: the length of its category bitset);</li>
 *   <li>the index of the left child; a leaf points at itself;</li>
 *   <li>the leaf value as float bits (for a categorical split: the offset of its category bitset).</li>
 * </ol>
 * A leaf's threshold is NaN and its missing direction is left, so one more step from a leaf stays
 * on it. That lets every row take exactly {@code depth} steps through a tree: no leaf test in the
 * loop, and rows of a batch can walk a tree in lock step.
 *
 * <p>Decisions follow XGBoost's {@code GetNextNode}: a NaN goes the default way; otherwise a numeric
 * split goes left when {@code x < threshold} (thresholds are float32, compared in float); a
 * categorical split goes right exactly when the value is a valid category code in the split's set.
 * Margins are summed in float, tree by tree in model order, as XGBoost's CPU predictor does.
 */
final class TreeEnsemble implements BoosterModel {

    static final int NODE_INTS = 4;
    static final int FEATURE_MASK = 0x3FFF_FFFF;
    static final int DEFAULT_RIGHT = 0x8000_0000;
    static final int CATEGORICAL = 0x4000_0000;

    // Category codes at or beyond XGBoost's OutOfRangeCat (2^24 - 1) or below zero never match a set.
    private static final float MAX_CATEGORY = 16777215f;

    // Rows per block in batch prediction: the block's rows walk each tree together, which keeps the
    // tree in cache and gives the CPU independent walks to overlap.
    private static final int BLOCK_ROWS = 64;

    final int numFeatures;
    final int numGroups;
    final int[] nodes;
    final long[] categoryWords;
    final int[] treeRoot;
    final int[] treeDepth;
    final int[] treeGroup;
    /** Cover (XGBoost's sum_hessian) of each node, for Tree SHAP. */
    final float[] cover;
    /** Cover-weighted mean of each tree's leaves: the tree's expected value, SHAP's bias. */
    final double[] treeExpectedValue;
    final int maxDepth;
    /** Deepest tree of each run of four consecutive trees, for the interleaved single-row walk. */
    private final int[] quadDepth;
    private final boolean hasCategorical;
    private final boolean singleGroup;

    private TreeEnsemble(Builder b) {
        this.numFeatures = b.numFeatures;
        this.numGroups = b.numGroups;
        this.nodes = Arrays.copyOf(b.nodes, b.nodeCount * NODE_INTS);
        this.categoryWords = Arrays.copyOf(b.categoryWords, b.categoryWordCount);
        this.treeRoot = Arrays.copyOf(b.treeRoot, b.treeCount);
        this.treeDepth = Arrays.copyOf(b.treeDepth, b.treeCount);
        this.treeGroup = Arrays.copyOf(b.treeGroup, b.treeCount);
        this.cover = Arrays.copyOf(b.cover, b.nodeCount);
        this.treeExpectedValue = Arrays.copyOf(b.treeExpectedValue, b.treeCount);
        int deepest = 0;
        for (int d : treeDepth) {
            deepest = Math.max(deepest, d);
        }
        this.maxDepth = deepest;
        this.singleGroup = numGroups == 1;
        this.hasCategorical = b.categoryWordCount > 0;
        this.quadDepth = new int[treeRoot.length / 4];
        for (int q = 0; q < quadDepth.length; q++) {
            for (int t = 4 * q; t < 4 * q + 4; t++) {
                quadDepth[q] = Math.max(quadDepth[q], treeDepth[t]);
            }
        }
    }

    @Override
    public String name() {
        return "gbtree";
    }

    @Override
    public int numTrees() {
        return treeRoot.length;
    }

    int numNodes() {
        return cover.length;
    }

    boolean isLeaf(int node) {
        return nodes[node * NODE_INTS + 2] == node;
    }

    int leftChild(int node) {
        return nodes[node * NODE_INTS + 2];
    }

    int splitFeature(int node) {
        return nodes[node * NODE_INTS] & FEATURE_MASK;
    }

    float leafValue(int node) {
        return Float.intBitsToFloat(nodes[node * NODE_INTS + 3]);
    }

    /** One step down from {@code node} for feature value {@code x}; a leaf stays where it is. */
    int next(int node, float x) {
        int base = node * NODE_INTS;
        int meta = nodes[base];
        int left = nodes[base + 2];
        if (x != x) {
            return left + (meta >>> 31);
        }
        if ((meta & CATEGORICAL) != 0) {
            return left + (inCategorySet(nodes[base + 3], nodes[base + 1], x) ? 1 : 0);
        }
        return left + (x >= Float.intBitsToFloat(nodes[base + 1]) ? 1 : 0);
    }

    /**
     * One step for the row at {@code rows[offset..]}. With {@code plain} (no NaN in the row, no
     * categorical split in the model) only the numeric comparison remains, which is most rows.
     */
    private int step(float[] rows, int offset, int node, boolean plain) {
        int base = node * NODE_INTS;
        float x = rows[offset + (nodes[base] & FEATURE_MASK)];
        if (plain) {
            return nodes[base + 2] + (x >= Float.intBitsToFloat(nodes[base + 1]) ? 1 : 0);
        }
        return next(node, x);
    }

    private boolean inCategorySet(int offset, int words, float x) {
        if (x < 0 || x >= MAX_CATEGORY) {
            return false;
        }
        int category = (int) x;
        int word = category >>> 6;
        return word < words && (categoryWords[offset + word] >>> (category & 63) & 1L) != 0;
    }

    private boolean plain(float[] rows, int offset, int nRows) {
        if (hasCategorical) {
            return false;
        }
        for (int i = offset, end = offset + nRows * numFeatures; i < end; i++) {
            if (rows[i] != rows[i]) {
                return false;
            }
        }
        return true;
    }

    /** The leaf a row reaches in tree {@code t}. */
    int leaf(int t, float[] rows, int rowOffset) {
        int node = treeRoot[t];
        for (int d = treeDepth[t]; d > 0; d--) {
            node = next(node, rows[rowOffset + (nodes[node * NODE_INTS] & FEATURE_MASK)]);
        }
        return node;
    }

    /*
     * Single rows walk four trees at once. One walk is a chain of dependent loads (node, feature
     * value, comparison, next node) that leaves the CPU idle most of the time; four independent
     * chains keep it busy and nearly halve the time per row. A quadruple takes as many steps as its
     * deepest tree needs; the others rest on their leaves. Leaf values are still added one tree at
     * a time in model order, so the float sum is XGBoost's.
     */

    @Override
    public float margin(float[] row, float initialMargin) {
        return margin(row, 0, initialMargin);
    }

    private float margin(float[] rows, int offset, float initialMargin) {
        boolean plain = plain(rows, offset, 1);
        float sum = initialMargin;
        int trees = treeRoot.length;
        int t = 0;
        for (; t + 4 <= trees; t += 4) {
            int a = treeRoot[t];
            int b = treeRoot[t + 1];
            int c = treeRoot[t + 2];
            int d = treeRoot[t + 3];
            for (int k = quadDepth[t >> 2]; k > 0; k--) {
                a = step(rows, offset, a, plain);
                b = step(rows, offset, b, plain);
                c = step(rows, offset, c, plain);
                d = step(rows, offset, d, plain);
            }
            sum += leafValue(a);
            sum += leafValue(b);
            sum += leafValue(c);
            sum += leafValue(d);
        }
        for (; t < trees; t++) {
            sum += leafValue(leaf(t, rows, offset));
        }
        return sum;
    }

    @Override
    public void addMargins(float[] rows, int rowOffset, float[] margins, int marginOffset) {
        if (singleGroup) {
            margins[marginOffset] = margin(rows, rowOffset, margins[marginOffset]);
            return;
        }
        boolean plain = plain(rows, rowOffset, 1);
        int trees = treeRoot.length;
        int t = 0;
        for (; t + 4 <= trees; t += 4) {
            int a = treeRoot[t];
            int b = treeRoot[t + 1];
            int c = treeRoot[t + 2];
            int d = treeRoot[t + 3];
            for (int k = quadDepth[t >> 2]; k > 0; k--) {
                a = step(rows, rowOffset, a, plain);
                b = step(rows, rowOffset, b, plain);
                c = step(rows, rowOffset, c, plain);
                d = step(rows, rowOffset, d, plain);
            }
            margins[marginOffset + treeGroup[t]] += leafValue(a);
            margins[marginOffset + treeGroup[t + 1]] += leafValue(b);
            margins[marginOffset + treeGroup[t + 2]] += leafValue(c);
            margins[marginOffset + treeGroup[t + 3]] += leafValue(d);
        }
        for (; t < trees; t++) {
            margins[marginOffset + treeGroup[t]] += leafValue(leaf(t, rows, rowOffset));
        }
    }

    /*
     * Batches go block by block and, within a block, tree by tree, so each tree is fetched into
     * cache once per block rather than once per row. Eight rows walk a tree together, for the same
     * reason single rows walk four trees together. Per row, leaves are still added in tree order.
     */

    @Override
    public void addMarginsBatch(float[] rows, int firstRow, int nRows, float[] margins) {
        int trees = treeRoot.length;
        int f = numFeatures;
        for (int blockStart = firstRow, end = firstRow + nRows; blockStart < end; blockStart += BLOCK_ROWS) {
            int blockEnd = Math.min(end, blockStart + BLOCK_ROWS);
            boolean plain = plain(rows, blockStart * f, blockEnd - blockStart);
            for (int t = 0; t < trees; t++) {
                int root = treeRoot[t];
                int depth = treeDepth[t];
                int group = treeGroup[t];
                int r = blockStart;
                for (; r + 8 <= blockEnd; r += 8) {
                    int o = r * f;
                    int n0 = root;
                    int n1 = root;
                    int n2 = root;
                    int n3 = root;
                    int n4 = root;
                    int n5 = root;
                    int n6 = root;
                    int n7 = root;
                    for (int k = depth; k > 0; k--) {
                        n0 = step(rows, o, n0, plain);
                        n1 = step(rows, o + f, n1, plain);
                        n2 = step(rows, o + 2 * f, n2, plain);
                        n3 = step(rows, o + 3 * f, n3, plain);
                        n4 = step(rows, o + 4 * f, n4, plain);
                        n5 = step(rows, o + 5 * f, n5, plain);
                        n6 = step(rows, o + 6 * f, n6, plain);
                        n7 = step(rows, o + 7 * f, n7, plain);
                    }
                    int m = r * numGroups + group;
                    margins[m] += leafValue(n0);
                    margins[m + numGroups] += leafValue(n1);
                    margins[m + 2 * numGroups] += leafValue(n2);
                    margins[m + 3 * numGroups] += leafValue(n3);
                    margins[m + 4 * numGroups] += leafValue(n4);
                    margins[m + 5 * numGroups] += leafValue(n5);
                    margins[m + 6 * numGroups] += leafValue(n6);
                    margins[m + 7 * numGroups] += leafValue(n7);
                }
                for (; r < blockEnd; r++) {
                    int node = root;
                    for (int k = depth; k > 0; k--) {
                        node = step(rows, r * f, node, plain);
                    }
                    margins[r * numGroups + group] += leafValue(node);
                }
            }
        }
    }

    @Override
    public void contributions(float[] row, float[] initialMargins, double[] out) {
        TreeShap.contributions(this, row, initialMargins, out);
    }

    /**
     * Accumulates trees as the JSON reader meets them, validating each against XGBoost's invariants
     * and renumbering it breadth-first. Messages name the tree and node so a corrupt file can be
     * diagnosed without a debugger.
     */
    static final class Builder {
        private final int numFeatures;
        private final int numGroups;
        private int[] nodes = new int[256 * NODE_INTS];
        private float[] cover = new float[256];
        private int nodeCount;
        private long[] categoryWords = new long[16];
        private int categoryWordCount;
        private int[] treeRoot = new int[16];
        private int[] treeDepth = new int[16];
        private int[] treeGroup = new int[16];
        private double[] treeExpectedValue = new double[16];
        private int treeCount;

        Builder(int numFeatures, int numGroups) {
            this.numFeatures = numFeatures;
            this.numGroups = numGroups;
        }

        /**
         * Adds one tree from XGBoost's per-node arrays (indexed by XGBoost's node ids). Unreachable
         * nodes, such as those a pruner deleted, are dropped.
         *
         * @param categories for each categorical split node, its category codes (those that go right); null elsewhere
         */
        void addTree(String where, int group, int[] left, int[] right, int[] splitIndex, float[] splitCondition,
                     boolean[] defaultLeft, float[] sumHessian, boolean[] categorical, int[][] categories) {
            int n = left.length;
            if (n == 0) {
                throw new ModelFormatException(where + " has no nodes");
            }
            if (group < 0 || group >= numGroups) {
                throw new ModelFormatException(where + " belongs to output group " + group + " but the model has " + numGroups);
            }
            int[] order = new int[n];
            int[] depth = new int[n];
            int[] newIndex = new int[n];
            Arrays.fill(newIndex, -1);
            int count = 1;
            newIndex[0] = 0;
            int treeDepthMax = 0;
            for (int i = 0; i < count; i++) {
                int old = order[i];
                treeDepthMax = Math.max(treeDepthMax, depth[i]);
                if (left[old] == -1) {
                    if (right[old] != -1) {
                        throw new ModelFormatException(where + ", node " + old + ": left child is -1 (leaf) but right child is " + right[old]);
                    }
                    continue;
                }
                for (int child : new int[] {left[old], right[old]}) {
                    if (child <= 0 || child >= n) {
                        throw new ModelFormatException(where + ", node " + old + ": child index " + child + " is outside 1.." + (n - 1));
                    }
                    if (newIndex[child] != -1) {
                        throw new ModelFormatException(where + ", node " + old + ": child " + child + " is reached twice (not a tree)");
                    }
                    newIndex[child] = count;
                    order[count] = child;
                    depth[count] = depth[i] + 1;
                    count++;
                }
                int feature = splitIndex[old];
                if (feature < 0 || feature >= numFeatures) {
                    throw new ModelFormatException(where + ", node " + old + ": split feature " + feature + " is outside 0.." + (numFeatures - 1));
                }
                if (categorical[old] && (categories[old] == null || categories[old].length == 0)) {
                    throw new ModelFormatException(where + ", node " + old + ": categorical split without categories");
                }
            }

            int base = nodeCount;
            ensureNodeCapacity(base + count);
            for (int i = 0; i < count; i++) {
                int old = order[i];
                int at = (base + i) * NODE_INTS;
                cover[base + i] = sumHessian[old];
                if (left[old] == -1) {
                    nodes[at] = 0;
                    nodes[at + 1] = Float.floatToRawIntBits(Float.NaN);
                    nodes[at + 2] = base + i;
                    nodes[at + 3] = Float.floatToRawIntBits(splitCondition[old]);
                    continue;
                }
                int meta = splitIndex[old] | (defaultLeft[old] ? 0 : DEFAULT_RIGHT);
                // Breadth-first numbering put the right child directly after the left one.
                nodes[at + 2] = base + newIndex[left[old]];
                if (categorical[old]) {
                    nodes[at] = meta | CATEGORICAL;
                    int[] codes = categories[old];
                    int maxCode = 0;
                    for (int code : codes) {
                        if (code < 0 || code >= (int) MAX_CATEGORY) {
                            throw new ModelFormatException(where + ", node " + old + ": category " + code + " is not a valid category code");
                        }
                        maxCode = Math.max(maxCode, code);
                    }
                    int words = (maxCode >>> 6) + 1;
                    ensureCategoryCapacity(categoryWordCount + words);
                    for (int code : codes) {
                        categoryWords[categoryWordCount + (code >>> 6)] |= 1L << (code & 63);
                    }
                    nodes[at + 1] = words;
                    nodes[at + 3] = categoryWordCount;
                    categoryWordCount += words;
                } else {
                    nodes[at] = meta;
                    nodes[at + 1] = Float.floatToRawIntBits(splitCondition[old]);
                    nodes[at + 3] = 0;
                }
            }
            nodeCount += count;

            ensureTreeCapacity(treeCount + 1);
            treeRoot[treeCount] = base;
            treeDepth[treeCount] = treeDepthMax;
            treeGroup[treeCount] = group;
            treeExpectedValue[treeCount] = expectedValue(base);
            treeCount++;
        }

        /**
         * XGBoost's {@code FillRootMeanValue}: leaves weighted by cover, in double; a zero-cover split
         * averages its children so refreshed or hand-made trees do not produce NaN.
         */
        private double expectedValue(int node) {
            int at = node * NODE_INTS;
            if (nodes[at + 2] == node) {
                return Float.intBitsToFloat(nodes[at + 3]);
            }
            int left = nodes[at + 2];
            double leftMean = expectedValue(left);
            double rightMean = expectedValue(left + 1);
            float parentCover = cover[node];
            if (parentCover == 0.0f) {
                return 0.5 * (leftMean + rightMean);
            }
            return (leftMean * cover[left] + rightMean * cover[left + 1]) / parentCover;
        }

        TreeEnsemble build() {
            return new TreeEnsemble(this);
        }

        private void ensureNodeCapacity(int needed) {
            if (needed > cover.length) {
                int size = Math.max(needed, cover.length * 2);
                nodes = Arrays.copyOf(nodes, size * NODE_INTS);
                cover = Arrays.copyOf(cover, size);
            }
        }

        private void ensureCategoryCapacity(int needed) {
            if (needed > categoryWords.length) {
                categoryWords = Arrays.copyOf(categoryWords, Math.max(needed, categoryWords.length * 2));
            }
        }

        private void ensureTreeCapacity(int needed) {
            if (needed > treeRoot.length) {
                int size = Math.max(needed, treeRoot.length * 2);
                treeRoot = Arrays.copyOf(treeRoot, size);
                treeDepth = Arrays.copyOf(treeDepth, size);
                treeGroup = Arrays.copyOf(treeGroup, size);
                treeExpectedValue = Arrays.copyOf(treeExpectedValue, size);
            }
        }
    }
}
