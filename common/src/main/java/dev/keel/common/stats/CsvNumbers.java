package dev.keel.common.stats;

/**
 * What a number in a CSV cell looks like, one definition for training's profiling and encoding and
 * for the labels training and the registry's evaluation compare: a sign, ASCII digits, an optional
 * fraction and exponent; no hex, no "Infinity", no "1d", no digits of other scripts.
 */
public final class CsvNumbers {

    private CsvNumbers() {
    }

    /** The finite number {@code cell} holds (trimmed), or NaN when it holds anything else. */
    public static double number(String cell) {
        String t = cell.strip();
        if (!looksNumeric(t)) {
            return Double.NaN;
        }
        double value = Double.parseDouble(t);
        return Double.isInfinite(value) ? Double.NaN : value;
    }

    /** '0' to '9' only: other scripts' digits (Arabic-Indic, fullwidth) are text, which Double.parseDouble cannot read. */
    private static boolean asciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Sign, digits, an optional fraction and exponent: what a CSV number looks like (no hex, no "Infinity", no "1d"). */
    static boolean looksNumeric(String t) {
        int i = 0;
        int n = t.length();
        if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && asciiDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && asciiDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && asciiDigit(t.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }
}
