package dev.keel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the container images are made of, checked in the build files: every service builds with Jib,
 * has a {@code @QuarkusIntegrationTest} for images.yml to run against the shipped artifact, and the
 * parent pom gives every image a non-root user, memory flags and the OCI labels.
 */
class ImagesTest {

    static final Path ROOT = RepoRoot.get();
    static final List<String> SERVICES = List.of("registry-service", "inference-service", "drift-service",
            "training-service", "agent-service");
    private static final Pattern PROPERTY = Pattern.compile("<(quarkus\\.[\\w.-]+|keel\\.[\\w.-]+)>([^<]*)</\\1>");

    @Test
    void everyServiceBuildsItsImageWithJibAndHasAnIntegrationTest() throws IOException {
        for (String service : SERVICES) {
            Path module = ROOT.resolve(service);
            assertThat(Files.readString(module.resolve("pom.xml"))).as(service)
                    .contains("<artifactId>quarkus-container-image-jib</artifactId>")
                    .contains("<artifactId>maven-failsafe-plugin</artifactId>");
            assertThat(integrationTests(module)).as("%s's @QuarkusIntegrationTest classes", service).isNotEmpty();
        }
    }

    @Test
    void theParentPomGivesEveryImageANonRootUserMemoryFlagsAndLabels() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Map<String, String> properties = properties(pom);

        assertThat(Integer.parseInt(properties.get("quarkus.jib.user"))).as("the image's user").isPositive();
        assertThat(properties.get("quarkus.jib.jvm-additional-arguments")).contains("-XX:MaxRAMPercentage=");
        assertThat(properties.get("quarkus.native.additional-build-args")).contains("-R:MaximumHeapSizePercent=");
        assertThat(properties).containsKeys("quarkus.container-image.labels.org.opencontainers.image.source",
                "quarkus.container-image.labels.org.opencontainers.image.revision",
                "quarkus.container-image.labels.org.opencontainers.image.version");
        assertThat(properties.get("quarkus.container-image.labels.org.opencontainers.image.revision")).isEqualTo("${env.GITHUB_SHA}");
        // a plain build makes no image; images.yml asks for one
        assertThat(properties).doesNotContainKey("quarkus.container-image.build");
        // the *IT classes are skipped by default and run in the native profile
        assertThat(pom).contains("<skipITs>true</skipITs>", "<skipITs>false</skipITs>");
    }

    @Test
    void theK8sUserIsTheImagesUser() throws IOException {
        String user = properties(Files.readString(ROOT.resolve("pom.xml"))).get("quarkus.jib.user");

        try (Stream<Path> files = Files.list(ROOT.resolve("k8s/base"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = Pattern.compile("runAsUser: (\\d+)").matcher(Files.readString(f));
                while (m.find()) {
                    assertThat(m.group(1)).as(f.toString()).isEqualTo(user);
                }
            }
        }
    }

    private static List<Path> integrationTests(Path module) throws IOException {
        Path tests = module.resolve("src/test/java");
        try (Stream<Path> files = Files.walk(tests)) {
            return files.filter(p -> p.getFileName().toString().endsWith("IT.java")).filter(p -> {
                try {
                    return Files.readString(p).contains("@QuarkusIntegrationTest");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** quarkus.* and keel.* properties anywhere in the pom (main properties and profiles). */
    private static Map<String, String> properties(String pom) {
        Map<String, String> properties = new TreeMap<>();
        Matcher m = PROPERTY.matcher(pom);
        while (m.find()) {
            properties.put(m.group(1), m.group(2));
        }
        return properties;
    }
}
