package dev.keel.training.learning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Stratified splits: each part keeps the class proportions of the whole, to within one row per
 * class, so a minority class is never missing from a fold or from the test rows. Deterministic for
 * a seed.
 */
public final class StratifiedSplit {

    /** Row indices of the two sides of a split, each ascending. */
    public record Split(int[] train, int[] test) {
    }

    private StratifiedSplit() {
    }

    /**
     * Holds out about {@code testFraction} of each class's rows (at least one of each class that has
     * two or more).
     *
     * @param rows the rows to split (indices into {@code labels})
     */
    public static Split trainTest(int[] labels, int[] rows, double testFraction, long seed) {
        if (testFraction <= 0 || testFraction >= 1) {
            throw new IllegalArgumentException("test fraction must be between 0 and 1, not " + testFraction);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int[] members : byClass(labels, rows)) {
            shuffle(members, random);
            int held = (int) Math.round(members.length * testFraction);
            if (held == 0 && members.length >= 2) {
                held = 1;
            }
            if (held == members.length) {
                held = members.length - 1;
            }
            for (int i = 0; i < members.length; i++) {
                (i < held ? test : train).add(members[i]);
            }
        }
        return new Split(sorted(train), sorted(test));
    }

    /**
     * {@code k} folds: fold {@code f}'s {@code test} side is its validation rows, its {@code train}
     * side every other row. Rows of each class are dealt round the folds in shuffled order, carrying
     * on from class to class, so fold sizes differ by at most one.
     */
    public static List<Split> kFold(int[] labels, int[] rows, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, not " + k);
        }
        Random random = new Random(seed);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        int next = 0;
        for (int[] members : byClass(labels, rows)) {
            shuffle(members, random);
            for (int member : members) {
                folds.get(next).add(member);
                next = (next + 1) % k;
            }
        }
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                if (g != f) {
                    train.addAll(folds.get(g));
                }
            }
            out.add(new Split(sorted(train), sorted(folds.get(f))));
        }
        return out;
    }

    public static int[] all(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private static List<int[]> byClass(int[] labels, int[] rows) {
        int negatives = 0;
        for (int row : rows) {
            if (labels[row] == 0) {
                negatives++;
            }
        }
        int[] neg = new int[negatives];
        int[] pos = new int[rows.length - negatives];
        int n = 0;
        int p = 0;
        for (int row : rows) {
            if (labels[row] == 0) {
                neg[n++] = row;
            } else {
                pos[p++] = row;
            }
        }
        return List.of(neg, pos);
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] sorted(List<Integer> rows) {
        int[] out = rows.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }
}
