package dev.keel.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the agent diagnoses, what it may do alone, and how it guards itself. */
@ConfigMapping(prefix = "keel.agent")
public interface AgentConfig {

    /**
     * Global dry-run ({@code KEEL_AGENT_DRY_RUN}): every action is recorded with what it would do and
     * nothing is done. Default false. A signal may ask for dry-run on its own.
     */
    @WithDefault("false")
    boolean dryRun();

    /** How long a medium- or high-risk proposal waits for a human before it expires; default 24 hours. */
    @WithDefault("24H")
    Duration approvalTtl();

    /**
     * How long the same action on the same model is not repeated ({@code KEEL_AGENT_COOLDOWN}); a
     * repeat inside the window is recorded as skipped. send_alert is exempt: the alert's
     * deduplication is its cooldown. Default 1 hour.
     */
    @WithDefault("1H")
    Duration cooldown();

    /**
     * How long an action may stay running before the recovery job calls it interrupted
     * ({@code KEEL_AGENT_INTERRUPTED_AFTER}): its replica stopped while it ran, so its outcome was
     * never recorded. Longer than any action's calls with their retries; default 30 minutes.
     */
    @WithDefault("30M")
    Duration interruptedAfter();

    CircuitBreaker circuitBreaker();

    Schedule schedule();

    Check check();

    Thresholds thresholds();

    interface CircuitBreaker {

        /** Consecutive failed executions in a project that stop the agent acting there; default 3. */
        @WithDefault("3")
        int failureThreshold();

        /** How long the agent stays stopped after the last of those failures; default 15 minutes. */
        @WithDefault("15M")
        Duration openFor();
    }

    interface Schedule {

        /** Whether the periodic check and the expiry of proposals run on their own; default true. */
        @WithDefault("true")
        boolean enabled();

        /** Interval of the periodic check ({@code KEEL_AGENT_SCHEDULE_CHECK_INTERVAL}); default 5m. */
        @WithDefault("5m")
        String checkInterval();

        /** Interval of the job that expires unanswered proposals; default 1m. */
        @WithDefault("1m")
        String expiryInterval();

        /**
         * How long the periodic check's lease in {@code job_leases} lasts unless renewed
         * ({@code KEEL_AGENT_SCHEDULE_CHECK_LEASE}); a running check renews it every third of this, so a
         * replica killed mid-check keeps the others' checks, and checks on demand, out at most this long;
         * at least 3 seconds (a shorter one stops the start); default 2 minutes.
         */
        @WithDefault("2M")
        Duration checkLease();
    }

    /** What the periodic check looks at in the shared schema. */
    interface Check {

        /** The window of recent traffic each check covers, ending now; default 1 hour. */
        @WithDefault("1H")
        Duration window();

        /** The window before it that the predicted-positive rate is compared with; default 24 hours. */
        @WithDefault("24H")
        Duration referenceWindow();

        /** Fewest predictions (or labelled predictions) a rule needs before it may fire; default 30. */
        @WithDefault("30")
        int minSamples();

        /** Most logged requests data validation reads per check; default 5000. */
        @WithDefault("5000")
        int maxValidatedRows();
    }

    /** The rules' thresholds; each issue is warning at the first and critical at the second. */
    interface Thresholds {

        /** Drop of F1 or accuracy below the production version's test metrics: warning; default 0.05. */
        @WithDefault("0.05")
        double performanceWarningDrop();

        /** ... and critical; default 0.15. */
        @WithDefault("0.15")
        double performanceCriticalDrop();

        /** Relative rise of a regression model's RMSE above its recorded test RMSE: warning; default 0.2. */
        @WithDefault("0.2")
        double performanceWarningRise();

        /** ... and critical; default 0.5. */
        @WithDefault("0.5")
        double performanceCriticalRise();

        /** Absolute change of the predicted-positive rate against the reference window: warning; default 0.15. */
        @WithDefault("0.15")
        double anomalyWarningShift();

        /** ... and critical; default 0.30. */
        @WithDefault("0.30")
        double anomalyCriticalShift();

        /** A probability within this distance of the decision threshold is low confidence; default 0.1. */
        @WithDefault("0.1")
        double lowConfidenceMargin();

        /** Share of low-confidence predictions that is a warning; default 0.30. */
        @WithDefault("0.30")
        double lowConfidenceWarningShare();

        /** ... and critical; default 0.50. */
        @WithDefault("0.50")
        double lowConfidenceCriticalShare();

        /** Share of logged requests with a missing, invalid or unseen-category value: warning; default 0.05. */
        @WithDefault("0.05")
        double dataQualityWarningRate();

        /** ... and critical; default 0.20. */
        @WithDefault("0.20")
        double dataQualityCriticalRate();
    }
}
