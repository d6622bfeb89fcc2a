package dev.keel.training.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    private static int[] labels(int n, double positiveRate, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, n).map(i -> random.nextDouble() < positiveRate ? 1 : 0).toArray();
    }

    private static long positives(int[] labels, int[] rows) {
        return Arrays.stream(rows).filter(r -> labels[r] == 1).count();
    }

    @Test
    void everyFoldKeepsTheClassProportionsToWithinOneRow() {
        int[] labels = labels(1_003, 0.13, 1);
        int[] rows = StratifiedSplit.all(labels.length);
        long totalPositives = positives(labels, rows);

        List<StratifiedSplit.Split> folds = StratifiedSplit.kFold(labels, rows, 5, 42);

        assertThat(folds).hasSize(5);
        Set<Integer> seen = new HashSet<>();
        for (StratifiedSplit.Split fold : folds) {
            assertThat(positives(labels, fold.test())).isBetween(totalPositives / 5, totalPositives / 5 + 1);
            assertThat(fold.test().length).isBetween(200, 201);
            assertThat(fold.train().length + fold.test().length).isEqualTo(labels.length);
            assertThat(Arrays.stream(fold.train()).boxed().toList()).doesNotContainAnyElementsOf(
                    Arrays.stream(fold.test()).boxed().toList());
            Arrays.stream(fold.test()).forEach(r -> assertThat(seen.add(r)).as("row %d in two folds", r).isTrue());
        }
        assertThat(seen).hasSize(labels.length);
    }

    @Test
    void theHeldOutSplitIsStratifiedDisjointAndDeterministic() {
        int[] labels = labels(500, 0.3, 2);
        int[] rows = StratifiedSplit.all(labels.length);

        StratifiedSplit.Split split = StratifiedSplit.trainTest(labels, rows, 0.2, 7);

        assertThat(split.test().length).isBetween(99, 101);
        double rate = positives(labels, rows) / 500.0;
        assertThat(positives(labels, split.test()) / (double) split.test().length).isCloseTo(rate, org.assertj.core.api.Assertions.within(0.01));
        assertThat(split.train().length + split.test().length).isEqualTo(500);
        assertThat(StratifiedSplit.trainTest(labels, rows, 0.2, 7).test()).containsExactly(split.test());
        assertThat(StratifiedSplit.trainTest(labels, rows, 0.2, 8).test()).isNotEqualTo(split.test());
    }

    @Test
    void aTinyMinorityStillAppearsInTheTestSplit() {
        int[] labels = new int[50];
        labels[3] = 1;
        labels[40] = 1;
        StratifiedSplit.Split split = StratifiedSplit.trainTest(labels, StratifiedSplit.all(50), 0.2, 1);
        assertThat(positives(labels, split.test())).isEqualTo(1);
        assertThat(positives(labels, split.train())).isEqualTo(1);
    }
}
