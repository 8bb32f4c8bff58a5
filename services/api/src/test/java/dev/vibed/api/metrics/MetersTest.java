package dev.vibed.api.metrics;

import dev.vibed.core.deploy.DeployStage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus text Micrometer renders for our meters: histogram names, kept metric names, live label sets. */
class MetersTest {
    @Test
    void deploysAndStagesAreHistogramsInSeconds() {
        Meters meters = new Meters();
        meters.deploy("static", "serving", Duration.ofMillis(120));
        meters.deploy("static", "serving", Duration.ofMillis(80));
        meters.stage(DeployStage.CLAIM, Duration.ofMillis(3));

        String text = meters.scrape();
        assertThat(text).contains("# TYPE vibed_deploy_duration_seconds histogram")
                .contains("vibed_deploy_duration_seconds_count{outcome=\"serving\",template=\"static\"} 2")
                .containsPattern("vibed_deploy_duration_seconds_bucket\\{outcome=\"serving\",template=\"static\",le=\"0\\.1\"} 1")
                .containsPattern("vibed_deploy_duration_seconds_sum\\{outcome=\"serving\",template=\"static\"} 0\\.2")
                .contains("vibed_deploy_stage_seconds_count{stage=\"claim\"} 1");
    }

    @Test
    void scrapeTimeReadingsKeepTheirNamesAndDropVanishedLabels() {
        Map<String, Long> phases = new TreeMap<>(Map.of("Ready", 2L, "Failed", 1L));
        long[] claims = {3};
        Meters meters = new Meters().onScrape(m -> m
                .gauge("vibed_apps", "Apps by phase", phases, "phase")
                .counter("vibed_pool_claims_total", "Claims", Map.of("node", claims[0]), "template")
                .gauge("vibed_pool_bound_sandboxes", "Bound", 4));

        String first = meters.scrape();
        assertThat(first).contains("# TYPE vibed_pool_claims_total counter")
                .containsPattern("vibed_pool_claims_total\\{template=\"node\"} 3(\\.0)?\n")
                .containsPattern("vibed_apps\\{phase=\"Failed\"} 1(\\.0)?\n")
                .containsPattern("vibed_pool_bound_sandboxes 4(\\.0)?\n");

        phases.remove("Failed");
        claims[0] = 5;
        String second = meters.scrape();
        assertThat(second).doesNotContain("phase=\"Failed\"")
                .containsPattern("vibed_apps\\{phase=\"Ready\"} 2(\\.0)?\n")
                .containsPattern("vibed_pool_claims_total\\{template=\"node\"} 5(\\.0)?\n");
    }
}
