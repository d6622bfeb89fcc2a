package dev.keel.common.security;

import dev.keel.common.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The caller of the current request, set by {@link ApiKeyFilter}, and the checks a resource makes
 * with it. Inject it into a resource or service:
 *
 * <pre>{@code
 * ProjectRef project = currentCaller.project();   // the project this request acts on
 * currentCaller.require(Role.WRITE);              // or @RequiresRole(Role.WRITE) on the method
 * audit.actor(currentCaller.get().keyName());
 * }</pre>
 */
@RequestScoped
public class CurrentCaller {

    /** The query parameter a bootstrap-key request names its project with. */
    public static final String PROJECT_PARAMETER = "project";
    /** The header alternative to {@link #PROJECT_PARAMETER}. */
    public static final String PROJECT_HEADER = "X-Keel-Project";

    private final ProjectDirectory projects;
    private Caller caller;
    private String requestedProject;
    private ProjectRef resolvedProject;

    public CurrentCaller(ProjectDirectory projects) {
        this.projects = projects;
    }

    void set(Caller caller, String requestedProject) {
        set(caller, requestedProject, null);
    }

    /** As {@link #set(Caller, String)}, with the requested project already looked up (so {@link #project()} need not). */
    void set(Caller caller, String requestedProject, ProjectRef resolvedProject) {
        this.caller = caller;
        this.requestedProject = normalizedProject(requestedProject);
        this.resolvedProject = resolvedProject;
    }

    static String normalizedProject(String requested) {
        return requested == null || requested.isBlank() ? null : requested.strip();
    }

    public boolean isAuthenticated() {
        return caller != null;
    }

    /** The caller; 401 when the request was not authenticated (a path outside {@code keel.auth.protected-paths}). */
    public Caller get() {
        if (caller == null) {
            throw ProblemException.unauthorized("This request carries no verified API key");
        }
        return caller;
    }

    /** The name audit rows record: the key's name, or {@code bootstrap-admin}. */
    public String actor() {
        return get().keyName();
    }

    /** 403 unless the caller's role satisfies {@code role}. */
    public Caller require(Role role) {
        Caller c = get();
        if (!c.has(role)) {
            throw ProblemException.forbidden("This needs the " + role.wireName() + " role; the API key '"
                    + c.keyName() + "' has " + c.role().wireName());
        }
        return c;
    }

    /** 403 unless this is the global bootstrap admin (e.g. to create projects). */
    public Caller requireBootstrapAdmin() {
        Caller c = get();
        if (!c.global()) {
            throw ProblemException.forbidden("Only the bootstrap admin key may do this");
        }
        return c;
    }

    /**
     * The project the request acts on: a project key's own; for the bootstrap key, the one named by
     * {@code ?project=} or {@code X-Keel-Project} (400 naming {@code project} when absent, 404 when
     * unknown). A project key that names another project gets 403.
     */
    public ProjectRef project() {
        Caller c = get();
        if (c.global()) {
            if (requestedProject == null) {
                throw ProblemException.badRequest(PROJECT_PARAMETER, "The bootstrap admin key acts on no project of its own; "
                        + "name one with the query parameter 'project' or the header '" + PROJECT_HEADER + "'");
            }
            if (resolvedProject != null && resolvedProject.name().equals(requestedProject)) {
                return resolvedProject;
            }
            return projects.require(requestedProject);
        }
        if (requestedProject != null && !requestedProject.equals(c.projectName())) {
            throw otherProject(c, requestedProject);
        }
        return new ProjectRef(c.projectId(), c.projectName());
    }

    /** A project named in the path: 403 for a project key of another project, 404 when it does not exist. */
    public ProjectRef project(String name) {
        Caller c = get();
        if (c.global()) {
            return projects.require(name);
        }
        if (!c.projectName().equals(name)) {
            throw otherProject(c, name);
        }
        return new ProjectRef(c.projectId(), c.projectName());
    }

    private static ProblemException otherProject(Caller c, String name) {
        return ProblemException.forbidden("The API key '" + c.keyName() + "' belongs to project '" + c.projectName()
                + "' and cannot act on project '" + name + "'");
    }
}
