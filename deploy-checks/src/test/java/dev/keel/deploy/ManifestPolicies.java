package dev.keel.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules every rendered overlay must keep (issue 10): probes, resources and a locked-down security
 * context on every container; a Service, a PodDisruptionBudget and an ingress NetworkPolicy for every
 * workload; who may call whom; the HPA, the weekly CronJob, the configuration and the labels.
 * {@link #check} returns the broken rules as sentences naming the object; empty means all hold.
 */
final class ManifestPolicies {

    static final String NAMESPACE = "keel";
    static final Set<String> SERVICES = Set.of("inference", "registry", "drift", "training", "agent");
    static final Map<String, Integer> PORTS = Map.of("inference", 8080, "registry", 8081, "drift", 8082,
            "training", 8083, "agent", 8084);
    /** Which Keel components may open connections to each service; null: any client. */
    static final Map<String, Set<String>> ALLOWED_CALLERS = Map.of(
            "keel-registry", Set.of("keel-inference", "keel-training", "keel-retrain", "keel-agent"),
            "keel-training", Set.of("keel-agent"),
            "keel-drift", Set.of("keel-agent"),
            "keel-agent", Set.of("keel-drift"));
    static final Set<String> CONFIG_KEYS = Set.of("QUARKUS_DATASOURCE_JDBC_URL", "KEEL_REGISTRY_URL",
            "KEEL_TRAINING_URL", "KEEL_DRIFT_URL", "KEEL_AGENT_URL");

    /**
     * What a stop may take beyond the drain and the in-flight requests: inference waits for its
     * prediction log's last batch, KEEL_PREDICTIONS_WRITE_TIMEOUT (20 s) plus 2 s, before spilling it;
     * training up to 10 s for its running trainings to stop and be recorded as interrupted.
     */
    static final Map<String, Duration> STOP_WORK = Map.of("inference", Duration.ofSeconds(22),
            "training", Duration.ofSeconds(10), "agent", Duration.ofSeconds(5));
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private ManifestPolicies() {
    }

    static List<String> check(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        List<HasMetadata> workloads = objects.stream()
                .filter(o -> o instanceof Deployment || o instanceof StatefulSet).toList();
        for (HasMetadata o : objects) {
            String id = id(o);
            if (!NAMESPACE.equals(o.getMetadata().getNamespace())) {
                problems.add(id + ": namespace is " + o.getMetadata().getNamespace() + ", not " + NAMESPACE);
            }
            Map<String, String> labels = Optional.ofNullable(o.getMetadata().getLabels()).orElse(Map.of());
            for (String l : List.of("app.kubernetes.io/part-of", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by")) {
                if (!labels.containsKey(l)) {
                    problems.add(id + ": label " + l + " missing");
                }
            }
            if (o.getKind().equals("Secret")) {
                problems.add(id + ": Secrets are created by hand (k8s/README.md), never committed");
            }
        }
        for (HasMetadata w : workloads) {
            checkWorkload(w, objects, problems);
        }
        objects.stream().filter(o -> o instanceof CronJob).map(CronJob.class::cast).forEach(c -> checkPods(id(c),
                c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(), Set.of(), false, problems));
        checkRetrainCronJob(objects, problems);
        checkHpa(objects, problems);
        checkNetworkPolicies(objects, problems);
        checkConfig(objects, problems);
        return problems;
    }

    private static void checkWorkload(HasMetadata w, List<HasMetadata> objects, List<String> problems) {
        String id = id(w);
        PodTemplateSpec template = w instanceof Deployment d ? d.getSpec().getTemplate() : ((StatefulSet) w).getSpec().getTemplate();
        Map<String, String> podLabels = template.getMetadata().getLabels();
        // Keel's own services (Deployments, and inference's StatefulSet), not the dev overlay's PostgreSQL
        boolean keelService = !"database".equals(podLabels.get("app.kubernetes.io/component"));
        Set<String> claims = w instanceof StatefulSet ss && ss.getSpec().getVolumeClaimTemplates() != null
                ? ss.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).collect(Collectors.toSet())
                : Set.of();
        checkPods(id, template.getSpec(), claims, true, problems);
        if (keelService) {
            Map<String, String> annotations = Optional.ofNullable(template.getMetadata().getAnnotations()).orElse(Map.of());
            if (!"true".equals(annotations.get("prometheus.io/scrape")) || !"/q/metrics".equals(annotations.get("prometheus.io/path"))
                    || annotations.get("prometheus.io/port") == null) {
                problems.add(id + ": pod template lacks the prometheus.io/scrape, port and path=/q/metrics annotations");
            }
            checkGracePeriod(id, w.getMetadata().getName().replaceFirst("^keel-", ""), template.getSpec(), objects, problems);
            for (Container c : template.getSpec().getContainers()) {
                checkHttpProbe(id, c, "startupProbe", c.getStartupProbe(), "/q/health/started", problems);
                checkHttpProbe(id, c, "readinessProbe", c.getReadinessProbe(), "/q/health/ready", problems);
                checkHttpProbe(id, c, "livenessProbe", c.getLivenessProbe(), "/q/health/live", problems);
                if (c.getImage() == null || !c.getImage().startsWith("ghcr.io/") || !c.getImage().contains(":")) {
                    problems.add(id + ": container " + c.getName() + " image " + c.getImage() + " is not ghcr.io/<owner>/keel-<service>:<tag>");
                }
            }
        }
        LabelSelector selector = w instanceof Deployment d ? d.getSpec().getSelector() : ((StatefulSet) w).getSpec().getSelector();
        if (!selects(selector, podLabels)) {
            problems.add(id + ": its selector does not select its own pod template");
        }
        boolean hasService = objects.stream().filter(o -> o instanceof Service).map(Service.class::cast)
                .anyMatch(s -> s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                        && podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()));
        if (!hasService) {
            problems.add(id + ": no Service selects its pods");
        }
        boolean hasPdb = objects.stream().filter(o -> o instanceof PodDisruptionBudget).map(PodDisruptionBudget.class::cast)
                .anyMatch(p -> selects(p.getSpec().getSelector(), podLabels));
        if (!hasPdb) {
            problems.add(id + ": no PodDisruptionBudget selects its pods");
        }
        boolean hasPolicy = objects.stream().filter(o -> o instanceof NetworkPolicy).map(NetworkPolicy.class::cast)
                .anyMatch(p -> p.getSpec().getPolicyTypes().contains("Ingress") && p.getSpec().getIngress() != null
                        && !p.getSpec().getIngress().isEmpty() && isSpecific(p.getSpec().getPodSelector())
                        && selects(p.getSpec().getPodSelector(), podLabels));
        if (!hasPolicy) {
            problems.add(id + ": no NetworkPolicy of its own allows ingress to its pods");
        }
    }

    /**
     * A stop is SIGTERM, then SIGKILL after the pod's grace period: it must hold the service's whole
     * graceful stop, the drain (QUARKUS_SHUTDOWN_DELAY, readiness down while still serving), the
     * in-flight requests (QUARKUS_SHUTDOWN_TIMEOUT) and its own last work ({@link #STOP_WORK}), each
     * as the container's env or keel-config sets it, else as the service's application.properties.
     */
    private static void checkGracePeriod(String id, String service, PodSpec pod, List<HasMetadata> objects,
                                         List<String> problems) {
        if (!SERVICES.contains(service)) {
            return;
        }
        Properties defaults = applicationProperties(service);
        Map<String, String> config = objects.stream().filter(o -> o instanceof ConfigMap).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals("keel-config")).findFirst()
                .map(ConfigMap::getData).orElse(Map.of());
        Duration stop = STOP_WORK.getOrDefault(service, Duration.ZERO);
        for (String property : List.of("quarkus.shutdown.delay", "quarkus.shutdown.timeout")) {
            String env = property.toUpperCase().replace('.', '_');
            String value = pod.getContainers().stream().flatMap(c -> Optional.ofNullable(c.getEnv()).orElse(List.of()).stream())
                    .filter(e -> e.getName().equals(env) && e.getValue() != null).map(EnvVar::getValue).findFirst()
                    .orElse(config.getOrDefault(env, defaults.getProperty(property, "0s")));
            stop = stop.plus(duration(value));
        }
        long grace = Optional.ofNullable(pod.getTerminationGracePeriodSeconds()).orElse(30L);
        if (grace < stop.toSeconds()) {
            problems.add(id + ": terminationGracePeriodSeconds " + grace + " is shorter than its graceful stop, "
                    + stop.toSeconds() + " s (drain, in-flight requests, last work): the stop would be killed");
        }
    }

    private static Properties applicationProperties(String service) {
        Path file = RepoRoot.get().resolve(service + "-service/src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Duration duration(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long n = Long.parseLong(m.group(1));
        return switch (Optional.ofNullable(m.group(2)).orElse("s")) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static void checkPods(String id, PodSpec pod, Set<String> claimVolumes, boolean probesRequired, List<String> problems) {
        PodSecurityContext podSecurity = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
        List<Container> containers = new ArrayList<>(pod.getContainers());
        Optional.ofNullable(pod.getInitContainers()).ifPresent(containers::addAll);
        for (Container c : containers) {
            String cid = id + ": container " + c.getName();
            if (probesRequired && (c.getStartupProbe() == null || c.getReadinessProbe() == null || c.getLivenessProbe() == null)) {
                problems.add(cid + " lacks a probe (startupProbe="
                        + (c.getStartupProbe() != null) + ", readinessProbe=" + (c.getReadinessProbe() != null)
                        + ", livenessProbe=" + (c.getLivenessProbe() != null) + ")");
            }
            ResourceRequirements r = c.getResources();
            for (String kind : List.of("cpu", "memory")) {
                if (r == null || r.getRequests() == null || !r.getRequests().containsKey(kind)) {
                    problems.add(cid + " has no " + kind + " request");
                }
                if (r == null || r.getLimits() == null || !r.getLimits().containsKey(kind)) {
                    problems.add(cid + " has no " + kind + " limit");
                }
            }
            SecurityContext s = Optional.ofNullable(c.getSecurityContext()).orElse(new SecurityContext());
            Boolean nonRoot = s.getRunAsNonRoot() != null ? s.getRunAsNonRoot() : podSecurity.getRunAsNonRoot();
            Long user = s.getRunAsUser() != null ? s.getRunAsUser() : podSecurity.getRunAsUser();
            if (!Boolean.TRUE.equals(nonRoot) || user == null || user == 0) {
                problems.add(cid + " may run as root (runAsNonRoot=" + nonRoot + ", runAsUser=" + user + ")");
            }
            if (!Boolean.FALSE.equals(s.getAllowPrivilegeEscalation())) {
                problems.add(cid + " allows privilege escalation");
            }
            if (Boolean.TRUE.equals(s.getPrivileged())) {
                problems.add(cid + " is privileged");
            }
            if (!Boolean.TRUE.equals(s.getReadOnlyRootFilesystem())) {
                problems.add(cid + " has a writable root filesystem");
            }
            if (s.getCapabilities() == null || s.getCapabilities().getDrop() == null || !s.getCapabilities().getDrop().contains("ALL")) {
                problems.add(cid + " does not drop ALL capabilities");
            }
            String seccomp = s.getSeccompProfile() != null ? s.getSeccompProfile().getType()
                    : podSecurity.getSeccompProfile() != null ? podSecurity.getSeccompProfile().getType() : null;
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                problems.add(cid + " has no RuntimeDefault seccomp profile");
            }
            List<VolumeMount> mounts = Optional.ofNullable(c.getVolumeMounts()).orElse(List.of());
            for (VolumeMount m : mounts) {
                boolean defined = claimVolumes.contains(m.getName()) || Optional.ofNullable(pod.getVolumes()).orElse(List.of())
                        .stream().anyMatch(v -> v.getName().equals(m.getName()));
                if (!defined) {
                    problems.add(cid + " mounts volume " + m.getName() + ", which the pod does not define");
                }
            }
            if (mounts.stream().noneMatch(m -> m.getMountPath().equals("/tmp"))) {
                problems.add(cid + " has a read-only root filesystem but no writable /tmp");
            }
            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                if (e.getName().equals("KEEL_PREDICTIONS_SPILL_DIR")) {
                    Optional<VolumeMount> spill = mounts.stream()
                            .filter(m -> e.getValue() != null && e.getValue().startsWith(m.getMountPath())).findFirst();
                    if (spill.isEmpty()) {
                        problems.add(cid + ": the prediction-log spill dir " + e.getValue() + " is not on a mounted volume");
                    } else if (!claimVolumes.contains(spill.get().getName())) {
                        problems.add(cid + ": the prediction-log spill dir " + e.getValue() + " is on volume "
                                + spill.get().getName() + ", which is gone with the pod; it needs a volumeClaimTemplate");
                    }
                }
                if (e.getValue() != null && e.getName().matches(".*(PASSWORD|KEY|WEBHOOK).*") && !e.getName().equals("JAVA_TOOL_OPTIONS")) {
                    problems.add(cid + ": " + e.getName() + " has a literal value; take it from a Secret");
                }
            }
        }
    }

    private static void checkHttpProbe(String id, Container c, String kind, Probe probe, String path, List<String> problems) {
        if (probe == null) {
            return;
        }
        if (probe.getHttpGet() == null || !path.equals(probe.getHttpGet().getPath())) {
            problems.add(id + ": container " + c.getName() + " " + kind + " is not an HTTP GET of " + path);
        }
    }

    private static void checkRetrainCronJob(List<HasMetadata> objects, List<String> problems) {
        List<CronJob> jobs = objects.stream().filter(o -> o instanceof CronJob).map(CronJob.class::cast)
                .filter(c -> c.getMetadata().getName().equals("keel-retrain")).toList();
        if (jobs.isEmpty()) {
            problems.add("CronJob keel-retrain is missing");
            return;
        }
        CronJob job = jobs.get(0);
        String schedule = job.getSpec().getSchedule();
        String zone = job.getSpec().getTimeZone();
        boolean utc = zone != null ? Set.of("UTC", "Etc/UTC").contains(zone)
                : schedule.startsWith("CRON_TZ=UTC ") || schedule.startsWith("TZ=UTC ");
        String bare = schedule.replaceFirst("^(CRON_)?TZ=\\S+\\s+", "");
        // hourly (each model's own cron is honoured within the hour) or at least the default firing
        if (!Set.of("0 * * * *", "0 2 * * 0", "0 2 * * SUN").contains(bare) || !utc) {
            problems.add("CronJob keel-retrain: schedule '" + schedule + "' (timeZone " + zone
                    + ") is neither hourly nor Sundays 02:00 UTC");
        }
        Container c = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> args = Optional.ofNullable(c.getArgs()).orElse(List.of());
        if (args.isEmpty() || !Set.of("retrain", "retrain-due").contains(args.get(0))) {
            problems.add("CronJob keel-retrain: arguments " + args + " are not a OneShotJobs command (retrain | retrain-due)");
        }
        if (c.getImage() == null || !c.getImage().contains("keel-training")) {
            problems.add("CronJob keel-retrain: image " + c.getImage() + " is not training-service's");
        }
        if (!"Forbid".equals(job.getSpec().getConcurrencyPolicy())) {
            problems.add("CronJob keel-retrain: concurrencyPolicy should be Forbid");
        }
    }

    private static void checkHpa(List<HasMetadata> objects, List<String> problems) {
        // a replica count in the manifest would reset the autoscaler's choice on every apply
        objects.stream().filter(o -> o instanceof HorizontalPodAutoscaler).map(HorizontalPodAutoscaler.class::cast)
                .forEach(h -> objects.stream().filter(o -> (o instanceof Deployment d && d.getSpec().getReplicas() != null
                                || o instanceof StatefulSet ss && ss.getSpec().getReplicas() != null)
                                && o.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName()))
                        .forEach(d -> problems.add(id(d) + ": sets replicas although HorizontalPodAutoscaler "
                                + h.getMetadata().getName() + " scales it")));
        boolean ok = objects.stream().filter(o -> o instanceof HorizontalPodAutoscaler).map(HorizontalPodAutoscaler.class::cast)
                .anyMatch(h -> "StatefulSet".equals(h.getSpec().getScaleTargetRef().getKind())
                        && "keel-inference".equals(h.getSpec().getScaleTargetRef().getName())
                        && h.getSpec().getMaxReplicas() >= Optional.ofNullable(h.getSpec().getMinReplicas()).orElse(1));
        if (!ok) {
            problems.add("no HorizontalPodAutoscaler scales StatefulSet keel-inference");
        }
    }

    private static void checkNetworkPolicies(List<HasMetadata> objects, List<String> problems) {
        List<NetworkPolicy> policies = objects.stream().filter(o -> o instanceof NetworkPolicy).map(NetworkPolicy.class::cast).toList();
        boolean defaultDeny = policies.stream().anyMatch(p -> !isSpecific(p.getSpec().getPodSelector())
                && p.getSpec().getPolicyTypes().contains("Ingress")
                && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty()));
        if (!defaultDeny) {
            problems.add("no default-deny ingress NetworkPolicy (empty podSelector, no ingress rules)");
        }
        for (Map.Entry<String, Set<String>> e : ALLOWED_CALLERS.entrySet()) {
            Set<String> callers = new TreeSet<>();
            for (NetworkPolicy p : policies) {
                if (!p.getSpec().getPolicyTypes().contains("Ingress") || !selects(p.getSpec().getPodSelector(),
                        Map.of("app.kubernetes.io/name", e.getKey(), "app.kubernetes.io/instance", "keel"))) {
                    continue;
                }
                for (var rule : Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of())) {
                    if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                        callers.add("<anyone>");
                    }
                    for (NetworkPolicyPeer peer : Optional.ofNullable(rule.getFrom()).orElse(List.of())) {
                        if (peer.getIpBlock() != null) {
                            callers.add("ipBlock " + peer.getIpBlock().getCidr());
                        } else if (peer.getPodSelector() != null) {
                            Map<String, String> match = Optional.ofNullable(peer.getPodSelector().getMatchLabels()).orElse(Map.of());
                            callers.add(match.getOrDefault("app.kubernetes.io/name", "pods " + match));
                        }
                    }
                }
            }
            if (!callers.equals(new TreeSet<>(e.getValue()))) {
                problems.add("NetworkPolicies let " + callers + " call " + e.getKey() + "; expected exactly " + new TreeSet<>(e.getValue()));
            }
        }
        boolean inferenceOpen = policies.stream().anyMatch(p -> selects(p.getSpec().getPodSelector(),
                Map.of("app.kubernetes.io/name", "keel-inference", "app.kubernetes.io/instance", "keel"))
                && isSpecific(p.getSpec().getPodSelector()) && p.getSpec().getIngress() != null
                && p.getSpec().getIngress().stream().anyMatch(r -> r.getFrom() == null || r.getFrom().isEmpty()));
        if (!inferenceOpen) {
            problems.add("no NetworkPolicy lets clients reach keel-inference");
        }
        boolean egress = policies.stream().anyMatch(p -> p.getSpec().getPolicyTypes().contains("Egress")
                && p.getSpec().getEgress() != null
                && p.getSpec().getEgress().stream().anyMatch(r -> r.getPorts() != null && r.getPorts().stream()
                        .anyMatch(port -> port.getPort() != null && Objects.equals(port.getPort().getIntVal(), 53)))
                && p.getSpec().getEgress().stream().anyMatch(r -> r.getPorts() != null && r.getPorts().stream()
                        .anyMatch(port -> port.getPort() != null && Objects.equals(port.getPort().getIntVal(), 5432))));
        if (!egress) {
            problems.add("no egress NetworkPolicy allows DNS (53) and PostgreSQL (5432)");
        }
    }

    private static void checkConfig(List<HasMetadata> objects, List<String> problems) {
        Optional<ConfigMap> config = objects.stream().filter(o -> o instanceof ConfigMap).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals("keel-config")).findFirst();
        if (config.isEmpty()) {
            problems.add("ConfigMap keel-config is missing");
            return;
        }
        Map<String, String> data = config.get().getData();
        for (String key : CONFIG_KEYS) {
            if (data == null || data.get(key) == null) {
                problems.add("ConfigMap keel-config lacks " + key);
            }
        }
        if (data == null) {
            return;
        }
        if (data.containsKey("QUARKUS_DATASOURCE_JDBC_URL") && !data.get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://")) {
            problems.add("ConfigMap keel-config: QUARKUS_DATASOURCE_JDBC_URL is not a PostgreSQL JDBC URL");
        }
        for (String service : SERVICES) {
            String key = "KEEL_" + service.toUpperCase() + "_URL";
            if (!data.containsKey(key)) {
                continue;
            }
            URI uri = URI.create(data.get(key));
            boolean resolves = objects.stream().filter(o -> o instanceof Service).map(Service.class::cast)
                    .anyMatch(s -> s.getMetadata().getName().equals(uri.getHost())
                            && s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == uri.getPort()));
            if (!resolves) {
                problems.add("ConfigMap keel-config: " + key + "=" + uri + " names no Service and port of the overlay");
            }
        }
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || labels == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            return false;
        }
        Map<String, String> match = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of());
        return labels.entrySet().containsAll(match.entrySet());
    }

    private static boolean isSpecific(LabelSelector selector) {
        return selector != null && ((selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty())
                || (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()));
    }

    static String id(HasMetadata o) {
        return o.getKind() + " " + o.getMetadata().getName();
    }

    /** Volumes by name, for tests. */
    static Optional<Volume> volume(PodSpec pod, String name) {
        return Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream().filter(v -> v.getName().equals(name)).findFirst();
    }
}
