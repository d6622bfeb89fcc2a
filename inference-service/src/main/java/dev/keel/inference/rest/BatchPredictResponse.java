package dev.keel.inference.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.inference.service.Prediction;
import dev.keel.inference.service.Predictor;
import java.util.List;

/**
 * The answer to a batch: one prediction per row, in the rows' order, all from one version;
 * {@code threshold} only for a binary classifier.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchPredictResponse(String model, int version, Double threshold, List<Prediction> predictions) {

    static BatchPredictResponse of(Predictor.Answer answer) {
        return new BatchPredictResponse(answer.served().name(), answer.served().version(),
                answer.served().appliedThreshold(), answer.predictions());
    }
}
