package dev.keel.training.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchPlanTest {

    private static SearchPlan plan(SearchStrategy strategy, int budget, ModelFamily... families) {
        return new SearchPlan(List.of(families), strategy, budget, 5, 0.2, 42, 1.0);
    }

    @Test
    void theBudgetIsSharedRoundRobinSoEveryFamilyIsTried() {
        List<Hyperparameters> candidates = plan(SearchStrategy.GRID, 6, ModelFamily.values()).candidates();

        assertThat(candidates).hasSize(6);
        assertThat(candidates.subList(0, 4)).extracting(Hyperparameters::family).containsExactly(ModelFamily.values());
    }

    @Test
    void theFullGridIsEveryPointOfEveryFamilyAndABiggerBudgetAddsNothing() {
        assertThat(plan(SearchStrategy.GRID, 32, ModelFamily.values()).candidates()).hasSize(32).doesNotHaveDuplicates();
        assertThat(plan(SearchStrategy.GRID, 500, ModelFamily.LEAF_WISE).candidates()).hasSize(8);
    }

    @Test
    void aThinnedGridSpansItsRange() {
        List<Hyperparameters> two = plan(SearchStrategy.GRID, 2, ModelFamily.GRADIENT_BOOSTING).candidates();
        assertThat(two).extracting(h -> ((Hyperparameters.GradientBoosting) h).maxDepth()).containsExactly(3, 6);
    }

    @Test
    void randomSearchIsDeterministicForASeedAndStaysInItsRanges() {
        List<Hyperparameters> a = plan(SearchStrategy.RANDOM, 40, ModelFamily.values()).candidates();
        assertThat(a).isEqualTo(plan(SearchStrategy.RANDOM, 40, ModelFamily.values()).candidates()).hasSize(40);
        a.stream().filter(h -> h instanceof Hyperparameters.GradientBoosting).map(h -> (Hyperparameters.GradientBoosting) h)
                .forEach(g -> {
                    assertThat(g.maxDepth()).isBetween(2, 8);
                    assertThat(g.eta()).isBetween(0.01, 0.3);
                });
        a.stream().filter(h -> h instanceof Hyperparameters.RandomForest).forEach(h -> assertThat(h.rounds()).isEqualTo(1));
    }

    @Test
    void eachFamilyMapsToItsXgboostSettings() {
        assertThat(new Hyperparameters.LeafWise(31, 0.1, 100, 0.9, 0.9, 1).booster())
                .containsEntry("grow_policy", "lossguide").containsEntry("max_leaves", 31).containsEntry("max_depth", 0);
        assertThat(new Hyperparameters.RandomForest(200, 8, 0.8, 0.5).booster())
                .containsEntry("num_parallel_tree", 200).containsEntry("subsample", 0.8).containsEntry("colsample_bynode", 0.5)
                .containsEntry("eta", 1.0);
        assertThat(new Hyperparameters.LogisticRegression(1, 0, 100, 0.5).booster()).containsEntry("booster", "gblinear");
        assertThat(new Hyperparameters.GradientBoosting(4, 0.1, 100, 1, 1, 1).booster())
                .containsEntry("grow_policy", "depthwise").containsEntry("max_depth", 4);
    }

    @Test
    void aRecordedPlanReadsBackAsTheSamePlan() {
        SearchPlan original = new SearchPlan(List.of(ModelFamily.RANDOM_FOREST, ModelFamily.LOGISTIC_REGRESSION),
                SearchStrategy.RANDOM, 9, 4, 0.25, 7, 0.5);
        Map<String, Object> described = original.describe();

        assertThat(SearchPlan.fromDescription(described)).isEqualTo(original);
        assertThat(described).containsEntry("strategy", "random").containsKey("families");
    }
}
