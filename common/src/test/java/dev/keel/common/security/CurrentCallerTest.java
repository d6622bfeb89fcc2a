package dev.keel.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.problem.ProblemException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CurrentCallerTest {

    /** Knows one project, "churn", without a database. */
    private static final ProjectDirectory DIRECTORY = new ProjectDirectory(null) {
        @Override
        public Optional<ProjectRef> byName(String name) {
            return "churn".equals(name) ? Optional.of(new ProjectRef(7, "churn")) : Optional.empty();
        }
    };

    private static CurrentCaller with(Caller caller, String requestedProject) {
        CurrentCaller current = new CurrentCaller(DIRECTORY);
        current.set(caller, requestedProject);
        return current;
    }

    @Test
    void aProjectKeyActsOnItsOwnProject() {
        CurrentCaller current = with(Caller.projectKey(7, "churn", "ci", Role.WRITE), null);
        assertThat(current.project()).isEqualTo(new ProjectRef(7, "churn"));
        assertThat(current.project("churn")).isEqualTo(new ProjectRef(7, "churn"));
        assertThat(current.actor()).isEqualTo("ci");
    }

    @Test
    void aProjectKeyNamingAnotherProjectIsForbidden() {
        CurrentCaller current = with(Caller.projectKey(7, "churn", "ci", Role.ADMIN), "fraud");
        assertThatThrownBy(current::project).isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> current.project("fraud"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(current::requireBootstrapAdmin)
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void theBootstrapKeyNamesItsProjectOrGets400() {
        assertThat(with(Caller.bootstrapAdmin(), "churn").project()).isEqualTo(new ProjectRef(7, "churn"));
        assertThatThrownBy(() -> with(Caller.bootstrapAdmin(), null).project())
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("project");
                });
        assertThatThrownBy(() -> with(Caller.bootstrapAdmin(), "nope").project())
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aRoleTooLowIsForbiddenAndNoCallerIsUnauthorized() {
        CurrentCaller reader = with(Caller.projectKey(7, "churn", "dash", Role.READ), null);
        assertThatThrownBy(() -> reader.require(Role.WRITE))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("This needs the write role; the API key 'dash' has read"));
        assertThatThrownBy(() -> new CurrentCaller(DIRECTORY).get())
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
