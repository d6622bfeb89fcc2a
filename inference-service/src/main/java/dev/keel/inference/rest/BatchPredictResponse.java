package dev.keel.inference.rest;

import dev.keel.inference.service.Prediction;
import dev.keel.inference.service.Predictor;
import java.util.List;

/** The answer to a batch: one prediction per row, in the rows' order, all from one version. */
public record BatchPredictResponse(String model, int version, double threshold, List<Prediction> predictions) {

    static BatchPredictResponse of(Predictor.Answer answer) {
        return new BatchPredictResponse(answer.served().name(), answer.served().version(),
                answer.served().decisionThreshold(), answer.predictions());
    }
}
