package dev.keel.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<List<String>> read(String csv, List<Long> lines) throws IOException {
        CsvReader reader = new CsvReader(new StringReader(csv));
        List<List<String>> out = new ArrayList<>();
        List<String> record;
        while ((record = reader.next()) != null) {
            out.add(record);
            lines.add(reader.recordLine());
        }
        return out;
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        List<Long> lines = new ArrayList<>();
        List<List<String>> records = read("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n3,,\n", lines);

        assertThat(records).containsExactly(
                List.of("a", "b", "c"),
                List.of("1", "x, y", "say \"hi\""),
                List.of("2", "two\nlines", "z"),
                List.of("3", "", ""));
        assertThat(lines).as("the line each record starts on").containsExactly(1L, 2L, 3L, 5L);
    }

    @Test
    void crlfAndABomAndBlankLinesAreHandled() throws IOException {
        List<Long> lines = new ArrayList<>();
        List<List<String>> records = read("\uFEFFa,b\r\n1,2\r\n\r\n3,4", lines);

        assertThat(records).containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
        assertThat(lines).containsExactly(1L, 2L, 4L);
    }

    @Test
    void anUnclosedQuoteOrTextAfterAClosingQuoteIsAnError() {
        assertThatThrownBy(() -> read("a,b\n1,\"open\n2,3\n", new ArrayList<>()))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("starting on line 2 is never closed");
        assertThatThrownBy(() -> read("a,b\n1,\"x\"y\n", new ArrayList<>()))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("after a closing quote on line 2");
    }

    @Test
    void aStrayQuoteCannotGatherTheRestOfAHugeFileIntoOneField() {
        String rest = "x".repeat(CsvReader.MAX_FIELD_CHARS + 10);
        assertThatThrownBy(() -> read("name,t\n\"Smith, J.,1\n" + rest, new ArrayList<>()))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 2 is longer than 1048576 characters");
    }
}
