package dev.keel.inference.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.inference.service.Prediction;
import dev.keel.inference.service.Predictor;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The answer to one row: the request id is what feedback quotes later; {@code threshold} only for a
 * binary classifier; the explanation only with {@code explain=true} (see {@link Prediction}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictResponse(UUID requestId, String model, int version, double prediction, Double probability,
                              float[] probabilities, Double threshold, Map<String, Double> contributions,
                              List<Map<String, Double>> classContributions) {

    static PredictResponse of(Predictor.Answer answer) {
        Prediction p = answer.predictions().get(0);
        return new PredictResponse(p.requestId(), answer.served().name(), answer.served().version(), p.prediction(),
                p.probability(), p.probabilities(), answer.served().appliedThreshold(), p.contributions(), p.classContributions());
    }
}
