package dev.keel.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns rendered YAML into fabric8's typed Kubernetes model, strictly: an unknown kind or
 * apiVersion, a mistyped value or an unknown field anywhere in an object is a problem. fabric8's
 * classes keep unknown fields in {@code additionalProperties} instead of failing, so every object is
 * walked after reading and any non-empty {@code additionalProperties} is reported with its path.
 */
final class KubernetesObjects {

    /** apiVersion/kind → model class; the kinds k8s/ may contain. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "batch/v1/CronJob", CronJob.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** The objects read, and every problem found reading them. */
    record Parsed(List<HasMetadata> objects, List<String> problems) {
    }

    private KubernetesObjects() {
    }

    static Parsed parse(String yaml) {
        return parse(MiniKustomize.readDocuments(yaml));
    }

    static Parsed parse(List<ObjectNode> documents) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ObjectNode doc : documents) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String id = type + " " + doc.path("metadata").path("name").asText("<no name>");
            Class<? extends HasMetadata> cls = KINDS.get(type);
            if (cls == null) {
                problems.add(id + ": kind not expected in k8s/ (known: " + KINDS.keySet() + ")");
                continue;
            }
            try {
                HasMetadata object = MAPPER.treeToValue(doc, cls);
                List<String> unknown = new ArrayList<>();
                unknownFields(object, "", unknown);
                unknown.forEach(u -> problems.add(id + ": unknown field " + u));
                objects.add(object);
            } catch (Exception e) {
                problems.add(id + ": does not read as " + cls.getSimpleName() + ": " + e.getMessage());
            }
        }
        return new Parsed(objects, problems);
    }

    private static void unknownFields(Object node, String path, List<String> out) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "[" + k + "]", out));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || Modifier.isStatic(m.getModifiers())
                    || m.getReturnType().isPrimitive() || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            if (field.equals("additionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> out.add(path.isEmpty() ? k.toString() : path.substring(1) + "." + k));
                }
            } else {
                unknownFields(value, path + "." + field, out);
            }
        }
    }
}
