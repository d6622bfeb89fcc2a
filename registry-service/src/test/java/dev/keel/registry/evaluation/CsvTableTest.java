package dev.keel.registry.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static CsvTable parse(String text) {
        return CsvTable.parse(text.getBytes(StandardCharsets.UTF_8), "data", 100);
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
        CsvTable table = parse("\uFEFFname,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\nLee,\n\n");
        assertThat(table.header()).containsExactly("name", "note");
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.row(0)).containsExactly("Smith, J", "said \"hi\"\nthen left");
        assertThat(table.row(1)).containsExactly("Lee", "");
    }

    @Test
    void malformedFilesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> parse("a,b\n\"open,1\n")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.getMessage()).isEqualTo("data: a quoted field is not closed before the end of the file"));
        assertThatThrownBy(() -> parse("a,a\n1,2\n")).hasMessage("data: the header names column 'a' twice");
        assertThatThrownBy(() -> parse("a,,c\n1,2,3\n")).hasMessage("data: header column 2 has no name");
        assertThatThrownBy(() -> CsvTable.parse(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}, "data", 10))
                .hasMessage("data: the file is not UTF-8 text");
        assertThatThrownBy(() -> CsvTable.parse("a\n1\n2\n3\n".getBytes(StandardCharsets.UTF_8), "data", 2))
                .hasMessage("data: more than 2 rows");
    }

    @Test
    void aTableIsBoundedByItsCellsWhateverItsShape() {
        // a header of a million columns is refused at once (its names are checked in one pass, not pairwise)
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            wide.append(i == 0 ? "" : ",").append('c').append(i);
        }
        CsvTable header = CsvTable.parse((wide + "\n" + "1,".repeat(999_999) + "1\n").getBytes(StandardCharsets.UTF_8),
                "data", 100);
        assertThat(header.header()).hasSize(1_000_000);
        // rows times columns past the bound: refused before the strings fill the heap
        String row = "0,".repeat(99) + "0\n";
        StringBuilder tall = new StringBuilder(row);
        for (int r = 0; r < CsvTable.MAX_CELLS / 100 + 1; r++) {
            tall.append(row);
        }
        assertThatThrownBy(() -> CsvTable.parse(tall.toString().getBytes(StandardCharsets.UTF_8), "data", 1_000_000))
                .hasMessageContaining("more than 5000000 cells");
        // and one line that alone holds more: refused while it is read
        String wideLine = "a," .repeat((int) CsvTable.MAX_CELLS + 1) + "a\n";
        assertThatThrownBy(() -> CsvTable.parse(wideLine.getBytes(StandardCharsets.UTF_8), "data", 10))
                .hasMessageContaining("more than 5000000 cells");
    }
}
