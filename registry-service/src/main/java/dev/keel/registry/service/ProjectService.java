package dev.keel.registry.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.Caller;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.CreateProjectRequest;
import dev.keel.registry.api.ProjectView;
import dev.keel.registry.api.UpdateProjectRequest;
import dev.keel.registry.entity.ProjectEntity;
import dev.keel.registry.mapping.RegistryMapper;
import dev.keel.registry.repository.ProjectRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Projects: the namespaces that own models and API keys. */
@ApplicationScoped
@Transactional
public class ProjectService {

    private static final Logger LOG = Logger.getLogger(ProjectService.class);
    private static final Map<String, Double> DEFAULT_THRESHOLDS = Map.of("f1", 0.75);

    private final ProjectRepository projects;
    private final RegistryMapper mapper;

    public ProjectService(ProjectRepository projects, RegistryMapper mapper) {
        this.projects = projects;
        this.mapper = mapper;
    }

    public ProjectView create(CreateProjectRequest request, String actor) {
        if (projects.findByName(request.name()).isPresent()) {
            throw ProblemException.conflict("Project '" + request.name() + "' already exists");
        }
        ProjectEntity project = new ProjectEntity();
        project.setName(request.name());
        project.setDescription(request.description() == null ? "" : request.description());
        project.setGateThresholds(request.gateThresholds() == null ? DEFAULT_THRESHOLDS
                : GateThresholds.validated("gate_thresholds", request.gateThresholds()));
        project.setCreatedAt(DatabaseTime.now());
        projects.persistAndFlush(project);
        LOG.infof("Project %s created by %s", project.getName(), actor);
        return mapper.project(project);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ProjectView get(ProjectRef ref) {
        return mapper.project(entity(ref));
    }

    /** All projects for the bootstrap admin; a project key sees its own. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ProjectView> list(Caller caller) {
        if (caller.global()) {
            return projects.listAll(io.quarkus.panache.common.Sort.by("name")).stream().map(mapper::project).toList();
        }
        return projects.findByIdOptional(caller.projectId()).map(mapper::project).stream().toList();
    }

    public ProjectView update(ProjectRef ref, UpdateProjectRequest request, String actor) {
        // locked: two PATCHes of different fields would otherwise each write back the other's old values
        ProjectEntity project = projects.findByIdOptional(ref.id(), LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Project", ref.name()));
        if (request.description() != null) {
            project.setDescription(request.description());
        }
        if (request.gateThresholds() != null) {
            project.setGateThresholds(GateThresholds.validated("gate_thresholds", request.gateThresholds()));
            LOG.infof("Gate thresholds of project %s set to %s by %s", project.getName(), project.getGateThresholds(), actor);
        }
        return mapper.project(project);
    }

    private ProjectEntity entity(ProjectRef ref) {
        return projects.findByIdOptional(ref.id()).orElseThrow(() -> ProblemException.notFound("Project", ref.name()));
    }
}
