package dev.keel.training.learning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a run searches: which families, grid or random, how many candidates at most, and how they are
 * validated. The budget is shared out round-robin over the families, so a small budget still tries
 * every family.
 */
public record SearchPlan(List<ModelFamily> families, SearchStrategy strategy, int budget, int folds,
                         double testFraction, long seed, double roundsScale) {

    public SearchPlan {
        families = List.copyOf(families);
        if (families.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one model family");
        }
        if (budget < 1) {
            throw new IllegalArgumentException("the budget must be at least 1 candidate, not " + budget);
        }
    }

    public List<Hyperparameters> candidates() {
        SearchSpace space = new SearchSpace(roundsScale);
        int[] share = new int[families.size()];
        List<List<Hyperparameters>> grids = new ArrayList<>();
        for (ModelFamily family : families) {
            grids.add(space.grid(family));
        }
        // deal the budget out one candidate per family per turn; a grid that is used up drops out
        int left = budget;
        boolean dealt = true;
        while (left > 0 && dealt) {
            dealt = false;
            for (int f = 0; f < families.size() && left > 0; f++) {
                if (strategy == SearchStrategy.RANDOM || share[f] < grids.get(f).size()) {
                    share[f]++;
                    left--;
                    dealt = true;
                }
            }
        }
        List<List<Hyperparameters>> perFamily = new ArrayList<>();
        Random random = new Random(seed);
        for (int f = 0; f < families.size(); f++) {
            List<Hyperparameters> chosen = new ArrayList<>(share[f]);
            switch (strategy) {
                case GRID -> {
                    List<Hyperparameters> grid = grids.get(f);
                    // evenly spread over the grid, so a thinned grid still spans its range
                    for (int i = 0; i < share[f]; i++) {
                        chosen.add(grid.get((int) ((long) i * grid.size() / share[f])));
                    }
                }
                case RANDOM -> {
                    for (int i = 0; i < share[f]; i++) {
                        chosen.add(space.sample(families.get(f), random));
                    }
                }
            }
            perFamily.add(chosen);
        }
        // interleave the families so progress and "best so far" cover all of them early
        List<Hyperparameters> out = new ArrayList<>();
        for (int i = 0; out.size() < budget; i++) {
            boolean any = false;
            for (List<Hyperparameters> chosen : perFamily) {
                if (i < chosen.size()) {
                    out.add(chosen.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    /** Reads back a plan recorded by {@link #describe()}, so a run carries everything needed to execute it. */
    public static SearchPlan fromDescription(Map<String, Object> described) {
        Object families = described.get("families");
        if (!(families instanceof Map<?, ?> byName) || byName.isEmpty()) {
            throw new IllegalArgumentException("the recorded search space names no families");
        }
        List<ModelFamily> list = new ArrayList<>();
        for (Object name : byName.keySet()) {
            list.add(ModelFamily.parse(String.valueOf(name)));
        }
        return new SearchPlan(list, SearchStrategy.parse(String.valueOf(described.get("strategy"))),
                number(described, "budget").intValue(), number(described, "folds").intValue(),
                number(described, "test_fraction").doubleValue(), number(described, "seed").longValue(),
                described.containsKey("rounds_scale") ? number(described, "rounds_scale").doubleValue() : 1.0);
    }

    private static Number number(Map<String, Object> described, String key) {
        if (described.get(key) instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("the recorded search space has no number '" + key + "'");
    }

    /** The plan as recorded in {@code training_runs.search_space}. */
    public Map<String, Object> describe() {
        SearchSpace space = new SearchSpace(roundsScale);
        Map<String, Object> spaces = new LinkedHashMap<>();
        for (ModelFamily family : families) {
            spaces.put(family.json(), space.describe(family, strategy));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("strategy", strategy.json());
        out.put("budget", budget);
        out.put("folds", folds);
        out.put("test_fraction", testFraction);
        out.put("seed", seed);
        out.put("rounds_scale", roundsScale);
        out.put("selection", "best mean F1 over stratified folds");
        out.put("families", spaces);
        return out;
    }
}
