package dev.keel.common.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Model documents from test resources, as loaded models or as JSON trees to break on purpose. */
final class HandMadeModels {

    static final ObjectMapper JSON = new ObjectMapper();

    private HandMadeModels() {
    }

    /** One tree: {@code color} (categorical) in {1, 70} goes right to a split on {@code size} < 2.5. */
    static XgbModel categorical() {
        return XgbModel.load(bytes("model/hand-made-categorical.json"));
    }

    static ObjectNode tree(String resource) {
        try {
            return (ObjectNode) JSON.readTree(bytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resource's JSON after {@code edit}, ready for {@link XgbModel#load(byte[])}. */
    static byte[] edited(String resource, Consumer<ObjectNode> edit) {
        ObjectNode root = tree(resource);
        edit.accept(root);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode firstTree(JsonNode root) {
        return (ObjectNode) root.at("/learner/gradient_booster/model/trees/0");
    }

    static byte[] bytes(String resource) {
        try (InputStream in = HandMadeModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
