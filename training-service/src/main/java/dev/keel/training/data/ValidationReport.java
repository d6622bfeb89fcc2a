package dev.keel.training.data;

import java.util.List;
import java.util.Map;

/**
 * What an upload's validation found that does not stop it being stored. {@code trainable} is false
 * when a training run would be refused (too few rows of a class); the warnings say why in words.
 *
 * @param missingValues missing cells per column, every column listed
 * @param duplicateRows rows identical to an earlier row (all columns, target included)
 * @param constantColumns columns with a single value (or none) across all rows
 * @param classBalance rows per target class
 * @param positiveClass the class the model predicts as 1
 * @param minorityShare the smaller class's share of the rows
 * @param minRowsPerClass the fewest rows of a class a training run needs
 */
public record ValidationReport(
        Map<String, Long> missingValues,
        long duplicateRows,
        List<String> constantColumns,
        Map<String, Long> classBalance,
        String positiveClass,
        double minorityShare,
        int minRowsPerClass,
        boolean tooFewRowsPerClass,
        boolean trainable,
        List<String> warnings) {
}
