package dev.keel.training.rest;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.training.data.HeartDiseaseGenerator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Synthetic heart-disease rows on demand, for demos and tests: training data, or traffic for the
 * inference service with drift on purpose.
 */
@Path("/api/v1/synthetic/heart-disease")
@Tag(name = "Synthetic data")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unauthorized", value = Examples.UNAUTHORIZED)))
public class SyntheticDataResource {

    static final int MAX_CSV_ROWS = 2_000_000;
    static final int MAX_JSON_ROWS = 10_000;

    @GET
    @Produces({DatasetResource.CSV, MediaType.APPLICATION_JSON})
    @Operation(summary = "Generate heart-disease rows",
            description = "The 13 features of seed 002's schema (age, sex, cp, trestbps, chol, fbs, restecg, thalach, "
                    + "exang, oldpeak, slope, ca, thal) and a binary target, deterministic for a seed. Drift shifts named "
                    + "features: numeric ones by the amount, binary ones (sex, fbs, exang) in the probability of 1, coded "
                    + "ones (cp, restecg, slope, ca, thal) to their highest (positive) or lowest (negative) code with "
                    + "probability |shift|; the target follows the shifted features. text/csv (streamed, up to 2,000,000 "
                    + "rows) or application/json (up to 10,000 rows: {\"instances\": [{features}], \"labels\": [...]}).")
    @APIResponse(responseCode = "200", description = "The rows",
            content = {@Content(mediaType = DatasetResource.CSV, examples = @ExampleObject(name = "csv",
                    value = "age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,target\n57,1,0,140,241,0,1,123,1,0.2,1,0,3,1\n")),
                    @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "json",
                            value = "{\"instances\": [{\"age\": 57, \"sex\": 1, \"cp\": 0, \"trestbps\": 140, \"chol\": 241, \"fbs\": 0, "
                                    + "\"restecg\": 1, \"thalach\": 123, \"exang\": 1, \"oldpeak\": 0.2, \"slope\": 1, \"ca\": 0, \"thal\": 3}], "
                                    + "\"labels\": [1]}"))})
    @APIResponse(responseCode = "400", description = "Too many rows, a malformed or unknown drift feature",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response generate(@Parameter(description = "Rows; default 100") @QueryParam("rows") Integer rows,
                             @Parameter(description = "Seed; default 42") @QueryParam("seed") Long seed,
                             @Parameter(description = "Shifts, e.g. age:8,chol:40,exang:0.2") @QueryParam("drift") String drift,
                             @Parameter(description = "Whether to include the target; default true")
                             @QueryParam("include_target") Boolean includeTarget,
                             @jakarta.ws.rs.core.Context HttpHeaders headers) {
        boolean json = headers.getAcceptableMediaTypes().stream().findFirst()
                .map(m -> m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardType()).orElse(false);
        int n = rows == null ? 100 : rows;
        int max = json ? MAX_JSON_ROWS : MAX_CSV_ROWS;
        if (n < 1 || n > max) {
            throw ProblemException.badRequest("rows", "rows: must be from 1 to " + max + (json ? " for JSON" : ""));
        }
        HeartDiseaseGenerator generator;
        try {
            generator = new HeartDiseaseGenerator(seed == null ? 42 : seed, parseDrift(drift));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("drift", "drift: " + e.getMessage());
        }
        boolean withTarget = includeTarget == null || includeTarget;
        if (json) {
            List<Map<String, Number>> instances = new ArrayList<>(n);
            List<Integer> labels = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Map<String, Number> record = new LinkedHashMap<>(generator.nextRecord());
                labels.add(record.remove(HeartDiseaseGenerator.TARGET).intValue());
                instances.add(record);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("instances", instances);
            if (withTarget) {
                body.put("labels", labels);
            }
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
        StreamingOutput csv = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            generator.writeCsv(writer, n, withTarget);
        };
        return Response.ok(csv, DatasetResource.CSV).build();
    }

    static Map<String, Double> parseDrift(String drift) {
        Map<String, Double> shifts = new LinkedHashMap<>();
        if (drift == null || drift.isBlank()) {
            return shifts;
        }
        for (String part : drift.split(",")) {
            String[] kv = part.split(":", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + part + "' is not feature:shift");
            }
            try {
                shifts.put(kv[0].strip(), Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the shift of '" + kv[0].strip() + "' is not a number");
            }
        }
        return shifts;
    }
}
