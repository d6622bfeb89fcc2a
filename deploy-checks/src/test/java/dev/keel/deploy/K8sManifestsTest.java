package dev.keel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every overlay of k8s/ renders, reads as valid Kubernetes objects, and keeps issue 10's policies. */
class K8sManifestsTest {

    static final Path ROOT = RepoRoot.get();
    static final Path K8S = ROOT.resolve("k8s");
    private static final Map<String, Kustomize.Rendering> RENDERED = new ConcurrentHashMap<>();

    static Kustomize.Rendering rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Kustomize.render(K8S.resolve("overlays").resolve(o)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "production"})
    void everyOverlayRendersToValidObjectsThatKeepThePolicies(String overlay) {
        Kustomize.Rendering rendering = rendered(overlay);
        KubernetesObjects.Parsed parsed = KubernetesObjects.parse(rendering.yaml());

        assertThat(parsed.problems()).as("schema problems in %s (rendered by %s)", overlay, rendering.renderer()).isEmpty();
        assertThat(ManifestPolicies.check(parsed.objects())).as("policy problems in %s", overlay).isEmpty();
        assertThat(parsed.objects()).extracting(HasMetadata::getKind)
                .contains("Deployment", "StatefulSet", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                        "NetworkPolicy", "CronJob");
        assertThat(parsed.objects().stream().filter(o -> o.getKind().equals("Deployment")).map(o -> o.getMetadata().getName()))
                .containsExactlyInAnyOrder("keel-registry", "keel-drift", "keel-training", "keel-agent");
        assertThat(kinds(overlay)).as("inference keeps its spill file on a volume of its own")
                .contains("StatefulSet/keel-inference");
    }

    @Test
    void devRunsItsOwnPostgresAndStagingAndProductionUseAnExternalOne() {
        assertThat(kinds("dev")).contains("StatefulSet/keel-postgres");
        assertThat(kinds("staging")).doesNotContain("StatefulSet/keel-postgres");
        assertThat(kinds("production")).doesNotContain("StatefulSet/keel-postgres");
        assertThat(rendered("dev").yaml()).contains("jdbc:postgresql://keel-postgres:5432/keel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "production"})
    void theBuiltInRendererAgreesWithKubectl(String overlay) {
        Optional<String> tool = Kustomize.renderWithTool(K8S.resolve("overlays").resolve(overlay));
        org.junit.jupiter.api.Assumptions.assumeTrue(tool.isPresent(), "neither kubectl nor kustomize on PATH");

        Map<String, ObjectNode> builtIn = byId(MiniKustomize.render(K8S.resolve("overlays").resolve(overlay)));
        Map<String, ObjectNode> reference = byId(tool.get());

        assertThat(builtIn.keySet()).isEqualTo(reference.keySet());
        for (String id : reference.keySet()) {
            assertThat(builtIn.get(id)).as("%s rendered by the built-in renderer", id).isEqualTo(reference.get(id));
        }
    }

    @Test
    void aMissingProbeIsReported() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("staging").yaml());
        container(docs, "StatefulSet", "keel-inference").remove("readinessProbe");

        List<String> problems = ManifestPolicies.check(KubernetesObjects.parse(docs).objects());

        assertThat(problems).anyMatch(p -> p.contains("StatefulSet keel-inference") && p.contains("readinessProbe=false"));
    }

    @Test
    void aSpillDirectoryThatDiesWithThePodIsReported() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("production").yaml());
        ObjectNode inference = obj(find(docs, "StatefulSet", "keel-inference"), "spec");
        inference.remove("volumeClaimTemplates");
        ((com.fasterxml.jackson.databind.node.ArrayNode) inference.path("template").path("spec").path("volumes"))
                .addObject().put("name", "prediction-spill").putObject("emptyDir");

        List<String> problems = ManifestPolicies.check(KubernetesObjects.parse(docs).objects());

        assertThat(problems).anyMatch(p -> p.contains("StatefulSet keel-inference") && p.contains("/var/lib/keel/prediction-spill")
                && p.contains("gone with the pod"));
    }

    @Test
    void aGracePeriodShorterThanTheGracefulStopIsReported() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("production").yaml());
        // inference: the 5 s drain, 15 s of in-flight requests and 22 s for the log's last batch need 42 s
        obj(obj(obj(find(docs, "StatefulSet", "keel-inference"), "spec"), "template"), "spec")
                .put("terminationGracePeriodSeconds", 40);
        // registry: 5 + 20 s fit in 30, until its env asks for a minute of in-flight requests
        ((ArrayNode) container(docs, "Deployment", "keel-registry").path("env")).addObject()
                .put("name", "QUARKUS_SHUTDOWN_TIMEOUT").put("value", "1m");

        List<String> problems = ManifestPolicies.check(KubernetesObjects.parse(docs).objects());

        assertThat(problems).anyMatch(p -> p.contains("StatefulSet keel-inference") && p.contains("terminationGracePeriodSeconds 40")
                && p.contains("42 s"));
        assertThat(problems).anyMatch(p -> p.contains("Deployment keel-registry") && p.contains("65 s"));
        assertThat(problems).noneMatch(p -> p.contains("Deployment keel-drift") && p.contains("terminationGracePeriodSeconds"));
    }

    @Test
    void anUnknownFieldIsReportedWithItsPath() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("staging").yaml());
        container(docs, "Deployment", "keel-registry").putObject("readinesProbe").put("periodSeconds", 5);

        List<String> problems = KubernetesObjects.parse(docs).problems();

        assertThat(problems).anyMatch(p -> p.contains("Deployment keel-registry") && p.contains("readinesProbe"));
    }

    @Test
    void aMistypedValueAndAnUnknownKindAreReported() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("staging").yaml());
        obj(find(docs, "Deployment", "keel-drift"), "spec").put("replicas", "two");
        docs.add(MiniKustomize.readDocuments("apiVersion: v1\nkind: Frobnicator\nmetadata: {name: x}\n").get(0));

        List<String> problems = KubernetesObjects.parse(docs).problems();

        assertThat(problems).anyMatch(p -> p.contains("Deployment keel-drift") && p.contains("does not read"));
        assertThat(problems).anyMatch(p -> p.contains("Frobnicator"));
    }

    @Test
    void weakenedSecurityAndAWrongScheduleAreReported() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("production").yaml());
        ObjectNode agent = container(docs, "Deployment", "keel-agent");
        obj(agent, "securityContext").put("allowPrivilegeEscalation", true).put("readOnlyRootFilesystem", false);
        obj(agent, "resources").remove("limits");
        ObjectNode cron = find(docs, "CronJob", "keel-retrain");
        obj(cron, "spec").put("schedule", "0 3 * * 0");
        docs.removeIf(d -> d.path("kind").asText().equals("PodDisruptionBudget") && d.path("metadata").path("name").asText().equals("keel-drift"));
        obj(find(docs, "StatefulSet", "keel-inference"), "spec").put("replicas", 3);

        List<String> problems = ManifestPolicies.check(KubernetesObjects.parse(docs).objects());

        assertThat(problems).anyMatch(p -> p.contains("keel-agent") && p.contains("privilege escalation"));
        assertThat(problems).anyMatch(p -> p.contains("keel-agent") && p.contains("writable root filesystem"));
        assertThat(problems).anyMatch(p -> p.contains("keel-agent") && p.contains("no cpu limit"));
        assertThat(problems).anyMatch(p -> p.contains("keel-retrain") && p.contains("0 3 * * 0"));
        assertThat(problems).anyMatch(p -> p.contains("Deployment keel-drift") && p.contains("PodDisruptionBudget"));
        assertThat(problems).anyMatch(p -> p.contains("StatefulSet keel-inference") && p.contains("sets replicas"));
    }

    @Test
    void aNetworkPolicyThatLetsTheWrongCallerInIsReported() {
        List<ObjectNode> docs = MiniKustomize.readDocuments(rendered("staging").yaml());
        ObjectNode policy = find(docs, "NetworkPolicy", "keel-training-ingress");
        ((ArrayNode) obj(policy, "spec").get("ingress").get(0).get("from"))
                .addObject().putObject("podSelector").putObject("matchLabels").put("app.kubernetes.io/name", "keel-inference");

        List<String> problems = ManifestPolicies.check(KubernetesObjects.parse(docs).objects());

        assertThat(problems).anyMatch(p -> p.contains("call keel-training") && p.contains("keel-inference"));
    }

    @Test
    void aBrokenCopyOfABaseManifestOnDiskIsReported(@TempDir Path copy) throws IOException {
        copyTree(K8S, copy);
        Path inference = copy.resolve("base/inference.yaml");
        String manifest = Files.readString(inference);
        String broken = manifest.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")
                .replace("path: /q/health/live", "path: /q/health/alive");
        assertThat(broken).isNotEqualTo(manifest);
        Files.writeString(inference, broken);

        KubernetesObjects.Parsed parsed = KubernetesObjects.parse(Kustomize.render(copy.resolve("overlays/staging")).yaml());
        List<String> problems = ManifestPolicies.check(parsed.objects());

        assertThat(problems).anyMatch(p -> p.contains("keel-inference") && p.contains("writable root filesystem"));
        assertThat(problems).anyMatch(p -> p.contains("keel-inference") && p.contains("livenessProbe is not an HTTP GET of /q/health/live"));
        assertThat(ManifestPolicies.check(KubernetesObjects.parse(rendered("staging").yaml()).objects())).isEmpty();
    }

    @Test
    void aCopyWithAnUnreadableManifestDoesNotRender(@TempDir Path copy) throws IOException {
        copyTree(K8S, copy);
        Path drift = copy.resolve("base/drift.yaml");
        Files.writeString(drift, Files.readString(drift).replaceFirst("(?m)^kind: Deployment$", "kind: Deployment\n  oops: [unclosed"));

        assertThatThrownBy(() -> KubernetesObjects.parse(Kustomize.render(copy.resolve("overlays/staging")).yaml()))
                // kubectl/kustomize exit non-zero, the built-in renderer's YAML parser throws; both name the YAML error
                .isInstanceOf(RuntimeException.class).hasMessageContaining("mapping values are not allowed");
    }

    @Test
    void noSecretValueIsCommittedAndTheReadmeNamesEverySecretKeyTheManifestsUse() throws IOException {
        String readme = Files.readString(K8S.resolve("README.md"));
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContainPattern("(?m)^kind:\\s*Secret\\s*$");
            }
        }
        List<JsonNode> refs = MiniKustomize.readDocuments(rendered("dev").yaml()).stream()
                .flatMap(d -> d.findValues("secretKeyRef").stream()).toList();
        for (JsonNode ref : refs) {
            assertThat(readme).as("k8s/README.md documents secret %s key %s", ref.path("name").asText(), ref.path("key").asText())
                    .contains("kubectl -n keel create secret generic " + ref.path("name").asText())
                    .contains("--from-literal=" + ref.path("key").asText() + "=");
        }
        assertThat(refs).isNotEmpty();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static List<String> kinds(String overlay) {
        return MiniKustomize.readDocuments(rendered(overlay).yaml()).stream()
                .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()).toList();
    }

    private static Map<String, ObjectNode> byId(String yaml) {
        return MiniKustomize.readDocuments(yaml).stream().collect(Collectors.toMap(
                d -> d.path("apiVersion").asText() + "/" + d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(),
                d -> d, (a, b) -> a, TreeMap::new));
    }

    private static ObjectNode find(List<ObjectNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow();
    }

    private static ObjectNode obj(ObjectNode parent, String field) {
        return (ObjectNode) parent.get(field);
    }

    private static ObjectNode container(List<ObjectNode> docs, String kind, String name) {
        return (ObjectNode) find(docs, kind, name).path("spec").path("template").path("spec").path("containers").get(0);
    }
}
