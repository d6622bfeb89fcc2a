package dev.keel.registry.rest;

import dev.keel.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Common's {@link dev.keel.common.rest.Paging} with the bounds the registry's configuration sets. */
@ApplicationScoped
class Paging {

    private final RegistryConfig config;

    Paging(RegistryConfig config) {
        this.config = config;
    }

    int page(Integer page) {
        return dev.keel.common.rest.Paging.page(page);
    }

    int size(Integer size) {
        return dev.keel.common.rest.Paging.size(size, config.paging().defaultSize(), config.paging().maxSize());
    }
}
