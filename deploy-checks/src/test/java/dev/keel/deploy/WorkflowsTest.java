package dev.keel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * .github/workflows: every workflow parses, every job has steps, and every {@code run:} step that
 * calls something in the repository (a script, ./mvnw, a module given to -pl, a k8s/ or deploy/
 * path) names a file or directory that exists — with {@code ${{ matrix.* }}} expanded.
 */
class WorkflowsTest {

    static final Path ROOT = RepoRoot.get();
    static final Path WORKFLOWS = ROOT.resolve(".github/workflows");
    private static final Pattern MATRIX = Pattern.compile("\\$\\{\\{\\s*matrix\\.(\\w+)\\s*}}");
    private static final Pattern PATH_TOKEN = Pattern.compile("(?<![\\w./$-])(\\./[\\w./-]+|(?:[\\w.-]+/)+[\\w.-]+)");
    private static final Pattern MODULES = Pattern.compile("-pl\\s+(\\S+)");

    @Test
    void everyWorkflowParsesAndEveryRepositoryCommandItRunsExists() throws IOException {
        Map<String, JsonNode> workflows = workflows();

        assertThat(workflows).containsKeys("ci.yml", "images.yml", "deploy.yml", "retrain.yml");
        List<String> problems = new ArrayList<>();
        workflows.forEach((name, wf) -> problems.addAll(check(name, wf)));
        assertThat(problems).isEmpty();
    }

    @Test
    void ciStillBuildsAndTestsEverythingAgainstPostgres() throws IOException {
        JsonNode job = workflows().get("ci.yml").path("jobs").path("build-and-test");

        assertThat(job.path("services").path("postgres").path("image").asText()).startsWith("postgres:");
        assertThat(runs(job)).anyMatch(r -> r.contains("./mvnw -B verify"));
    }

    @Test
    void imagesArePushedWithJibInJvmAndNativeForm() throws IOException {
        String all = String.join("\n", runsOf(workflows().get("images.yml")));

        assertThat(all).contains("-Dquarkus.container-image.build=true", "-Dquarkus.container-image.push=true",
                "-Dnative", "-Dquarkus.native.container-build=true", "-Dquarkus.container-image.registry=ghcr.io");
        // labels are quarkus.container-image.labels (the parent pom); quarkus.jib.labels does not exist
        assertThat(all).doesNotContain("quarkus.jib.labels");
    }

    @Test
    void theIntegrationTestsRunAgainstTheNativeBinaryAndTheJvmJarBeforeAnythingIsPushed() throws IOException {
        JsonNode jobs = workflows().get("images.yml").path("jobs");
        List<String> nativeRuns = runs(jobs.path("native"));
        List<String> jvmRuns = runs(jobs.path("jvm"));

        int nativeTests = indexOf(nativeRuns, r -> r.contains("verify") && r.contains("-Dnative")
                && r.contains("-Dquarkus.native.builder-image=mandrel") && !r.contains("-DskipTests"));
        int nativePush = indexOf(nativeRuns, r -> r.contains("-Dquarkus.container-image.push=true"));
        assertThat(nativeTests).as("a native verify in a Mandrel container").isNotNegative().isLessThan(nativePush);
        assertThat(nativeRuns.get(nativePush)).contains("-Dquarkus.native.reuse-existing=true");
        int jvmTests = indexOf(jvmRuns, r -> r.contains("verify") && r.contains("-DskipITs=false"));
        int jvmPush = indexOf(jvmRuns, r -> r.contains("-Dquarkus.container-image.push=true"));
        assertThat(jvmTests).as("a JVM verify running the *IT classes").isNotNegative().isLessThan(jvmPush);
        for (String job : List.of("native", "jvm")) {
            assertThat(jobs.path(job).path("services").path("postgres").path("image").asText()).as(job).startsWith("postgres:");
        }
    }

    @Test
    void deployGoesThroughStagingThenAnApprovedProduction() throws IOException {
        JsonNode jobs = workflows().get("deploy.yml").path("jobs");

        assertThat(jobs.path("staging").path("environment").asText()).isEqualTo("staging");
        assertThat(jobs.path("production").path("environment").asText()).isEqualTo("production");
        assertThat(jobs.path("production").path("needs").asText()).isEqualTo("staging");
        assertThat(runs(jobs.path("production"))).anyMatch(r -> r.contains("k8s/scripts/deploy.sh production"));
        assertThat(Files.readString(ROOT.resolve("k8s/scripts/deploy.sh"))).contains("rollout status", "rollout undo", "smoke.sh");
    }

    @Test
    void retrainingRunsSundaysAtTwoUtcAndOnDemand() throws IOException {
        JsonNode on = workflows().get("retrain.yml").path("on");

        assertThat(on.path("schedule").get(0).path("cron").asText()).isEqualTo("0 2 * * 0");
        assertThat(on.has("workflow_dispatch")).isTrue();
        assertThat(String.join("\n", runsOf(workflows().get("retrain.yml")))).contains("/api/v1/models/$model/retrain");
    }

    @Test
    void aStepCallingAMissingScriptIsReported() throws IOException {
        JsonNode broken = MiniKustomize.YAML.readTree("""
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    strategy:
                      matrix:
                        service: [inference, nowhere]
                    steps:
                      - run: deploy/local/up-and-away.sh && ./mvnw -B verify
                      - run: ./mvnw -B package -pl ${{ matrix.service }}-service
                """);

        assertThat(check("broken.yml", broken))
                .anyMatch(p -> p.contains("deploy/local/up-and-away.sh"))
                .anyMatch(p -> p.contains("nowhere-service"))
                .noneMatch(p -> p.contains("inference-service") || p.contains("mvnw"));
    }

    @Test
    void actionlintAcceptsTheWorkflows() throws IOException {
        java.util.Optional<Path> actionlint = Kustomize.onPath("actionlint");
        org.junit.jupiter.api.Assumptions.assumeTrue(actionlint.isPresent(), "actionlint not on PATH (go install github.com/rhysd/actionlint/cmd/actionlint)");
        List<String> command = new ArrayList<>(List.of(actionlint.get().toString(), "-shellcheck=", "-pyflakes="));
        workflows().keySet().forEach(f -> command.add(WORKFLOWS.resolve(f).toString()));

        Kustomize.run(command);
    }

    static List<String> check(String name, JsonNode wf) {
        List<String> problems = new ArrayList<>();
        if (!wf.has("on") || !wf.path("jobs").isObject() || wf.path("jobs").isEmpty()) {
            problems.add(name + ": no 'on' or no jobs");
            return problems;
        }
        wf.path("jobs").fields().forEachRemaining(job -> {
            String where = name + " / " + job.getKey();
            JsonNode j = job.getValue();
            if (!j.has("runs-on") || !j.path("steps").isArray() || j.path("steps").isEmpty()) {
                problems.add(where + ": no runs-on or no steps");
            }
            List<Map<String, String>> combinations = matrixCombinations(j.path("strategy").path("matrix"));
            for (JsonNode step : j.path("steps")) {
                if (step.has("run") == step.has("uses")) {
                    problems.add(where + ": a step must have exactly one of run and uses: " + step);
                }
                if (step.path("uses").asText().startsWith("./")) {
                    checkExists(where, step.get("uses").asText(), problems);
                }
                if (!step.has("run")) {
                    continue;
                }
                for (Map<String, String> combination : combinations) {
                    Matcher m = MATRIX.matcher(step.get("run").asText());
                    StringBuilder run = new StringBuilder();
                    while (m.find()) {
                        m.appendReplacement(run, Matcher.quoteReplacement(combination.getOrDefault(m.group(1), m.group())));
                    }
                    m.appendTail(run);
                    checkRun(where, run.toString(), problems);
                }
            }
        });
        return problems;
    }

    private static void checkRun(String where, String run, List<String> problems) {
        String text = run.replaceAll("https?://\\S+", "").replaceAll("'[^'\\n]*'", "''");
        Matcher paths = PATH_TOKEN.matcher(text);
        while (paths.find()) {
            String token = paths.group(1).replaceAll("[.,;:)]+$", "");
            boolean repoPath = token.startsWith("./") || Files.exists(ROOT.resolve(token.split("/")[0]));
            if (repoPath && !token.contains("$") && !token.contains("*") && !token.startsWith("~")) {
                checkExists(where, token, problems);
            }
        }
        Matcher modules = MODULES.matcher(text);
        while (modules.find()) {
            for (String module : modules.group(1).split(",")) {
                if (!module.contains("$") && !Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml"))) {
                    problems.add(where + ": -pl names " + module + ", which is not a module");
                }
            }
        }
    }

    private static void checkExists(String where, String path, List<String> problems) {
        Path p = ROOT.resolve(path).normalize();
        if (!Files.exists(p)) {
            problems.add(where + ": " + path + " does not exist in the repository");
        } else if (Files.isRegularFile(p) && (path.endsWith(".sh") || path.equals("./mvnw")) && !Files.isExecutable(p)) {
            problems.add(where + ": " + path + " is not executable");
        }
    }

    private static List<Map<String, String>> matrixCombinations(JsonNode matrix) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(Map.of());
        matrix.fields().forEachRemaining(axis -> {
            if (!axis.getValue().isArray()) {
                return;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combinations) {
                for (JsonNode value : axis.getValue()) {
                    Map<String, String> extended = new TreeMap<>(c);
                    extended.put(axis.getKey(), value.asText());
                    next.add(extended);
                }
            }
            combinations.clear();
            combinations.addAll(next);
        });
        return combinations;
    }

    private static Map<String, JsonNode> workflows() throws IOException {
        Map<String, JsonNode> workflows = new TreeMap<>();
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList()) {
                workflows.put(f.getFileName().toString(), MiniKustomize.YAML.readTree(f.toFile()));
            }
        }
        return workflows;
    }

    private static List<String> runs(JsonNode job) {
        List<String> runs = new ArrayList<>();
        job.path("steps").forEach(s -> {
            if (s.has("run")) {
                runs.add(s.get("run").asText());
            }
        });
        return runs;
    }

    private static int indexOf(List<String> runs, java.util.function.Predicate<String> what) {
        for (int i = 0; i < runs.size(); i++) {
            if (what.test(runs.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> runsOf(JsonNode wf) {
        List<String> runs = new ArrayList<>();
        wf.path("jobs").forEach(j -> runs.addAll(runs(j)));
        return runs;
    }
}
