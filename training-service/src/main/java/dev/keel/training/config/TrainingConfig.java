package dev.keel.training.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How the training service trains, gates and schedules; every key is {@code keel.training.*} (env {@code KEEL_TRAINING_*}). */
@ConfigMapping(prefix = "keel.training")
public interface TrainingConfig {

    /**
     * Runs trained at the same time (env KEEL_TRAINING_WORKERS); default 1. Each run already uses
     * {@link #xgboostThreads()} cores, so more workers only pay on machines with cores to spare.
     */
    @WithDefault("1")
    int workers();

    /** Runs that may wait for a worker (env KEEL_TRAINING_QUEUE_CAPACITY); default 16. Beyond it, new runs get 503. */
    @WithDefault("16")
    int queueCapacity();

    /** Threads XGBoost uses per booster, its {@code nthread} (env KEEL_TRAINING_XGBOOST_THREADS); default 2. */
    @WithDefault("2")
    int xgboostThreads();

    /**
     * This replica's name in run records and job leases (env KEEL_TRAINING_INSTANCE_ID); default the
     * host name, which in Kubernetes is the pod name.
     */
    Optional<String> instanceId();

    /** How often this replica marks its queued and running runs alive (env KEEL_TRAINING_HEARTBEAT_INTERVAL); default 15s. */
    @WithDefault("15s")
    Duration heartbeatInterval();

    /**
     * A queued or running run whose replica has not marked it alive for this long is failed as
     * interrupted (env KEEL_TRAINING_STALE_AFTER); default 2m. Keep it well above the heartbeat interval.
     */
    @WithDefault("2m")
    Duration staleAfter();

    /**
     * How long a training worker waits for an unreachable database before it gives up a write its
     * run cannot do without (env KEEL_TRAINING_DATABASE_PATIENCE); default 2m. Meanwhile it goes
     * on training and skips progress writes.
     */
    @WithDefault("2m")
    Duration databasePatience();

    /**
     * How long an Idempotency-Key names the run it started (env KEEL_TRAINING_IDEMPOTENCY_KEY_TTL);
     * default 24h, as Stripe keeps its keys. After it, the same key starts a new run.
     */
    @WithDefault("24h")
    Duration idempotencyKeyTtl();

    Search search();

    Gate gate();

    Datasets datasets();

    Schedule schedule();

    /** The hyper-parameter search every run gets unless its request says otherwise. */
    interface Search {

        /** {@code grid} or {@code random} (env KEEL_TRAINING_SEARCH_STRATEGY); default grid. */
        @WithDefault("grid")
        String strategy();

        /**
         * Most candidates a run evaluates, spread evenly over the families (env KEEL_TRAINING_SEARCH_BUDGET);
         * default 32, the whole default grid.
         */
        @WithDefault("32")
        int budget();

        /** Folds of the stratified cross-validation (env KEEL_TRAINING_SEARCH_FOLDS); default 5. */
        @WithDefault("5")
        int folds();

        /** Share of the rows held out, stratified, for the final test metrics (env KEEL_TRAINING_SEARCH_TEST_FRACTION); default 0.2. */
        @WithDefault("0.2")
        double testFraction();

        /** Seed of splits, folds, random search and XGBoost (env KEEL_TRAINING_SEARCH_SEED); default 42. */
        @WithDefault("42")
        long seed();

        /**
         * Whether the decision threshold is tuned to the best F1 on the chosen candidate's
         * out-of-fold predictions (env KEEL_TRAINING_SEARCH_TUNE_THRESHOLD); default true. Otherwise 0.5.
         */
        @WithDefault("true")
        boolean tuneThreshold();

        /**
         * Factor applied to every family's number of boosting rounds and forest trees
         * (env KEEL_TRAINING_SEARCH_ROUNDS_SCALE); default 1.0. Tests use less to stay fast.
         */
        @WithDefault("1.0")
        double roundsScale();
    }

    /** What a new version must achieve before it may replace production. */
    interface Gate {

        /** Least test F1 (env KEEL_TRAINING_GATE_MIN_F1); default 0.75. */
        @WithDefault("0.75")
        double minF1();

        /**
         * How much higher the challenger's F1 must be than the production version's, both measured on
         * the challenger's held-out test rows (env KEEL_TRAINING_GATE_CHAMPION_MARGIN); default 0.01.
         */
        @WithDefault("0.01")
        double championMargin();
    }

    interface Datasets {

        /** Most distinct values a text column may have to be used as a categorical feature (env KEEL_TRAINING_DATASETS_MAX_CATEGORIES); default 1000. */
        @WithDefault("1000")
        int maxCategories();

        /**
         * Fewest rows of each class for a dataset to be trainable (env KEEL_TRAINING_DATASETS_MIN_ROWS_PER_CLASS);
         * default 10: enough for a stratified test split and 5 folds with each class in every fold.
         */
        @WithDefault("10")
        int minRowsPerClass();
    }

    /** Weekly retraining. */
    interface Schedule {

        /** Whether this replica evaluates retraining schedules (env KEEL_TRAINING_SCHEDULE_ENABLED); default true. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Cron of models that set none of their own (env KEEL_TRAINING_SCHEDULE_DEFAULT_CRON), Quartz
         * syntax (seconds first) or classic 5-field, in UTC; default {@code 0 0 2 ? * SUN}, Sundays 02:00 UTC.
         */
        @WithDefault("0 0 2 ? * SUN")
        String defaultCron();

        /** How often schedules are checked (env KEEL_TRAINING_SCHEDULE_CHECK_EVERY); default 60s. */
        @WithDefault("60s")
        Duration checkEvery();

        /** How long a replica holds a job's lease while it starts the job (env KEEL_TRAINING_SCHEDULE_LEASE_DURATION); default 10m. */
        @WithDefault("10m")
        Duration leaseDuration();

        /**
         * Labelled predictions a model needs before {@code auto} retrains it from its feedback rather
         * than its latest dataset (env KEEL_TRAINING_SCHEDULE_MIN_FEEDBACK_ROWS); default 200.
         */
        @WithDefault("200")
        int minFeedbackRows();

        /**
         * Per-model settings keyed {@code <project>/<model>}, e.g.
         * {@code keel.training.schedule.models."heart/heart-disease".cron=0 0 3 ? * MON}.
         */
        Map<String, ModelSchedule> models();
    }

    interface ModelSchedule {

        /** This model's cron; wins over the registry's {@code retrain_cron} and the default. */
        Optional<String> cron();

        /**
         * Where retraining takes its data ({@link dev.keel.common.retrain.RetrainSource}); wins over
         * the registry's {@code retrain_source} and the default, {@code auto}.
         */
        Optional<String> source();
    }
}
