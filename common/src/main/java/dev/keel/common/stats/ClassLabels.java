package dev.keel.common.stats;

/**
 * One spelling per class label, so the label a dataset's target cell holds is matched the same way
 * where a model is trained and where its version is evaluated: surrounding space dropped, numbers
 * in one form ({@code 1}, {@code 1.0} and {@code 1e0} are {@code "1"}), text as written (case
 * counts: {@code Yes} and {@code yes} are two classes).
 */
public final class ClassLabels {

    private ClassLabels() {
    }

    public static String canonical(String cell) {
        String t = cell.strip();
        double n = CsvNumbers.number(t);
        if (Double.isNaN(n)) {
            return t;
        }
        return n == Math.rint(n) && Math.abs(n) < 1e15 ? Long.toString((long) n) : Double.toString(n);
    }
}
