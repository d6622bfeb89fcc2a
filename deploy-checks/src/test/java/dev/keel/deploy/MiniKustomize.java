package dev.keel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of Kustomize that k8s/ uses, for machines with neither kubectl nor kustomize:
 * {@code resources} (files and directories), {@code components} (their resources and patches),
 * {@code patches} given by {@code path} as strategic-merge patches (maps merge, the lists Kubernetes
 * merges by key — containers, env, volumes by name, volumeMounts by mountPath, ports by
 * containerPort — merge by that key, other lists are replaced, null deletes), {@code images}
 * (newName, newTag, digest) and {@code namespace}. Anything else in a kustomization fails loudly, so a
 * kustomization that outgrows this class is noticed; when kubectl is present
 * {@code K8sManifestsTest} proves the two render the same objects.
 */
final class MiniKustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private static final Set<String> KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "namespace", "resources",
            "components", "patches", "images");
    private static final Set<String> COMPONENT_KEYS = Set.of("apiVersion", "kind", "resources", "patches");
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

    private MiniKustomize() {
    }

    static String render(Path dir) {
        List<ObjectNode> objects = build(dir);
        StringWriter out = new StringWriter();
        try {
            for (ObjectNode o : objects) {
                out.write("---\n");
                out.write(YAML.writeValueAsString(o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<ObjectNode> build(Path dir) {
        ObjectNode k = kustomization(dir, KUSTOMIZATION_KEYS);
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            addResource(dir.resolve(r.asText()).normalize(), objects);
        }
        for (JsonNode c : k.path("components")) {
            Path componentDir = dir.resolve(c.asText()).normalize();
            ObjectNode component = kustomization(componentDir, COMPONENT_KEYS);
            for (JsonNode r : component.path("resources")) {
                addResource(componentDir.resolve(r.asText()).normalize(), objects);
            }
            applyPatches(componentDir, component, objects);
        }
        applyPatches(dir, k, objects);
        for (JsonNode image : k.path("images")) {
            objects.forEach(o -> setImages(o, image));
        }
        if (k.hasNonNull("namespace")) {
            String ns = k.get("namespace").asText();
            objects.forEach(o -> ((ObjectNode) o.get("metadata")).put("namespace", ns));
        }
        return objects;
    }

    static List<ObjectNode> readDocuments(String yaml) {
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc instanceof ObjectNode o && !o.isEmpty()) {
                    docs.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private static ObjectNode kustomization(Path dir, Set<String> allowed) {
        Path file = Files.isRegularFile(dir.resolve("kustomization.yaml")) ? dir.resolve("kustomization.yaml")
                : dir.resolve("kustomization.yml");
        ObjectNode k = readDocuments(read(file)).get(0);
        k.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(file + ": '" + name + "' is not supported by the built-in renderer; "
                        + "install kubectl or kustomize, or keep k8s/ to " + allowed);
            }
        });
        return k;
    }

    private static void addResource(Path path, List<ObjectNode> objects) {
        if (Files.isDirectory(path)) {
            objects.addAll(build(path));
        } else {
            objects.addAll(readDocuments(read(path)));
        }
    }

    private static void applyPatches(Path dir, ObjectNode k, List<ObjectNode> objects) {
        for (JsonNode p : k.path("patches")) {
            if (p.size() != 1 || !p.has("path")) {
                throw new IllegalArgumentException(dir + ": only patches given by 'path' are supported: " + p);
            }
            for (ObjectNode patch : readDocuments(read(dir.resolve(p.get("path").asText())))) {
                String kind = patch.path("kind").asText();
                String name = patch.path("metadata").path("name").asText();
                ObjectNode target = objects.stream()
                        .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(dir + ": patch target " + kind + "/" + name + " not found"));
                merge(target, patch);
            }
        }
    }

    /** Strategic merge of {@code patch} into {@code target}, in place. */
    static void merge(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + key + " is not supported by the built-in renderer");
            }
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current instanceof ObjectNode c) {
                merge(c, (ObjectNode) value);
            } else if (value.isArray() && current instanceof ArrayNode c && MERGE_KEYS.containsKey(key)) {
                mergeList(c, (ArrayNode) value, MERGE_KEYS.get(key));
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey) {
        for (JsonNode item : patch) {
            JsonNode key = item.get(mergeKey);
            ObjectNode match = null;
            for (JsonNode t : target) {
                if (key != null && key.equals(t.get(mergeKey))) {
                    match = (ObjectNode) t;
                }
            }
            if (match != null) {
                merge(match, (ObjectNode) item);
            } else {
                target.add(item.deepCopy());
            }
        }
    }

    private static void setImages(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : node.path(list)) {
                    String ref = c.path("image").asText();
                    String[] parts = splitImage(ref);
                    if (parts[0].equals(image.path("name").asText())) {
                        String name = image.hasNonNull("newName") ? image.get("newName").asText() : parts[0];
                        String suffix = image.hasNonNull("digest") ? "@" + image.get("digest").asText()
                                : image.hasNonNull("newTag") ? ":" + image.get("newTag").asText() : parts[1];
                        ((ObjectNode) c).put("image", name + suffix);
                    }
                }
            }
            node.forEach(child -> setImages(child, image));
        } else if (node.isArray()) {
            node.forEach(child -> setImages(child, image));
        }
    }

    /** [name, ":tag" or "@digest" or ""]. */
    private static String[] splitImage(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new String[] {ref.substring(0, at), ref.substring(at)};
        }
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            return new String[] {ref.substring(0, colon), ref.substring(colon)};
        }
        return new String[] {ref, ""};
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
