package dev.keel.training.service;

import dev.keel.training.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This replica's name in run records and job leases. */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    public WorkerIdentity(TrainingConfig config) {
        this.id = config.instanceId().filter(s -> !s.isBlank()).orElseGet(WorkerIdentity::hostName);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "training-" + ProcessHandle.current().pid();
        }
    }
}
