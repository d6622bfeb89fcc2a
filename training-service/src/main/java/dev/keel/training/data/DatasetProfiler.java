package dev.keel.training.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates and profiles a CSV in one streaming pass: column types, missing values, duplicates,
 * constant columns and class balance. Memory does not grow with the file except for one 8-byte
 * hash per distinct row (for duplicates) and the distinct values of text columns, which are capped.
 *
 * <p>A file nothing can be trained on is rejected with a {@link DatasetRejection} naming the column
 * and line: empty, ragged rows, no such target, a target with one class (or more than two, as
 * training is binary), a missing target value, text in an otherwise numeric column, or a text
 * column with more distinct values than a categorical feature may have.
 */
public final class DatasetProfiler {

    /**
     * A column is numeric with garbage, not categorical, when at least this share of its present
     * values are numbers: "12, 15, abc, 11" is a broken number column, "red, 3, blue" is categories.
     */
    static final double NUMERIC_SHARE_FOR_GARBAGE = 0.9;
    private static final int MAX_TARGET_CLASSES = 2;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final String requestedTarget;
    private final String requestedPositiveClass;
    private final int maxCategories;
    private final int minRowsPerClass;

    /**
     * @param targetColumn the target's name, or null for the last column
     * @param positiveClass the class to predict as 1, or null to choose it (see {@link #positiveClass})
     */
    public DatasetProfiler(String targetColumn, String positiveClass, int maxCategories, int minRowsPerClass) {
        this.requestedTarget = targetColumn == null || targetColumn.isBlank() ? null : targetColumn.strip();
        this.requestedPositiveClass = positiveClass == null || positiveClass.isBlank() ? null : positiveClass.strip();
        this.maxCategories = maxCategories;
        this.minRowsPerClass = minRowsPerClass;
    }

    public DatasetProfile profile(Reader csv) throws IOException {
        CsvReader reader = new CsvReader(csv);
        List<String> header;
        try {
            header = reader.next();
        } catch (CsvFormatException e) {
            throw new DatasetRejection(null, "The header cannot be read: " + e.getMessage());
        }
        if (header == null) {
            throw new DatasetRejection(null, "The file is empty: it needs a header row and at least one data row");
        }
        List<String> names = header.stream().map(String::strip).toList();
        checkHeader(names);
        int target = targetIndex(names);

        Column[] columns = new Column[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column(names.get(i), maxCategories);
        }
        Map<String, Long> classes = new LinkedHashMap<>();
        LongHashSet seen = new LongHashSet();
        long rows = 0;
        long duplicates = 0;
        List<String> record;
        while (true) {
            try {
                record = reader.next();
            } catch (CsvFormatException e) {
                throw new DatasetRejection(null, "Line " + e.line() + " cannot be read: " + e.getMessage());
            }
            if (record == null) {
                break;
            }
            long line = reader.recordLine();
            if (record.size() != names.size()) {
                throw new DatasetRejection(null, "Line " + line + " has " + record.size() + " fields but the header has "
                        + names.size() + "; every row needs one value per column (quote values that contain commas)");
            }
            rows++;
            long hash = FNV_OFFSET;
            for (int i = 0; i < columns.length; i++) {
                String cell = record.get(i);
                hash = fnv(hash, cell.strip());
                if (i == target) {
                    countClass(classes, names.get(i), cell, line);
                }
                columns[i].accept(cell, line);
            }
            if (!seen.add(hash)) {
                duplicates++;
            }
        }
        if (rows == 0) {
            throw new DatasetRejection(null, "The file has a header but no data rows");
        }

        List<ColumnSpec> specs = new ArrayList<>(columns.length);
        for (int i = 0; i < columns.length; i++) {
            specs.add(columns[i].resolve(i == target));
        }
        String positive = positiveClass(names.get(target), classes);
        return new DatasetProfile(specs, names.get(target), rows,
                report(columns, specs, classes, positive, rows, duplicates, names.get(target)));
    }

    private void checkHeader(List<String> names) {
        Set<String> unique = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isEmpty()) {
                throw new DatasetRejection(null, "Column " + (i + 1) + " of the header (line 1) has no name");
            }
            if (!unique.add(name)) {
                throw new DatasetRejection(name, "The header (line 1) names the column '" + name + "' twice");
            }
        }
        if (names.size() < 2) {
            throw new DatasetRejection(null, "The header (line 1) has " + names.size()
                    + " column; a dataset needs at least one feature column and a target column");
        }
    }

    private int targetIndex(List<String> names) {
        if (requestedTarget == null) {
            return names.size() - 1;
        }
        int index = names.indexOf(requestedTarget);
        if (index < 0) {
            throw new DatasetRejection("target", "There is no target column '" + requestedTarget
                    + "' in the header (line 1); the columns are " + names);
        }
        return index;
    }

    private static void countClass(Map<String, Long> classes, String column, String cell, long line) {
        if (CellValues.isMissing(cell)) {
            throw new DatasetRejection(column, "The target column '" + column + "' has no value on line " + line
                    + "; every training row needs its label");
        }
        String label = CellValues.label(cell);
        if (!classes.containsKey(label) && classes.size() == MAX_TARGET_CLASSES) {
            throw new DatasetRejection(column, "The target column '" + column + "' has a third class '" + abbreviate(label)
                    + "' on line " + line + " (besides " + classes.keySet() + "); training is binary classification");
        }
        classes.merge(label, 1L, Long::sum);
    }

    /**
     * The requested class if given; otherwise, for numbers the larger (1 of 0/1), for boolean words
     * the true one, and for other text the last in alphabetical order ("present" of absent/present).
     */
    private String positiveClass(String column, Map<String, Long> classes) {
        if (classes.size() < MAX_TARGET_CLASSES) {
            throw new DatasetRejection(column, "The target column '" + column + "' has only one class "
                    + classes.keySet() + "; a classifier needs examples of both classes");
        }
        List<String> labels = new ArrayList<>(classes.keySet());
        if (requestedPositiveClass != null) {
            String wanted = CellValues.label(requestedPositiveClass);
            if (!labels.contains(wanted)) {
                throw new DatasetRejection("positive_class", "The positive class '" + requestedPositiveClass
                        + "' is not one of the target's classes " + labels);
            }
            return wanted;
        }
        double a = CellValues.number(labels.get(0));
        double b = CellValues.number(labels.get(1));
        if (!Double.isNaN(a) && !Double.isNaN(b)) {
            return a > b ? labels.get(0) : labels.get(1);
        }
        if (CellValues.isBooleanWord(labels.get(0)) && CellValues.isBooleanWord(labels.get(1))) {
            return Boolean.TRUE.equals(CellValues.bool(labels.get(0))) ? labels.get(0) : labels.get(1);
        }
        return labels.get(0).compareTo(labels.get(1)) > 0 ? labels.get(0) : labels.get(1);
    }

    private ValidationReport report(Column[] columns, List<ColumnSpec> specs, Map<String, Long> classes, String positive,
                                    long rows, long duplicates, String target) {
        Map<String, Long> missing = new LinkedHashMap<>();
        List<String> constant = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            Column c = columns[i];
            missing.put(c.name, c.missing);
            if (c.isConstant() && !c.name.equals(target)) {
                constant.add(c.name);
                warnings.add("Column '" + c.name + "' is constant" + (c.present() == 0 ? " (every value is missing)" : "")
                        + "; it cannot help a model");
            }
            if (c.missing > 0 && c.missing * 2 >= rows) {
                warnings.add("Column '" + c.name + "' is missing in " + c.missing + " of " + rows + " rows");
            }
            if (specs.get(i).categories() != null && specs.get(i).categories().size() > 50) {
                warnings.add("Column '" + c.name + "' has " + specs.get(i).categories().size()
                        + " categories; ordinal codes of that many rarely generalise");
            }
        }
        if (duplicates > 0) {
            warnings.add(duplicates + " rows duplicate an earlier row");
        }
        Map<String, Long> balance = new TreeMap<>(classes);
        long minority = balance.values().stream().mapToLong(Long::longValue).min().orElse(0);
        double minorityShare = minority / (double) rows;
        boolean tooFew = minority < minRowsPerClass;
        if (tooFew) {
            String smallest = balance.entrySet().stream().filter(e -> e.getValue() == minority).findFirst()
                    .map(Map.Entry::getKey).orElseThrow();
            warnings.add("Class '" + smallest + "' has only " + minority + " rows; training needs at least "
                    + minRowsPerClass + " of each class");
        } else if (minorityShare < 0.1) {
            warnings.add(String.format(Locale.ROOT, "Classes are imbalanced: the minority class is %.1f%% of the rows",
                    minorityShare * 100));
        }
        return new ValidationReport(missing, duplicates, constant, balance, positive, minorityShare, minRowsPerClass,
                tooFew, !tooFew, warnings);
    }

    /**
     * FNV-1a over a cell's chars and a separator: 64 bits, so among a million distinct rows the chance
     * that two share a hash (and one is miscounted as a duplicate) is about one in 30 million.
     */
    private static long fnv(long hash, String cell) {
        for (int i = 0; i < cell.length(); i++) {
            hash = (hash ^ cell.charAt(i)) * FNV_PRIME;
        }
        return (hash ^ 0x1F) * FNV_PRIME;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }

    /** One column's running profile. */
    private static final class Column {

        final String name;
        final int maxCategories;
        long missing;
        long numbers;
        long texts;
        long booleanWords;
        boolean onlyZeroOne = true;
        long firstTextLine;
        String firstText;
        String firstValue;
        boolean varies;
        /** Distinct present values as categories; null once there are more than the cap. */
        Map<String, Boolean> distinct = new HashMap<>();
        long firstOverflowLine;

        Column(String name, int maxCategories) {
            this.name = name;
            this.maxCategories = maxCategories;
        }

        long present() {
            return numbers + texts;
        }

        boolean isConstant() {
            return !varies;
        }

        void accept(String cell, long line) {
            if (CellValues.isMissing(cell)) {
                missing++;
                return;
            }
            String value = CellValues.category(cell);
            double number = CellValues.number(value);
            if (Double.isNaN(number)) {
                texts++;
                if (firstText == null) {
                    firstText = value;
                    firstTextLine = line;
                }
                if (CellValues.isBooleanWord(value)) {
                    booleanWords++;
                }
            } else {
                if (Math.abs(number) > Float.MAX_VALUE) {
                    // XGBoost trains on 32-bit floats: this would be infinite there, and every run would fail
                    throw new DatasetRejection(name, "Column '" + name + "' has " + abbreviate(value) + " on line " + line
                            + ", beyond the range of the 32-bit floats XGBoost trains on (about ±3.4e38)");
                }
                numbers++;
                if (number != 0 && number != 1) {
                    onlyZeroOne = false;
                }
            }
            String canonical = Double.isNaN(number) ? value : CellValues.label(value);
            if (firstValue == null) {
                firstValue = canonical;
            } else if (!varies && !firstValue.equals(canonical)) {
                varies = true;
            }
            if (distinct != null) {
                distinct.putIfAbsent(value, Boolean.TRUE);
                if (distinct.size() > maxCategories) {
                    distinct = null;
                    firstOverflowLine = line;
                }
            }
        }

        ColumnSpec resolve(boolean isTarget) {
            if (texts == 0) {
                return onlyZeroOne && numbers > 0 ? ColumnSpec.bool(name) : ColumnSpec.numeric(name);
            }
            if (booleanWords == texts && numbers == 0) {
                return ColumnSpec.bool(name);
            }
            if (isTarget) {
                // the target's classes are counted apart; its type only matters for display
                return ColumnSpec.categorical(name, null);
            }
            if (numbers >= NUMERIC_SHARE_FOR_GARBAGE * present()) {
                throw new DatasetRejection(name, "Column '" + name + "' holds numbers, but line " + firstTextLine
                        + " has '" + abbreviate(firstText) + "'" + (texts > 1 ? " (and " + (texts - 1) + " more non-numeric values)" : "")
                        + "; fix or blank those cells (blank, NA or ? mean missing)");
            }
            if (distinct == null) {
                throw new DatasetRejection(name, "Column '" + name + "' has more than " + maxCategories
                        + " distinct text values (the " + (maxCategories + 1) + "th on line " + firstOverflowLine
                        + "); it looks like an identifier or free text, not a category: drop it or encode it first");
            }
            return ColumnSpec.categorical(name, distinct.keySet().stream().sorted().toList());
        }
    }
}
