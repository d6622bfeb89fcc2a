package dev.keel.agent.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With KEEL_CONSOLE_PUBLIC_URL set, webhook messages carry an absolute link to the console page of
 * the alert or of the proposal, and that page shows it. (Unset, the messages keep their text: ActionsTest.)
 */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
@TestProfile(WebhookConsoleLinksTest.PublicUrl.class)
class WebhookConsoleLinksTest {

    /** A public URL with a trailing slash, which the links must not double. */
    public static class PublicUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keel.console.public-url", "https://keel.example.com/");
        }
    }

    private static final Pattern LINK = Pattern.compile("In the console: (\\S+?)\"");
    private static final Pattern APPROVAL_LINK = Pattern.compile("or in the console: (\\S+?)\"");

    @Inject
    DataSource dataSource;

    @InjectDownstream
    Downstream stubs;

    Fixtures f;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "links");
    }

    /** The only delivered message about {@code model} that contains {@code marker}. */
    private String delivered(String model, String marker) {
        Fixtures.await("the webhook to deliver '" + marker + "' for " + model,
                () -> stubs.webhook.deliveredMentioning(model).stream().anyMatch(b -> b.contains(marker)));
        List<String> bodies = stubs.webhook.deliveredMentioning(model).stream().filter(b -> b.contains(marker)).toList();
        assertThat(bodies).hasSize(1);
        return bodies.get(0);
    }

    private static String link(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        assertThat(m.find()).as("a console link in " + body).isTrue();
        return m.group(1);
    }

    @Test
    void aNewAlertsMessageLinksToItsRowOnTheConsolesAgentPage() {
        String model = Fixtures.model("alert-link");
        long alert = f.signal("{\"kind\": \"data_quality\", \"model_name\": \"" + model
                        + "\", \"evidence\": {\"invalid_rate\": 0.1}}").extract().jsonPath()
                .getLong("actions.find { it.action == 'send_alert' }.alert_id");

        String body = delivered(model, "[WARNING] Data quality in " + model);
        String link = link(LINK, body);
        assertThat(link).isEqualTo("https://keel.example.com/console/agent#alert-" + alert);
        assertThat(body).endsWith("\\nIn the console: " + link + "\"}");

        URI uri = URI.create(link);
        String html = ConsoleTest.page(ConsoleTest.session(f.project.readKey()), uri.getPath()).then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("id=\"" + uri.getFragment() + "\"").contains(model);
    }

    @Test
    void aRequestForApprovalLinksToTheProposalOnTheConsolesAgentPage() {
        String model = Fixtures.model("approval-link");
        JsonPath d = f.signal("{\"kind\": \"low_confidence\", \"model_name\": \"" + model
                + "\", \"evidence\": {\"low_confidence_share\": 0.6}}").extract().jsonPath();
        long id = d.getLong("actions.find { it.action == 'retrain_model' }.id");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.status")).isEqualTo("pending_approval");

        String body = delivered(model, "Approval needed");
        // the API's path stays, the console's link follows it
        assertThat(body).contains("Approve or reject: POST /api/v1/agent/actions/" + id + "/approve | /reject\\nor in the console: ");
        String link = link(APPROVAL_LINK, body);
        assertThat(link).isEqualTo("https://keel.example.com/console/agent#pending-" + id);

        URI uri = URI.create(link);
        String html = ConsoleTest.page(ConsoleTest.session(f.project.approverKey()), uri.getPath()).then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("id=\"" + uri.getFragment() + "\"").contains("id=\"approve-" + id + "\"");
    }
}
