package dev.keel.inference.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.inference.config.PredictionLogConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** One writer per process, started with the service and closed (flushed) when it stops. */
public class PredictionLogProducer {

    @Produces
    @Singleton
    @Startup
    PredictionLogWriter writer(DataSource dataSource, ObjectMapper json, PredictionLogConfig config, MeterRegistry meters) {
        return new PredictionLogWriter(dataSource, json, config, meters);
    }

    void close(@Disposes PredictionLogWriter writer) {
        writer.close();
    }
}
