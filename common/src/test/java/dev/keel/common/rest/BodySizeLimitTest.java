package dev.keel.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which paths answer a body over the limit in the Open Inference Protocol's shape (the 413 itself: ServiceContract). */
class BodySizeLimitTest {

    @Test
    void aPrefixCoversItselfAndWhatIsBelowItNotANameThatMerelyStartsWithIt() {
        for (String prefix : new String[] {"/v2", "/v2/"}) {
            assertThat(BodySizeLimit.under("/v2", prefix)).isTrue();
            assertThat(BodySizeLimit.under("/v2/models/heart/infer", prefix)).isTrue();
            assertThat(BodySizeLimit.under("/v2x/models", prefix)).isFalse();
            assertThat(BodySizeLimit.under("/api/v1/predict", prefix)).isFalse();
        }
    }
}
