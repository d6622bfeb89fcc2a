package dev.keel.common.stats;

import java.util.Locale;
import java.util.Set;

/**
 * What a boolean looks like as text, one definition for training's reading of a CSV and drift's
 * reading of live values against the baseline training made: true/false, yes/no, t/f, y/n in any
 * case, or a number equal to 1 or 0.
 */
public final class CsvBooleans {

    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "t", "y");
    private static final Set<String> FALSE_WORDS = Set.of("false", "no", "f", "n");

    private CsvBooleans() {
    }

    /** TRUE or FALSE for a boolean word or 1/0 (trimmed, any case); null for anything else. */
    public static Boolean bool(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(t)) {
            return Boolean.TRUE;
        }
        if (FALSE_WORDS.contains(t)) {
            return Boolean.FALSE;
        }
        double n = CsvNumbers.number(t);
        return n == 1 ? Boolean.TRUE : n == 0 ? Boolean.FALSE : null;
    }

    /** Whether {@code text} is a boolean word (not a number). */
    public static boolean isWord(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return TRUE_WORDS.contains(t) || FALSE_WORDS.contains(t);
    }
}
