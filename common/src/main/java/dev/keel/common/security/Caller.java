package dev.keel.common.security;

/**
 * Who made the current request: a project's API key, or the global bootstrap admin (which belongs
 * to no project and may act on all of them; services use it to call each other).
 *
 * @param projectId   the key's project, null for the bootstrap admin
 * @param projectName the key's project, null for the bootstrap admin
 * @param keyName     the key's name, which audit rows record as the actor
 * @param role        what the key may do
 * @param global      whether this is the bootstrap admin
 */
public record Caller(Long projectId, String projectName, String keyName, Role role, boolean global) {

    /** How the bootstrap admin is named in audit rows. */
    public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";

    public static Caller bootstrapAdmin() {
        return new Caller(null, null, BOOTSTRAP_ADMIN, Role.ADMIN, true);
    }

    public static Caller projectKey(long projectId, String projectName, String keyName, Role role) {
        return new Caller(projectId, projectName, keyName, role, false);
    }

    public boolean has(Role required) {
        return role.satisfies(required);
    }

    /** Whether this caller may act inside the named project at all (its role aside). */
    public boolean mayAccess(String project) {
        return global || projectName.equals(project);
    }
}
