package dev.keel.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.agent.config.ConsoleConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How KEEL_CONSOLE_PUBLIC_URL is checked at start and joined to a page's path. */
class ConsoleLinksTest {

    private static ConsoleLinks links(String publicUrl) {
        return new ConsoleLinks(new ConsoleConfig() {
            @Override
            public Optional<String> secret() {
                return Optional.empty();
            }

            @Override
            public Duration sessionTtl() {
                return Duration.ofHours(8);
            }

            @Override
            public boolean secureCookie() {
                return true;
            }

            @Override
            public Optional<String> publicUrl() {
                return Optional.ofNullable(publicUrl);
            }

            @Override
            public String inferenceUrl() {
                return "http://localhost:8080";
            }
        });
    }

    @Test
    void linksJoinThePublicUrlAndThePagesPathWithOneSlash() {
        assertThat(links("https://keel.example.com").alert(7)).contains("https://keel.example.com/console/agent#alert-7");
        assertThat(links(" https://keel.example.com/ ").pendingAction(42))
                .contains("https://keel.example.com/console/agent#pending-42");
        assertThat(links("http://ops.internal:8443/keel//").alert(3)).contains("http://ops.internal:8443/keel/console/agent#alert-3");
        assertThat(links("HTTPS://Keel.Example.com").alert(1)).contains("HTTPS://Keel.Example.com/console/agent#alert-1");
    }

    @Test
    void withoutAPublicUrlThereAreNoLinks() {
        assertThat(links(null).alert(7)).isEmpty();
        assertThat(links("  ").pendingAction(7)).isEmpty();
    }

    @Test
    void aPublicUrlThatIsNotAnAbsoluteHttpUrlStopsTheStartSayingWhy() {
        assertThatThrownBy(() -> links("keel.example.com")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("KEEL_CONSOLE_PUBLIC_URL (keel.console.public-url) must be an absolute http or https URL")
                .hasMessageContaining("'keel.example.com' does not start with http:// or https://");
        assertThatThrownBy(() -> links("/console")).hasMessageContaining("does not start with http:// or https://");
        assertThatThrownBy(() -> links("ftp://keel.example.com")).hasMessageContaining("does not start with http:// or https://");
        assertThatThrownBy(() -> links("https://keel example.com")).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> links("https:///console")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> links("https:keel.example.com")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> links("https://keel.example.com/?team=ml")).hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> links("https://keel.example.com/#top")).hasMessageContaining("query or fragment");
    }

    @Test
    void aPasswordInThePublicUrlIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> links("https://ops:hunter2@keel.example.com")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("user name or password").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> links("ftp://ops:hunter2@keel.example.com")).as("whatever else is wrong with it")
                .hasMessageContaining("user name or password").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> links("ops:hunter2@keel.example.com")).as("without a scheme")
                .hasMessageContaining("user name or password").hasMessageNotContaining("hunter2");
    }
}
