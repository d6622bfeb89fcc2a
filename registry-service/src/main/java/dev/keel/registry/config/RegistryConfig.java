package dev.keel.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The registry's own settings; authentication settings are common's {@code keel.*}. */
@ConfigMapping(prefix = "keel.registry")
public interface RegistryConfig {

    Gate gate();

    Paging paging();

    Evaluation evaluation();

    interface Gate {

        /**
         * Rows of the smoke set the gate predicts before production ({@code KEEL_REGISTRY_GATE_SMOKE_ROWS}).
         * Default 64: enough to reach every feature's edge values and missing values.
         */
        @WithDefault("64")
        int smokeRows();
    }

    interface Paging {

        /** Items per page when a list request names no size ({@code KEEL_REGISTRY_PAGING_DEFAULT_SIZE}). Default 20. */
        @WithDefault("20")
        int defaultSize();

        /** Largest page a client may ask for ({@code KEEL_REGISTRY_PAGING_MAX_SIZE}). Default 200. */
        @WithDefault("200")
        int maxSize();
    }

    interface Evaluation {

        /** Most data rows an evaluation CSV may have ({@code KEEL_REGISTRY_EVALUATION_MAX_ROWS}). Default 1,000,000. */
        @WithDefault("1000000")
        int maxRows();

        /** Most bad cells an evaluation reports before it stops looking ({@code KEEL_REGISTRY_EVALUATION_MAX_ERRORS}). Default 20. */
        @WithDefault("20")
        int maxErrors();
    }
}
