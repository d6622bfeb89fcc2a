package dev.keel.common.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvBooleansTest {

    @Test
    void wordsAndOneOrZeroAreBooleansAndNothingElseIs() {
        for (String t : new String[] {"true", " YES ", "t", "Y", "1", "1.0", "1e0"}) {
            assertThat(CsvBooleans.bool(t)).as(t).isTrue();
        }
        for (String f : new String[] {"False", "no", "f", "n", "0", "-0.0"}) {
            assertThat(CsvBooleans.bool(f)).as(f).isFalse();
        }
        for (String other : new String[] {"2", "maybe", "", "0x1", "Infinity"}) {
            assertThat(CsvBooleans.bool(other)).as(other).isNull();
        }
        assertThat(CsvBooleans.isWord(" Yes")).isTrue();
        assertThat(CsvBooleans.isWord("1")).isFalse();
    }
}
