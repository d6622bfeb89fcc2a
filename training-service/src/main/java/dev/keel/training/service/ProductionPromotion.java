package dev.keel.training.service;

import dev.keel.training.client.ProductionVersion;
import dev.keel.training.client.RegistryClient;
import dev.keel.training.client.StageChange;
import dev.keel.training.client.StageOutcome;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.data.EncodedDataset;
import dev.keel.training.domain.GateCheck;
import dev.keel.training.domain.GateResult;
import dev.keel.common.stats.BinaryMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Decides whether a newly registered version replaces production, and tells the registry. It must
 * pass the quality gate (test F1 of at least {@code keel.training.gate.min-f1}) and beat the
 * production version, scored on the same held-out rows, by {@code keel.training.gate.champion-margin}.
 * Otherwise it goes to staging, and the result says which check failed. The registry's own
 * deployment gate has the last word: a 409 from it keeps the version in staging too, unless the
 * version is in production after all (the 409 answered a retry whose first try's answer was lost).
 * Deciding again after an answer was lost is safe: a version found in production already stays
 * there, and is never sent to staging. The promotion names the production version it was judged
 * against, so when another run promoted meanwhile the registry refuses it and the version is judged
 * again, against the new champion (two runs of one model no longer both win against the old one).
 */
@ApplicationScoped
public class ProductionPromotion {

    private static final Logger LOG = Logger.getLogger(ProductionPromotion.class);
    /** Judgements of one version at most: each further one follows a production that moved on meanwhile. */
    private static final int MAX_DECISIONS = 3;

    private final RegistryClient registry;
    private final double minF1;
    private final double margin;

    public ProductionPromotion(RegistryClient registry, TrainingConfig config) {
        this.registry = registry;
        this.minF1 = config.gate().minF1();
        this.margin = config.gate().championMargin();
    }

    /**
     * @param runId the training run that registered the version; the registry's stage history names
     *              it beside the reason, so the audit row leads back to the run
     */
    public GateResult decide(long runId, String project, String model, int version, BinaryMetrics challenger,
                             EncodedDataset data, int[] testRows) {
        for (int attempt = 1; ; attempt++) {
            Judgement j = judge(project, model, version, challenger.f1(), data, testRows);
            List<GateCheck> checks = j.checks();
            boolean promote = j.promote();
            String reason = j.reason();
            if (promote && !j.alreadyPromoted()) {
                int against = j.championVersion() == null ? 0 : j.championVersion();
                StageOutcome outcome = registry.changeStage(project, model, version,
                        StageChange.production(byRun(runId, reason), against));
                if (outcome.productionMovedOn() && attempt < MAX_DECISIONS) {
                    // another run (or a person) changed production since this decision read it: judge again
                    LOG.infof("%s/%s v%d: production moved on since it was judged against %s (%s); judging again",
                            project, model, version, against == 0 ? "none" : "v" + against, outcome.detail());
                    continue;
                }
                if (!outcome.applied() && isProduction(project, model, version)) {
                    // a retry after a lost answer: the first request moved it, the second heard "already in production"
                    LOG.infof("%s/%s v%d was already moved to production by an earlier try whose answer was lost (%s)",
                            project, model, version, outcome.detail());
                } else if (!outcome.applied()) {
                    checks.add(new GateCheck("registry_gate", false, "the registry's deployment gate refused production: "
                            + outcome.detail() + (outcome.failedChecks().isEmpty() ? "" : " " + outcome.failedChecks())));
                    promote = false;
                    reason = "Kept in staging: " + checks.get(checks.size() - 1).detail();
                }
            }
            if (!promote) {
                StageOutcome staged = registry.changeStage(project, model, version, StageChange.staging(byRun(runId, reason)));
                if (!staged.applied()) {
                    LOG.warnf("The registry refused to stage %s/%s v%d: %s", project, model, version, staged.detail());
                }
            }
            LOG.infof("%s/%s v%d %s", project, model, version, reason);
            return new GateResult(promote, promote ? "production" : "staging", reason, checks, j.championVersion(),
                    j.championF1(), challenger.f1(), minF1, margin);
        }
    }

    /** The checks against production as it is now; {@code checks} is mutable, for the registry's own verdict. */
    private record Judgement(List<GateCheck> checks, boolean promote, boolean alreadyPromoted, String reason,
                             Integer championVersion, Double championF1) {
    }

    private Judgement judge(String project, String model, int version, double f1, EncodedDataset data, int[] testRows) {
        List<GateCheck> checks = new ArrayList<>();
        checks.add(new GateCheck("min_f1", f1 >= minF1,
                fmt("test F1 %.4f %s the quality gate's %.4f", f1, f1 >= minF1 ? "meets" : "is below", minF1)));

        Optional<ProductionVersion> production = registry.production(project, model);
        Integer championVersion = null;
        Double championF1 = null;
        boolean alreadyPromoted = production.isPresent() && production.get().version() == version;
        if (alreadyPromoted) {
            // an earlier try of this decision promoted it and its answer was lost
            checks.add(new GateCheck("beats_production", true, "v" + version + " is already the production version"));
        } else if (production.isEmpty()) {
            checks.add(new GateCheck("beats_production", true, "there is no production version to beat"));
        } else {
            ProductionVersion champion = production.get();
            championVersion = champion.version();
            byte[] artifact = registry.artifact(project, model, champion.version());
            ChampionScorer.Score score = ChampionScorer.score(artifact, champion, data, testRows);
            if (score.problem() != null) {
                checks.add(new GateCheck("beats_production", false,
                        "production v" + champion.version() + " could not be scored on this run's test rows: " + score.problem()));
            } else {
                championF1 = score.metrics().f1();
                double lead = f1 - championF1;
                boolean beats = lead >= margin - 1e-12;
                checks.add(new GateCheck("beats_production", beats, fmt(
                        "test F1 %.4f vs production v%d's %.4f on the same %d held-out rows: a lead of %+.4f, %s margin %.4f",
                        f1, champion.version(), championF1, testRows.length, lead, beats ? "meets the" : "short of the", margin)));
            }
        }
        boolean promote = checks.stream().allMatch(GateCheck::passed);
        String reason = promote
                ? "Promoted: " + checks.stream().map(GateCheck::detail).collect(Collectors.joining("; "))
                : "Kept in staging: " + checks.stream().filter(c -> !c.passed()).map(GateCheck::detail)
                        .collect(Collectors.joining("; "));
        return new Judgement(checks, promote, alreadyPromoted, reason, championVersion, championF1);
    }

    private boolean isProduction(String project, String model, int version) {
        return registry.production(project, model).map(p -> p.version() == version).orElse(false);
    }

    private static String byRun(long runId, String reason) {
        return "Training run " + runId + ": " + reason;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
