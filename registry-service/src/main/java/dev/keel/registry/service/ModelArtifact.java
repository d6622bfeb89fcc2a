package dev.keel.registry.service;

import dev.keel.common.model.ModelFormatException;
import dev.keel.common.model.Objective;
import dev.keel.common.model.XgbModel;
import dev.keel.common.model.XgbUbjson;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.features.FeatureSpec;
import dev.keel.common.features.FeatureType;
import dev.keel.common.text.Sha256;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * An uploaded artifact that the pure-Java runtime has parsed, with its checksum. Parsing it at
 * upload is what lets the registry refuse a corrupt or non-XGBoost file with a reason, instead of
 * finding out when inference tries to load it.
 */
public record ModelArtifact(byte[] bytes, String sha256, XgbModel model) {

    public static final String FORMAT = "xgboost-json";

    /**
     * 422 naming {@code field} and what is wrong when the bytes are not a model the runtime can serve.
     * A model in XGBoost's UBJSON format is kept as the same document in its JSON format, so every
     * reader of the registry's artifacts (downloads included) sees one format.
     */
    public static ModelArtifact parse(byte[] uploaded, String field) {
        if (uploaded == null || uploaded.length == 0) {
            throw ProblemException.unprocessable(field, field + ": the file is empty");
        }
        byte[] bytes;
        XgbModel model;
        try {
            bytes = XgbUbjson.looksLike(uploaded) ? XgbUbjson.toJson(uploaded) : uploaded;
            model = XgbModel.load(bytes);
        } catch (ModelFormatException e) {
            throw ProblemException.unprocessable(field, field + ": not a usable XGBoost model: " + e.getMessage());
        }
        // inference answers one prediction per row, and drift, evaluation and the agent score that one value
        if (model.objective().task() != Objective.Task.MULTICLASS && model.outputWidth() != 1) {
            throw ProblemException.unprocessable(field, field + ": the model predicts " + model.outputWidth()
                    + " targets per row (num_target); Keel serves single-target models (binary, multi-class, regression)");
        }
        return new ModelArtifact(bytes, sha256Hex(bytes), model);
    }

    /** Whether the model file names its features, rather than XGBoost's defaults {@code f0, f1, ...}. */
    public boolean hasFeatureNames() {
        List<String> names = model.featureNames();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals("f" + i)) {
                return true;
            }
        }
        return false;
    }

    /** The feature schema the model file itself describes: its names (or f0..fN-1) and types. */
    public List<FeatureSpec> featureSchemaFromFile() {
        List<FeatureSpec> schema = new ArrayList<>();
        for (int i = 0; i < model.numFeatures(); i++) {
            schema.add(new FeatureSpec(model.featureNames().get(i), featureType(model.featureTypes().get(i)), null));
        }
        return schema;
    }

    /**
     * The type XGBoost recorded for a feature: {@code c} is categorical, {@code i} (indicator)
     * boolean; {@code q}, {@code int} and {@code float} are numeric.
     */
    public static FeatureType featureType(String xgboostType) {
        return switch (xgboostType) {
            case "c" -> FeatureType.CATEGORICAL;
            case "i" -> FeatureType.BOOLEAN;
            default -> FeatureType.NUMERIC;
        };
    }

    public static String sha256Hex(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    public static String sha256Base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
}
