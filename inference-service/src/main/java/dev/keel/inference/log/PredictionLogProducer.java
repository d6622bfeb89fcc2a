package dev.keel.inference.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.inference.config.PredictionLogConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * One writer per process, started with the service and closed (flushed) when it stops: on the
 * shutdown event, while the connection pool is still open. A disposer alone runs among the other
 * beans' destruction, in no set order, and the pool could close first, sending every record the
 * writer still held to the spill file instead of the table.
 */
public class PredictionLogProducer {

    @Produces
    @Singleton
    @Startup
    PredictionLogWriter writer(DataSource dataSource, ObjectMapper json, PredictionLogConfig config, MeterRegistry meters) {
        return new PredictionLogWriter(dataSource, json, config, meters);
    }

    void flushOnShutdown(@Observes ShutdownEvent event, PredictionLogWriter writer) {
        writer.close();
    }

    void close(@Disposes PredictionLogWriter writer) {
        writer.close();   // a no-op after the shutdown event; here for containers stopped without one
    }
}
