package dev.keel.training.data;

import dev.keel.common.stats.ClassLabels;
import dev.keel.common.stats.CsvBooleans;
import dev.keel.common.stats.CsvNumbers;
import java.util.Locale;
import java.util.Set;

/**
 * How a CSV cell is read, in one place so that profiling an upload and encoding it for training can
 * never disagree: what counts as missing, as a number, as a boolean, and a label's canonical form.
 */
public final class CellValues {

    /** Cells read as missing, compared trimmed and case-insensitively. "?" is how the UCI heart data marks them. */
    public static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    private CellValues() {
    }

    public static boolean isMissing(String cell) {
        String t = cell.strip();
        return t.isEmpty() || MISSING.contains(t.toLowerCase(Locale.ROOT));
    }

    /** The finite number a cell holds, or NaN when it holds anything else. Call only for non-missing cells. */
    public static double number(String cell) {
        return CsvNumbers.number(cell);
    }

    /** TRUE or FALSE for a boolean word (true/false, yes/no, t/f, y/n) or 1/0; null for anything else. */
    public static Boolean bool(String cell) {
        return CsvBooleans.bool(cell);
    }

    public static boolean isBooleanWord(String cell) {
        return CsvBooleans.isWord(cell);
    }

    /** A category as stored in a feature schema: the trimmed cell. */
    public static String category(String cell) {
        return cell.strip();
    }

    /**
     * A target cell's class name: numbers in their shortest form (so "1", "1.0" and "1e0" are one
     * class), anything else trimmed; the registry reads evaluation labels the same way.
     */
    public static String label(String cell) {
        return ClassLabels.canonical(cell);
    }
}
