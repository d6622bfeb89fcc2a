package dev.keel.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy table as the README states it. */
class RemediationPolicyTest {

    private static List<String> plan(IssueKind kind, Severity severity) {
        return RemediationPolicy.plan(kind, severity).stream().map(AgentAction::name).toList();
    }

    @Test
    void everyPlanStartsWithTheAlertSoTheOtherActionsLinkToIt() {
        for (IssueKind kind : IssueKind.values()) {
            for (Severity severity : Severity.values()) {
                assertThat(plan(kind, severity)).first().isEqualTo("send_alert");
            }
        }
    }

    @Test
    void theTableMatchesTheReadme() {
        assertThat(plan(IssueKind.DATA_DRIFT, Severity.INFO)).containsExactly("send_alert");
        assertThat(plan(IssueKind.DATA_DRIFT, Severity.WARNING)).containsExactly("send_alert", "generate_report");
        assertThat(plan(IssueKind.DATA_DRIFT, Severity.CRITICAL)).containsExactly("send_alert", "generate_report", "retrain_model");
        assertThat(plan(IssueKind.PERFORMANCE_DEGRADATION, Severity.WARNING))
                .containsExactly("send_alert", "collect_diagnostics", "retrain_model");
        assertThat(plan(IssueKind.PERFORMANCE_DEGRADATION, Severity.CRITICAL))
                .containsExactly("send_alert", "collect_diagnostics", "rollback_model");
        assertThat(plan(IssueKind.PREDICTION_ANOMALY, Severity.WARNING))
                .containsExactly("send_alert", "collect_diagnostics", "adjust_threshold");
        assertThat(plan(IssueKind.PREDICTION_ANOMALY, Severity.CRITICAL))
                .containsExactly("send_alert", "collect_diagnostics", "rollback_model");
        assertThat(plan(IssueKind.LOW_CONFIDENCE, Severity.WARNING)).containsExactly("send_alert", "collect_diagnostics");
        assertThat(plan(IssueKind.LOW_CONFIDENCE, Severity.CRITICAL))
                .containsExactly("send_alert", "collect_diagnostics", "retrain_model");
        assertThat(plan(IssueKind.DATA_QUALITY, Severity.WARNING)).containsExactly("send_alert", "validate_data");
        assertThat(plan(IssueKind.DATA_QUALITY, Severity.CRITICAL))
                .containsExactly("send_alert", "validate_data", "generate_report");
    }

    @Test
    void onlyRetrainAndRollbackNeedApproval() {
        assertThat(AgentAction.ALL).filteredOn(a -> a.risk().needsApproval()).extracting(AgentAction::name)
                .containsExactly("retrain_model", "rollback_model");
        assertThat(AgentAction.RETRAIN_MODEL.risk()).isEqualTo(Risk.MEDIUM);
        assertThat(AgentAction.ROLLBACK_MODEL.risk()).isEqualTo(Risk.HIGH);
        assertThat(AgentAction.fromName("rollback_model")).contains(AgentAction.ROLLBACK_MODEL);
    }
}
