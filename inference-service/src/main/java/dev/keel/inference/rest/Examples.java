package dev.keel.inference.rest;

/** JSON examples shown in the OpenAPI document. */
final class Examples {

    private Examples() {
    }

    static final String PREDICT_REQUEST = """
            {"model": "heart-disease",
             "features": {"age": 54, "sex": 1, "cp": 0, "trestbps": 130, "chol": 246, "fbs": 0, "restecg": 1,
                          "thalach": 150, "exang": 0, "oldpeak": 1.0, "slope": 1, "ca": 0, "thal": 2}}
            """;

    static final String PREDICT_RESPONSE = """
            {"request_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "model": "heart-disease", "version": 3,
             "prediction": 1.0, "probability": 0.8312, "threshold": 0.5}
            """;

    static final String BATCH_REQUEST = """
            {"model": "heart-disease",
             "instances": [{"age": 54, "sex": 1, "cp": 0, "trestbps": 130, "chol": 246, "fbs": 0, "restecg": 1,
                            "thalach": 150, "exang": 0, "oldpeak": 1.0, "slope": 1, "ca": 0, "thal": 2},
                           {"age": 61, "sex": 0, "cp": 2, "trestbps": 140, "chol": 290, "fbs": 1, "restecg": 0,
                            "thalach": 120, "exang": 1, "oldpeak": 2.3, "slope": 2, "ca": 1, "thal": 3}]}
            """;

    static final String INVALID_FEATURE = """
            {"title": "Unprocessable content", "status": 422,
             "detail": "features.agee: unknown feature 'agee'; the model expects [age, sex, cp, ...]",
             "field": "features.agee"}
            """;

    static final String FEEDBACK_REQUEST = """
            {"items": [{"request_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "label": 1}]}
            """;
}
