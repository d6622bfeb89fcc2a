package dev.keel.common.model;

import java.util.Arrays;

/**
 * Exact path-dependent Tree SHAP (Lundberg, Erion and Lee, "Consistent Individualized Feature
 * Attribution for Tree Ensembles", Algorithm 2), as XGBoost's {@code predict_contribs} computes it:
 * the fraction of training data down each branch is the child's cover (sum_hessian) over its
 * parent's, the row follows the same branches prediction does (default directions included), and
 * the bias is the initial margin plus every tree's cover-weighted mean leaf value. Computed in double,
 * so it agrees with XGBoost's float implementations (the 1.x recursion and the 3.x quadrature
 * formulation alike) to float precision, and the contributions of a row sum to its margin.
 *
 * <p>One instance per call holds the path scratch arrays; nothing is shared between threads.
 */
final class TreeShap {

    // XGBoost's kQuadratureTreeShapMinChildWeight: a zero-cover child keeps a tiny weight instead of
    // turning the path weights into NaN.
    private static final double MIN_CHILD_WEIGHT = 1e-12;

    private final TreeEnsemble trees;
    private final float[] row;
    private final double[] phi;
    private int phiOffset;
    private final int[] pathFeature;
    private final double[] pathZero;
    private final double[] pathOne;
    private final double[] pathWeight;

    private TreeShap(TreeEnsemble trees, float[] row, double[] phi) {
        this.trees = trees;
        this.row = row;
        this.phi = phi;
        // Each level of the recursion keeps its own copy of the path: depth + 1 elements at depth d.
        int maxPath = trees.maxDepth + 2;
        int size = (maxPath + 1) * (maxPath + 2) / 2;
        this.pathFeature = new int[size];
        this.pathZero = new double[size];
        this.pathOne = new double[size];
        this.pathWeight = new double[size];
    }

    static void contributions(TreeEnsemble trees, float[] row, float[] initialMargins, double[] out) {
        int columns = trees.numFeatures + 1;
        Arrays.fill(out, 0, columns * trees.numGroups, 0.0);
        for (int g = 0; g < trees.numGroups; g++) {
            out[g * columns + trees.numFeatures] = initialMargins[g];
        }
        TreeShap shap = new TreeShap(trees, row, out);
        for (int t = 0; t < trees.numTrees(); t++) {
            shap.phiOffset = trees.treeGroup[t] * columns;
            out[shap.phiOffset + trees.numFeatures] += trees.treeExpectedValue[t];
            int root = trees.treeRoot[t];
            if (!trees.isLeaf(root)) {
                shap.recurse(root, 0, 0, 1.0, 1.0, -1);
            }
        }
    }

    private void recurse(int node, int uniqueDepth, int parentOffset, double parentZero, double parentOne,
                         int parentFeature) {
        int offset = parentOffset + uniqueDepth + 1;
        System.arraycopy(pathFeature, parentOffset, pathFeature, offset, uniqueDepth + 1);
        System.arraycopy(pathZero, parentOffset, pathZero, offset, uniqueDepth + 1);
        System.arraycopy(pathOne, parentOffset, pathOne, offset, uniqueDepth + 1);
        System.arraycopy(pathWeight, parentOffset, pathWeight, offset, uniqueDepth + 1);
        extendPath(offset, uniqueDepth, parentZero, parentOne, parentFeature);

        if (trees.isLeaf(node)) {
            double leaf = trees.leafValue(node);
            for (int i = 1; i <= uniqueDepth; i++) {
                double w = unwoundPathSum(offset, uniqueDepth, i);
                phi[phiOffset + pathFeature[offset + i]] += w * (pathOne[offset + i] - pathZero[offset + i]) * leaf;
            }
            return;
        }

        int feature = trees.splitFeature(node);
        int hot = trees.next(node, row[feature]);
        int left = trees.leftChild(node);
        int cold = hot == left ? left + 1 : left;
        double hotZero = branchWeight(trees.cover[hot], trees.cover[node]);
        double coldZero = branchWeight(trees.cover[cold], trees.cover[node]);
        double incomingZero = 1.0;
        double incomingOne = 1.0;

        // A feature already on the path is unwound so this split can redo it.
        int pathIndex = 0;
        while (pathIndex <= uniqueDepth && pathFeature[offset + pathIndex] != feature) {
            pathIndex++;
        }
        if (pathIndex != uniqueDepth + 1) {
            incomingZero = pathZero[offset + pathIndex];
            incomingOne = pathOne[offset + pathIndex];
            unwindPath(offset, uniqueDepth, pathIndex);
            uniqueDepth -= 1;
        }

        recurse(hot, uniqueDepth + 1, offset, hotZero * incomingZero, incomingOne, feature);
        recurse(cold, uniqueDepth + 1, offset, coldZero * incomingZero, 0.0, feature);
    }

    private static double branchWeight(float childCover, float parentCover) {
        if (parentCover <= 0.0f) {
            return 0.5;
        }
        double weight = (double) childCover / parentCover;
        return Math.max(weight, MIN_CHILD_WEIGHT);
    }

    private void extendPath(int o, int depth, double zero, double one, int feature) {
        pathFeature[o + depth] = feature;
        pathZero[o + depth] = zero;
        pathOne[o + depth] = one;
        pathWeight[o + depth] = depth == 0 ? 1.0 : 0.0;
        for (int i = depth - 1; i >= 0; i--) {
            pathWeight[o + i + 1] += one * pathWeight[o + i] * (i + 1) / (depth + 1);
            pathWeight[o + i] = zero * pathWeight[o + i] * (depth - i) / (depth + 1);
        }
    }

    private void unwindPath(int o, int depth, int pathIndex) {
        double one = pathOne[o + pathIndex];
        double zero = pathZero[o + pathIndex];
        double nextOnePortion = pathWeight[o + depth];
        for (int i = depth - 1; i >= 0; i--) {
            if (one != 0) {
                double tmp = pathWeight[o + i];
                pathWeight[o + i] = nextOnePortion * (depth + 1) / ((i + 1) * one);
                nextOnePortion = tmp - pathWeight[o + i] * zero * (depth - i) / (depth + 1);
            } else {
                pathWeight[o + i] = pathWeight[o + i] * (depth + 1) / (zero * (depth - i));
            }
        }
        for (int i = pathIndex; i < depth; i++) {
            pathFeature[o + i] = pathFeature[o + i + 1];
            pathZero[o + i] = pathZero[o + i + 1];
            pathOne[o + i] = pathOne[o + i + 1];
        }
    }

    private double unwoundPathSum(int o, int depth, int pathIndex) {
        double one = pathOne[o + pathIndex];
        double zero = pathZero[o + pathIndex];
        double nextOnePortion = pathWeight[o + depth];
        double total = 0.0;
        for (int i = depth - 1; i >= 0; i--) {
            if (one != 0) {
                double tmp = nextOnePortion * (depth + 1) / ((i + 1) * one);
                total += tmp;
                nextOnePortion = pathWeight[o + i] - tmp * zero * ((depth - i) / (double) (depth + 1));
            } else if (zero != 0) {
                total += (pathWeight[o + i] / zero) / ((depth - i) / (double) (depth + 1));
            }
        }
        return total;
    }
}
