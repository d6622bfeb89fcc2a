package dev.keel.training;

import dev.keel.training.service.OneShotJobs;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.List;

/**
 * Without arguments the service runs until stopped; with arguments it runs one job and exits with
 * its status (see {@link OneShotJobs}): {@code java -jar quarkus-run.jar retrain heart heart-disease}.
 */
@QuarkusMain
public class TrainingMain implements QuarkusApplication {

    private final OneShotJobs jobs;

    public TrainingMain(OneShotJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return jobs.run(List.of(args), System.err);
    }
}
