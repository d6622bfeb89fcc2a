package dev.keel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;

import dev.keel.common.testing.TestDatabase;
import dev.keel.system.KeelSuite.Service;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through its chromedriver) against the five
 * services as processes: a person signs in with their project key, uploads a CSV and sees its
 * validation, trains and watches the progress to the end, deploys the winner, predicts with it and
 * sees why, then an approver signs in and approves the agent's proposal. Every page is screenshotted
 * into {@code docs/console/}, which the console's README shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserSystemTest {

    private static final Logger LOG = Logger.getLogger(ConsoleBrowserSystemTest.class.getName());
    private static final Path CHROMIUM = Path.of(System.getProperty("keel.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("keel.chromedriver", "/usr/bin/chromedriver"));
    private static final String MODEL = "heart-disease";

    private static TestDatabase database;
    private static KeelSuite suite;
    private static ChromeDriver browser;
    private static Path shots;
    private static Path csv;
    private static String project;
    private static String writeKey;
    private static String approverKey;

    @BeforeAll
    static void startTheSuiteAndTheBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (the README's set-up installs them)");
        database = TestDatabase.create("keel_console_");
        project = "console-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String adminKey = "console-admin-" + HexFormat.of().formatHex(secret);

        Map<Service, Map<String, String>> env = new EnumMap<>(Service.class);
        env.put(Service.INFERENCE, Map.of("KEEL_INFERENCE_POLL_INTERVAL", "1s", "KEEL_PREDICTIONS_SPILL_DIR", "spill"));
        // a gate no model passes keeps the trained version in staging, so the person deploys it in the console
        env.put(Service.TRAINING, Map.of("KEEL_TRAINING_INSTANCE_ID", "console-test", "KEEL_TRAINING_SEARCH_FOLDS", "3",
                "KEEL_TRAINING_SEARCH_ROUNDS_SCALE", "0.2", "KEEL_TRAINING_XGBOOST_THREADS", "1",
                "KEEL_TRAINING_GATE_MIN_F1", "0.999", "KEEL_TRAINING_SCHEDULE_ENABLED", "false"));
        env.put(Service.DRIFT, Map.of("KEEL_DRIFT_SCHEDULE_ENABLED", "false"));
        env.put(Service.AGENT, Map.of("KEEL_AGENT_SCHEDULE_ENABLED", "false",
                "KEEL_CONSOLE_SECRET", "console-system-test-secret-" + HexFormat.of().formatHex(secret)));
        Map<Service, List<String>> jvm = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            jvm.put(s, new ArrayList<>(List.of(s == Service.TRAINING ? "-Xmx768m" : "-Xmx384m", "-XX:+UseSerialGC")));
        }
        Path target = Path.of(System.getProperty("keel.system.work", "target/system-run")).toAbsolutePath().getParent();
        suite = KeelSuite.withFreePorts(new KeelSuite.Settings(
                Path.of(System.getProperty("keel.system.root", "..")).toAbsolutePath().normalize(),
                target.resolve("console-logs"), target.resolve("console-run"), database.jdbcUrl(), database.username(),
                database.password(), adminKey, env, jvm));
        suite.start();
        suite.awaitReady(Duration.ofMinutes(4));

        given().spec(rest(Service.REGISTRY, adminKey)).body(Map.of("name", project, "gate_thresholds", Map.of("f1", 0.6)))
                .post("/api/v1/projects").then().statusCode(201);
        writeKey = key(adminKey, "data-scientist", "write");
        approverKey = key(adminKey, "on-call", "approver");

        csv = target.resolve("heart-disease.csv");
        Files.writeString(csv, given().spec(rest(Service.TRAINING, writeKey)).accept("text/csv")
                .queryParam("rows", 600).queryParam("seed", 7)
                .get("/api/v1/synthetic/heart-disease").then().statusCode(200).extract().asString());

        shots = Path.of(System.getProperty("keel.system.screenshots", "target/screenshots")).toAbsolutePath().normalize();
        Files.createDirectories(shots);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("keel-chromium"), "--window-size=1280,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (suite != null) {
                suite.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    @Order(1)
    void signInUploadTrainWatchAndDeploy() throws Exception {
        open("/console/training");
        assertThat(browser.getCurrentUrl()).contains("/console/login?next=");
        screenshot("01-sign-in");
        signIn(writeKey);
        assertThat(awaitUrl(url -> url.endsWith("/console/training"))).endsWith("/console/training");
        assertThat(text()).contains("key data-scientist (write)").contains("No runs yet");

        browser.findElement(By.id("up-file")).sendKeys(csv.toString());
        browser.findElement(By.id("up-name")).sendKeys("heart-pilot");
        submit(By.id("up-file"));
        assertThat(awaitUrl(url -> url.contains("/console/training/datasets/"))).contains("/console/training/datasets/");
        assertThat(text()).contains("Dataset “heart-pilot”").contains("trainable").contains("Class balance").contains("600");
        screenshot("02-dataset-validation");

        WebElement name = browser.findElement(By.id("run-model"));
        name.clear();
        name.sendKeys(MODEL);
        for (WebElement family : browser.findElements(By.name("families"))) {
            if (!"gradient_boosting".equals(family.getAttribute("value")) && family.isSelected()) {
                family.click();
            }
        }
        new Select(browser.findElement(By.id("run-strategy"))).selectByValue("grid");
        browser.findElement(By.id("run-budget")).sendKeys("3");
        submit(By.id("run-model"));
        String runPage = awaitUrl(url -> url.contains("/console/training/runs/"));
        assertThat(runPage).contains("/console/training/runs/");

        // watch: the page refreshes itself; read it each second until the run ends
        Set<String> seen = new LinkedHashSet<>();
        boolean progressShot = false;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        String status;
        while (true) {
            browser.get(runPage);
            status = browser.findElement(By.id("run-status")).getText();
            String progress = browser.findElement(By.id("run-progress")).getAttribute("value");
            seen.add(status + " " + progress);
            if (!progressShot && "running".equals(status)) {
                screenshot("03-run-progress");
                progressShot = true;
            }
            if (!"queued".equals(status) && !"running".equals(status)) {
                break;
            }
            assertThat(Instant.now()).as("the run to finish; seen %s", seen).isBefore(deadline);
            Thread.sleep(1000);
        }
        LOG.info(() -> "Run states seen in the page: " + seen);
        assertThat(seen).as("the page showed the run before it ended").anyMatch(s -> s.startsWith("queued") || s.startsWith("running"));
        assertThat(status).as("kept in staging by the test's gate").isEqualTo("rejected");
        assertThat(text()).contains("Cross-validation by family").contains("gradient_boosting").contains("Confusion matrix")
                .contains("kept in staging").contains("Registered as heart-disease v1");
        screenshot("04-run-results");

        clickAndLoad(browser.findElement(By.id("deploy-winner")));
        assertThat(awaitUrl(url -> url.contains("/console/models/"))).contains("/console/models/" + MODEL);
        assertThat(text()).contains("heart-disease v1 is now in production").contains("data-scientist");
        assertThat(given().spec(rest(Service.REGISTRY, writeKey)).get("/api/v1/models/" + MODEL).then().statusCode(200)
                .extract().jsonPath().getInt("production_version")).isEqualTo(1);
        screenshot("05-model");
        open("/console/models");
        assertThat(text()).contains(MODEL);
        screenshot("06-models");
        open("/console/training");
        assertThat(text()).contains("heart-pilot").contains("#1");
        screenshot("12-training");
    }

    @Test
    @Order(2)
    void predictAndSeeWhy() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().spec(rest(Service.INFERENCE, writeKey)).get("/api/v1/models/" + MODEL).statusCode() == 200);
        open("/console/predict");
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        String[] row = lines.get(1).split(",");
        int filled = 0;
        for (int i = 0; i < header.length; i++) {
            List<WebElement> field = browser.findElements(By.id("f-" + header[i]));
            if (field.isEmpty()) {
                continue; // the target column
            }
            filled++;
            WebElement input = field.get(0);
            if ("select".equals(input.getTagName())) {
                // a 0/1 column is profiled as boolean: its select offers true and false
                boolean bool = !input.findElements(By.cssSelector("option[value='true']")).isEmpty();
                new Select(input).selectByValue(bool ? Boolean.toString("1".equals(row[i])) : row[i]);
            } else {
                input.sendKeys(row[i]);
            }
        }
        assertThat(filled).as("a field per feature, the target aside: %s", text()).isEqualTo(header.length - 1);
        clickAndLoad(browser.findElement(By.id("predict-button")));
        assertThat(browser.findElement(By.id("predicted-class")).getText()).isIn("0", "1");
        List<WebElement> bars = browser.findElements(By.cssSelector("#shap-chart svg rect"));
        assertThat(bars).as("a SHAP bar per feature").hasSizeGreaterThanOrEqualTo(header.length - 1);
        screenshot("07-predict");

        // some traffic with labels, a drift report and quality figures, for the monitoring pages
        JsonPath traffic = given().spec(rest(Service.TRAINING, writeKey)).accept(ContentType.JSON).queryParam("rows", 400)
                .queryParam("seed", 8).queryParam("drift", "age:12,chol:60").get("/api/v1/synthetic/heart-disease").then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> answers = given().spec(rest(Service.INFERENCE, writeKey))
                .body(Map.of("model", MODEL, "instances", traffic.getList("instances"))).post("/api/v1/predict/batch").then()
                .statusCode(200).extract().jsonPath().getList("predictions");
        List<Integer> labels = traffic.getList("labels", Integer.class);
        List<Map<String, Object>> feedback = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            feedback.add(Map.of("request_id", answers.get(i).get("request_id"), "label", labels.get(i)));
        }
        given().spec(rest(Service.INFERENCE, writeKey)).body(Map.of("items", feedback)).post("/api/v1/feedback").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM predictions") >= 401);
        given().spec(rest(Service.DRIFT, writeKey)).body(Map.of("model_name", MODEL, "window", Map.of("last_n", 400)))
                .post("/api/v1/drift/reports").then().statusCode(201);
        given().spec(rest(Service.DRIFT, writeKey)).body(Map.of("model_name", MODEL)).post("/api/v1/performance/compute")
                .then().statusCode(200);

        open("/console/predict");
        assertThat(text()).contains("Recent predictions of heart-disease").contains("data-scientist");
        open("/console/drift");
        assertThat(text()).contains("Reports of heart-disease").contains("Drift score per feature over time");
        screenshot("08-drift");
        open("/console/quality");
        assertThat(text()).contains("Latest buckets").contains("realized");
        screenshot("09-quality");
    }

    @Test
    @Order(3)
    void anApproverApprovesTheAgentsProposal() throws Exception {
        given().spec(rest(Service.AGENT, writeKey)).body(Map.of("kind", "low_confidence", "model_name", MODEL,
                        "evidence", Map.of("low_confidence_share", 0.6)))
                .post("/api/v1/agent/signals").then().statusCode(200);
        // this signal's retrain proposal, or the one drift-service's alert (the drift report above) made first:
        // the agent's cooldown lets only one of them wait for approval
        long id = given().spec(rest(Service.AGENT, writeKey)).queryParam("status", "pending_approval")
                .queryParam("action", "retrain_model").queryParam("model_name", MODEL).get("/api/v1/agent/actions")
                .then().statusCode(200).body("items", not(empty()))
                .extract().jsonPath().getLong("items[0].id");

        open("/console/agent");
        assertThat(text()).contains("Deciding needs the approver role");
        clickAndLoad(browser.findElement(By.xpath("//button[text()='Sign out']")));
        assertThat(awaitUrl(url -> url.contains("/console/login"))).contains("/console/login");
        signIn(approverKey);
        open("/console/agent");
        assertThat(browser.findElement(By.id("pending-" + id)).getText()).contains("retrain_model").contains("heart-disease");
        screenshot("10-agent-pending");

        browser.findElement(By.id("approve-comment-" + id)).sendKeys("approved in the console test");
        clickAndLoad(browser.findElement(By.id("approve-" + id)));
        assertThat(text()).contains("Action #" + id + " (retrain_model) is now");
        assertThat(browser.findElements(By.id("pending-" + id))).isEmpty();
        String status = browser.findElement(By.cssSelector("#action-row-" + id + " [data-status]")).getAttribute("data-status");
        assertThat(status).isNotEqualTo("pending_approval");
        assertThat(count("SELECT count(*) FROM agent_actions WHERE id = " + id + " AND decided_by = 'on-call' "
                + "AND decision_comment = 'approved in the console test'")).isEqualTo(1);
        screenshot("11-agent-decided");
    }

    private static void signIn(String key) {
        browser.findElement(By.id("api_key")).sendKeys(key);
        submit(By.id("api_key"));
    }

    /** Submits the form the element is in, as pressing its button would. */
    private static void submit(By inForm) {
        clickAndLoad(browser.findElement(inForm).findElement(By.xpath("./ancestor::form//button[@type='submit']")));
    }

    /** Clicks a button that loads a page (a form's POST and its redirect) and returns once the new page is there. */
    private static void clickAndLoad(WebElement button) {
        WebElement before = browser.findElement(By.tagName("html"));
        button.click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(driver -> replaced(before));
        wait.until(driver -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    /**
     * Whether the page that held {@code element} has been replaced. Asked mid-navigation, Chrome may
     * answer for the old document's node with "Node with given id does not belong to the document"
     * instead of the stale-element error {@link ExpectedConditions#stalenessOf} waits for (seen once in
     * CI, Chrome 156): both mean the document is a new one.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * The address once it satisfies {@code arrived}: a click on a form's button returns before the
     * POST's redirect has necessarily loaded, so the page is read only after it has.
     */
    private static String awaitUrl(java.util.function.Predicate<String> arrived) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> arrived.test(driver.getCurrentUrl()));
        return browser.getCurrentUrl();
    }

    private static void open(String path) {
        browser.get(suite.url(Service.AGENT) + path);
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** A PNG of the whole page, as tall as its content (Chrome's own capture beyond the viewport). */
    private static void screenshot(String name) throws IOException {
        Number width = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width.intValue(), "height", Math.min(6000, height.intValue()),
                "scale", 1);
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.write(shots.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static RequestSpecification rest(Service service, String key) {
        RequestSpecification spec = given().baseUri(suite.url(service)).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + key);
        return key.startsWith("keel_") ? spec : spec.header("X-Keel-Project", project);
    }

    private static String key(String adminKey, String name, String role) {
        return given().spec(rest(Service.REGISTRY, adminKey)).body(Map.of("name", name, "role", role))
                .post("/api/v1/projects/" + project + "/keys").then().statusCode(201).extract().jsonPath().getString("key");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
