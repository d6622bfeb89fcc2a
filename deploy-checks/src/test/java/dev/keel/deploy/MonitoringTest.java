package dev.keel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: every alert rule and dashboard query names only series the services really
 * expose (read from their source), the scrape configs point at the services, and promtool, when
 * installed, accepts the rules and the config.
 */
class MonitoringTest {

    static final Path ROOT = RepoRoot.get();
    static final Path MONITORING = ROOT.resolve("deploy/monitoring");
    static final Path RULES = MONITORING.resolve("prometheus/rules/keel-alerts.yml");
    static final Set<String> EXPOSED = ExposedMetrics.fromSource(ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GROUPING = Pattern.compile("(?i)\\b(by|without|on|ignoring)\\s*\\(([^)]*)\\)");

    @Test
    void theSourceExposesTheMetersTheRulesAreBuiltOn() {
        assertThat(EXPOSED).contains("keel_drift_score", "keel_drift_feature_score", "keel_model_performance",
                "keel_agent_actions_total", "keel_prediction_log_spill_records", "keel_prediction_log_flush_seconds_bucket",
                "keel_inference_rows_predicted_total", "keel_training_runs_finished_total", "keel_registry_promotions_total",
                "http_server_requests_seconds_bucket", "keel_agent_pending_approvals", "keel_agent_pending_approvals_oldest_seconds");
    }

    @Test
    void latencyAlertsAndTheRequestsDashboardUseTrueHistogramPercentiles() throws IOException {
        Map<String, String> exprs = ruleExpressions(Files.readString(RULES));
        String requests = Files.readString(MONITORING.resolve("grafana/dashboards/keel-requests.json"));

        assertThat(exprs.get("KeelHighLatency")).contains("histogram_quantile(0.99", "http_server_requests_seconds_bucket", "le)");
        assertThat(exprs.get("KeelPendingApprovalsStale")).contains("keel_agent_pending_approvals_oldest_seconds");
        assertThat(requests).contains("histogram_quantile(0.5, ", "histogram_quantile(0.95, ", "histogram_quantile(0.99, ")
                .contains("http_server_requests_seconds_bucket");
    }

    @Test
    void bucketsOfATimerWithoutAHistogramAreReported() {
        Map<String, String> exprs = Map.of("p99 of a timer with no buckets",
                "histogram_quantile(0.99, sum by (le) (rate(keel_training_candidate_duration_seconds_bucket[5m])))");

        assertThat(unknownMetrics(exprs)).anyMatch(p -> p.contains("keel_training_candidate_duration_seconds_bucket"));
    }

    @Test
    void everyAlertRuleReadsOnlyExposedSeries() throws IOException {
        Map<String, String> exprs = ruleExpressions(Files.readString(RULES));

        assertThat(exprs).containsKeys("KeelHighErrorRate", "KeelHighLatency", "KeelDriftCritical",
                "KeelPendingApprovalsStale", "KeelPredictionLogSpillGrowing");
        assertThat(unknownMetrics(exprs)).isEmpty();
    }

    @Test
    void everyAlertHasASeverityAndASummary() throws IOException {
        for (JsonNode group : MiniKustomize.YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("labels").path("severity").asText()).as(rule.path("alert").asText()).isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(rule.path("alert").asText()).isNotBlank();
            }
        }
    }

    @Test
    void aRuleOnAMetricNoServiceExposesIsReported() throws IOException {
        String broken = Files.readString(RULES).replace("(keel_drift_score)", "(keel_drift_scroe)");

        assertThat(unknownMetrics(ruleExpressions(broken))).anyMatch(p -> p.contains("keel_drift_scroe"));
    }

    @Test
    void everyDashboardQueryReadsOnlyExposedSeries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        List<String> titles = new ArrayList<>();
        for (Path f : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(f.toFile());
            titles.add(dashboard.path("title").asText());
            assertThat(dashboard.path("uid").asText()).as(f.toString()).isNotBlank();
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(f + " " + panel.path("title")).isEqualTo("keel-prometheus");
            }
            queries.putAll(queries(f, dashboard));
        }

        assertThat(titles).contains("Keel / Requests", "Keel / Drift", "Keel / Model quality", "Keel / Agent");
        assertThat(queries).hasSizeGreaterThan(30).allSatisfy((where, expr) -> assertThat(expr).as(where).isNotBlank());
        assertThat(unknownMetrics(queries)).isEmpty();
    }

    @Test
    void everyAggregationThatKeepsTheModelKeepsTheProjectToo() throws IOException {
        Map<String, String> exprs = new LinkedHashMap<>(ruleExpressions(Files.readString(RULES)));
        for (Path f : dashboardFiles()) {
            exprs.putAll(queries(f, JSON.readTree(f.toFile())));
        }

        assertThat(modelsWithoutProject(exprs)).as("model names are unique per project only").isEmpty();
    }

    @Test
    void anAggregationByModelWithoutTheProjectIsReported() {
        Map<String, String> exprs = Map.of(
                "merges two projects' models", "max by (model, version, feature) (keel_drift_feature_score)",
                "drops the project", "sum without (project, instance) (keel_inference_requests_total)",
                "fine", "max by (project, model) (keel_drift_score) and on (project, model) sum by (service) (up)");

        assertThat(modelsWithoutProject(exprs)).hasSize(2)
                .anyMatch(p -> p.startsWith("merges two projects' models: by (model, version, feature)"))
                .anyMatch(p -> p.startsWith("drops the project: without (project, instance)"));
    }

    @Test
    void theLocalScrapeConfigCoversTheFiveServicesOnQMetrics() throws IOException {
        JsonNode config = MiniKustomize.YAML.readTree(MONITORING.resolve("prometheus/prometheus.yml").toFile());
        JsonNode job = config.path("scrape_configs").get(0);
        List<String> targets = new ArrayList<>();
        job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));

        assertThat(job.path("metrics_path").asText()).isEqualTo("/q/metrics");
        assertThat(targets).containsExactlyInAnyOrder("localhost:8080", "localhost:8081", "localhost:8082", "localhost:8083", "localhost:8084");
        for (JsonNode rules : config.path("rule_files")) {
            assertThat(MONITORING.resolve("prometheus").resolve(rules.asText())).exists();
        }
        JsonNode k8s = MiniKustomize.YAML.readTree(MONITORING.resolve("prometheus/prometheus-kubernetes.yml").toFile());
        assertThat(k8s.path("scrape_configs").get(0).path("kubernetes_sd_configs").get(0).path("namespaces").path("names").get(0).asText())
                .isEqualTo(ManifestPolicies.NAMESPACE);
    }

    @Test
    void promtoolAcceptsTheRulesAndTheConfig() {
        Optional<Path> promtool = Kustomize.onPath("promtool");
        Assumptions.assumeTrue(promtool.isPresent(), "promtool not on PATH (Debian/Ubuntu: apt-get install prometheus)");

        Kustomize.run(List.of(promtool.get().toString(), "check", "rules", RULES.toString()));
        Kustomize.run(List.of(promtool.get().toString(), "check", "config", MONITORING.resolve("prometheus/prometheus.yml").toString()));
        try {
            Kustomize.run(List.of(promtool.get().toString(), "check", "config",
                    MONITORING.resolve("prometheus/prometheus-kubernetes.yml").toString()));
        } catch (IllegalStateException e) {
            // Debian builds Prometheus without Kubernetes service discovery; anything else is a real error.
            assertThat(e.getMessage()).contains("field kubernetes_sd_configs not found");
        }
    }

    @Test
    void promtoolRejectsABrokenRule() throws IOException {
        Optional<Path> promtool = Kustomize.onPath("promtool");
        Assumptions.assumeTrue(promtool.isPresent(), "promtool not on PATH");
        Path broken = Files.createTempFile("keel-alerts-broken", ".yml");
        try {
            Files.writeString(broken, Files.readString(RULES).replace("expr: up{job=\"keel\"} == 0", "expr: up{job=\"keel\" == 0"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    Kustomize.run(List.of(promtool.get().toString(), "check", "rules", broken.toString())))
                    .hasMessageContaining("exited 1");
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(MONITORING.resolve("grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** A dashboard's queries (panel targets and template variables), keyed "file / panel / refId" or "file / $variable". */
    static Map<String, String> queries(Path file, JsonNode dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            queries.put(file.getFileName() + " / $" + variable.path("name").asText(), variable.path("query").path("query").asText());
        }
        return queries;
    }

    /**
     * "where: clause" for every grouping that keeps {@code model} but not {@code project} ({@code by}
     * naming model alone, {@code without} dropping project but not model, and the same for {@code on}
     * and {@code ignoring}): a model's name is unique only within its project, so such a query adds
     * two projects' same-named models together.
     */
    static List<String> modelsWithoutProject(Map<String, String> exprs) {
        List<String> problems = new ArrayList<>();
        exprs.forEach((where, expr) -> {
            Matcher m = GROUPING.matcher(expr);
            while (m.find()) {
                Set<String> labels = Set.copyOf(List.of(m.group(2).strip().split("\\s*,\\s*")));
                boolean keeping = m.group(1).equalsIgnoreCase("by") || m.group(1).equalsIgnoreCase("on");
                boolean keepsModel = keeping == labels.contains("model");
                boolean keepsProject = keeping == labels.contains("project");
                if (keepsModel && !keepsProject) {
                    problems.add(where + ": " + m.group(1) + " (" + m.group(2).strip() + ")");
                }
            }
        });
        return problems;
    }

    static Map<String, String> ruleExpressions(String yaml) throws IOException {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode group : MiniKustomize.YAML.readTree(yaml).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.hasNonNull("alert") ? rule.get("alert").asText() : rule.path("record").asText();
                exprs.put(name, rule.path("expr").asText());
            }
        }
        return exprs;
    }

    /** "where: name" for every metric name an expression reads that no service exposes. */
    static List<String> unknownMetrics(Map<String, String> exprs) {
        List<String> problems = new ArrayList<>();
        exprs.forEach((where, expr) -> {
            Set<String> names = PromQl.metricNames(expr);
            if (names.isEmpty()) {
                problems.add(where + ": reads no metric");
            }
            names.stream().filter(n -> !EXPOSED.contains(n)).forEach(n -> problems.add(where + ": " + n + " is not exposed by any service"));
        });
        return problems;
    }
}
