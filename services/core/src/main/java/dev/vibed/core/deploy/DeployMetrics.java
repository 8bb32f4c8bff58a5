package dev.vibed.core.deploy;

import java.time.Duration;

/**
 * Port: where the time of each deploy and of its stages goes (a metrics registry). Core measures; the adapter
 * decides how it is exposed.
 */
public interface DeployMetrics {
    DeployMetrics NONE = new DeployMetrics() {
        @Override
        public void stage(DeployStage stage, Duration took) {
        }

        @Override
        public void deploy(String template, String outcome, Duration took) {
        }
    };

    void stage(DeployStage stage, Duration took);

    /** One deploy from its upload's first byte to its answer; {@code outcome} is serving, failed or pending. */
    void deploy(String template, String outcome, Duration took);
}
