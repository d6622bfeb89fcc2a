package dev.keel.drift.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.drift.stats.CurrentWindow;
import dev.keel.drift.stats.DriftCalculator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An uploaded CSV (header row, comma-separated, RFC 4180 quotes) as the current window. It is
 * read from its file on each scan, row by row, so its size does not bound memory. Columns that are
 * not baseline features are ignored; empty cells are missing values.
 */
public final class CsvCurrentData implements DriftCalculator.CurrentData {

    private final Path file;

    public CsvCurrentData(Path file) {
        this.file = file;
    }

    /** The header's column names. */
    public List<String> header() {
        try (BufferedReader reader = open()) {
            String line = reader.readLine();
            if (line == null) {
                throw ProblemException.unprocessable("csv", "The CSV is empty; it needs a header row of feature names");
            }
            return split(line);
        } catch (CharacterCodingException e) {
            throw notUtf8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void scan(CurrentWindow window) {
        try (BufferedReader reader = open()) {
            List<String> header = split(reader.readLine());
            int[] feature = new int[header.size()];
            java.util.Set<Integer> present = new java.util.HashSet<>();
            for (int i = 0; i < header.size(); i++) {
                feature[i] = window.featureIndex(header.get(i).strip());
                present.add(feature[i]);
            }
            // numerical features the file lacks are missing in every row
            int[] absent = java.util.stream.IntStream.range(0, window.featureCount())
                    .filter(f -> window.isNumerical(f) && !present.contains(f)).toArray();
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = split(line);
                if (cells.size() != header.size()) {
                    throw ProblemException.unprocessable("csv", "Line " + lineNumber + " has " + cells.size()
                            + " cells; the header has " + header.size());
                }
                for (int f : absent) {
                    window.value(f, Double.NaN);
                }
                feedRow(window, feature, cells);
            }
        } catch (CharacterCodingException e) {
            throw notUtf8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void feedRow(CurrentWindow window, int[] feature, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            int f = feature[i];
            if (f < 0) {
                continue;
            }
            String cell = cells.get(i).strip();
            if (window.isNumerical(f)) {
                double value = Double.NaN;
                if (!cell.isEmpty()) {
                    try {
                        value = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        // not a number where the model expects one: a missing value for drift
                    }
                }
                window.value(f, value);
            } else {
                window.category(f, cell.isEmpty() ? null : cell);
            }
        }
        window.endRow();
    }

    /**
     * The file as UTF-8, refusing other bytes: replacing them would merge categories (é and è both
     * U+FFFD), and training and the registry refuse the same file.
     */
    private BufferedReader open() throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    private static ProblemException notUtf8() {
        return ProblemException.unprocessable("csv", "csv: the file is not UTF-8 text; save it as UTF-8 and upload it again");
    }

    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
