package dev.keel.registry.rest;

import dev.keel.common.problem.ProblemException;
import dev.keel.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks the {@code page} and {@code size} query parameters of list endpoints. */
@ApplicationScoped
class Paging {

    private final RegistryConfig config;

    Paging(RegistryConfig config) {
        this.config = config;
    }

    int page(Integer page) {
        if (page != null && page < 0) {
            throw ProblemException.badRequest("page", "page: must be 0 or more");
        }
        return page == null ? 0 : page;
    }

    int size(Integer size) {
        int max = config.paging().maxSize();
        if (size != null && (size < 1 || size > max)) {
            throw ProblemException.badRequest("size", "size: must be from 1 to " + max);
        }
        return size == null ? config.paging().defaultSize() : size;
    }
}
