package dev.keel.registry.repository;

import dev.keel.registry.entity.ProjectEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class ProjectRepository implements PanacheRepository<ProjectEntity> {

    public Optional<ProjectEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
