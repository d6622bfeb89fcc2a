package dev.keel.drift.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Drift detection, reports, schedules and performance monitoring. */
@ConfigMapping(prefix = "keel.drift")
public interface DriftConfig {

    /**
     * Drift score at or above which severity is "warning" and drift is detected; default 0.2.
     * Set by {@code DRIFT_WARNING_THRESHOLD} (the seed's name) or {@code KEEL_DRIFT_WARNING_THRESHOLD}.
     */
    @WithDefault("0.2")
    double warningThreshold();

    /** Drift score at or above which severity is "critical"; default 0.5 ({@code DRIFT_CRITICAL_THRESHOLD}). */
    @WithDefault("0.5")
    double criticalThreshold();

    /**
     * Share of drifted features at or above which a dataset has drifted (Evidently's rule);
     * default 0.5 ({@code KEEL_DRIFT_DRIFT_SHARE}).
     */
    @WithDefault("0.5")
    double driftShare();

    /** Per-model overrides of methods and thresholds, keyed by model name. */
    Map<String, ModelPolicy> models();

    Monitor monitor();

    Report report();

    Schedule schedule();

    Performance performance();

    /** Overrides for one model: {@code keel.drift.models."heart".numerical-method=psi}. */
    interface ModelPolicy {

        /** Method for every numerical feature (ks, wasserstein, psi, psi_quantile, jensenshannon, chisquare, z). */
        Optional<String> numericalMethod();

        /** Threshold for the numerical method. */
        Optional<Double> numericalThreshold();

        /** Method for every categorical feature. */
        Optional<String> categoricalMethod();

        /** Threshold for the categorical method. */
        Optional<Double> categoricalThreshold();

        /** Per-feature method and threshold: {@code keel.drift.models."heart".features."age".method=ks}. */
        Map<String, FeaturePolicy> features();
    }

    interface FeaturePolicy {

        Optional<String> method();

        Optional<Double> threshold();
    }

    interface Monitor {

        /** Observations kept per model version for /monitor/predict (a sliding window); default 1000. */
        @WithDefault("1000")
        int windowSize();

        /**
         * Observations a window needs before /monitor reports drift; below it scores are still
         * computed but severity is "none". Default 30.
         */
        @WithDefault("30")
        int minObservations();

        /**
         * Least time between two data_drift alerts one replica's window raises for a production version
         * while its severity stays the same or falls; a worse severity raises at once. Default 1 hour,
         * the scheduled job's cadence ({@code KEEL_DRIFT_MONITOR_ALERT_INTERVAL}).
         */
        @WithDefault("1H")
        Duration alertInterval();

        /** How long a loaded baseline is reused before it is read again; default 5 minutes. */
        @WithDefault("5M")
        Duration baselineTtl();

        /**
         * While PostgreSQL cannot be reached, how long after the database last named a model's version
         * (its production version, for a bare name) /monitor keeps answering with that version and its
         * baseline; a name not resolved within this time is a 503. Default 1 hour, as
         * {@code KEEL_AUTH_OUTAGE_GRACE} ({@code KEEL_DRIFT_MONITOR_OUTAGE_GRACE}).
         */
        @WithDefault("1H")
        Duration outageGrace();

        /**
         * How often a /monitor alert that could not be stored (database down) is tried again until it is;
         * default 10 seconds ({@code KEEL_DRIFT_MONITOR_ALERT_RETRY}).
         */
        @WithDefault("10S")
        Duration alertRetry();
    }

    interface Report {

        /** Predictions in a report's window when the request names neither a range nor a count; default 10000. */
        @WithDefault("10000")
        int defaultLastN();

        /**
         * Most reports a list answers, and how many when it names no {@code limit}; a larger limit is a
         * 400. Default 100 ({@code KEEL_DRIFT_REPORT_MAX_LISTED}).
         */
        @WithDefault("100")
        int maxListed();
    }

    interface Schedule {

        /** Whether the scheduled drift and performance jobs run; default true. */
        @WithDefault("true")
        boolean enabled();

        /** Cron of the drift report job (Quartz syntax); default hourly at minute 5: {@code 0 5 * * * ?}. */
        @WithDefault("0 5 * * * ?")
        String cron();

        /** Window each scheduled report covers, ending now; default 1 hour. */
        @WithDefault("1H")
        Duration window();

        /** Fewest predictions in the window for a scheduled report to be made; default 30. */
        @WithDefault("30")
        int minRows();

        /**
         * How long the replica running a round (of the drift reports or of the performance job) holds its
         * claim without renewing it; it renews it every {@link #heartbeat()}, and once a claim has not been
         * renewed for this long another replica takes the round over. Default 2 minutes
         * ({@code KEEL_DRIFT_SCHEDULE_LEASE}).
         */
        @WithDefault("2M")
        Duration lease();

        /**
         * How often the replica running a round renews its claim, and every replica looks for a round
         * left unfinished by one that stopped; well under {@link #lease()}. Default 30 seconds
         * ({@code KEEL_DRIFT_SCHEDULE_HEARTBEAT}).
         */
        @WithDefault("30S")
        Duration heartbeat();
    }

    interface Performance {

        /** Cron of the performance job (Quartz syntax); default every 15 minutes: {@code 0 0/15 * * * ?}. */
        @WithDefault("0 0/15 * * * ?")
        String cron();

        /** Width of a performance bucket (buckets are aligned to the Unix epoch, UTC); default 1 hour. */
        @WithDefault("1H")
        Duration bucket();

        /** How far back the scheduled job recomputes buckets (labels arrive late); default 24 hours. */
        @WithDefault("24H")
        Duration lookback();

        /**
         * A prediction is "low confidence" when its probability lies strictly within this distance of
         * 0.5 ({@code |p - 0.5| < margin}); default 0.1.
         */
        @WithDefault("0.1")
        double lowConfidenceMargin();

        /**
         * Absolute drop of realised F1 or accuracy below the version's recorded test metric that raises a
         * performance_degradation alert; default 0.05.
         */
        @WithDefault("0.05")
        double degradationDrop();

        /**
         * Relative rise of a regression model's realised RMSE above its recorded test RMSE that raises a
         * performance_degradation alert; default 0.2 (20 % worse).
         */
        @WithDefault("0.2")
        double degradationRise();

        /** Labelled predictions the lookback window needs before its metrics can raise an alert; default 50. */
        @WithDefault("50")
        int minLabelled();

        /** How far back (from a computation's end) labelled predictions calibrate the estimate; default 7 days. */
        @WithDefault("7D")
        Duration calibrationWindow();

        /** Equal-width probability bins of the calibration; default 20. */
        @WithDefault("20")
        int calibrationBins();

        /** Labelled predictions the calibration needs, else nothing is estimated; default 100. */
        @WithDefault("100")
        int calibrationMinLabelled();
    }
}
