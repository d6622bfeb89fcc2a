package dev.keel.common.retrain;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Optional;

/**
 * A model's retraining cron, in UTC: Quartz syntax (seconds first, as Quarkus' own scheduler) or the
 * classic five fields. The registry refuses one that does not parse; training evaluates it.
 */
public final class RetrainCron {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private RetrainCron() {
    }

    /** The parsed cron; empty for null, blank or invalid. */
    public static Optional<Cron> parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return Optional.empty();
        }
        String trimmed = expression.strip();
        CronParser parser = trimmed.split("\\s+").length == 5 ? UNIX : QUARTZ;
        try {
            Cron cron = parser.parse(trimmed);
            cron.validate();
            return Optional.of(cron);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
