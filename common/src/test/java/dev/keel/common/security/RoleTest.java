package dev.keel.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void readWriteAndAdminAreOrderedAndAdminMayDoEverything() {
        assertThat(Role.READ.satisfies(Role.READ)).isTrue();
        assertThat(Role.READ.satisfies(Role.WRITE)).isFalse();
        assertThat(Role.WRITE.satisfies(Role.READ)).isTrue();
        assertThat(Role.WRITE.satisfies(Role.ADMIN)).isFalse();
        for (Role required : Role.values()) {
            assertThat(Role.ADMIN.satisfies(required)).as(required.wireName()).isTrue();
        }
    }

    @Test
    void anApproverReadsAndApprovesButDoesNotWrite() {
        assertThat(Role.APPROVER.satisfies(Role.READ)).isTrue();
        assertThat(Role.APPROVER.satisfies(Role.APPROVER)).isTrue();
        assertThat(Role.APPROVER.satisfies(Role.WRITE)).isFalse();
        assertThat(Role.WRITE.satisfies(Role.APPROVER)).isFalse();
    }

    @Test
    void rolesAreNamedInLowerCaseOnTheWire() {
        assertThat(Role.fromWireName("approver")).contains(Role.APPROVER);
        assertThat(Role.fromWireName("ADMIN")).isEmpty();
        assertThat(Role.WRITE.wireName()).isEqualTo("write");
    }
}
