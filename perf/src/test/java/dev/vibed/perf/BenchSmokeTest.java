package dev.vibed.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole benchmark harness in a tiny configuration, so it cannot rot: every section must produce numbers
 * that make sense (all deploys served, positive times, traffic through each proxy path). No timing thresholds:
 * performance is judged from {@code ./vibed bench}'s report, not here.
 */
class BenchSmokeTest {
    @Test
    void theHarnessRunsEverySectionAndWritesItsReport(@TempDir Path out) throws Exception {
        for (String tool : List.of("wrk", "caddy", "node", "python3", "tar")) {
            assertThat(Machine.has(tool)).as(tool + " is needed by the benchmark: apt-get install " + tool
                    + " (./vibed test installs wrk and caddy)").isTrue();
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path report = out.resolve("RESULTS.md");
        Bench.Result r = new Bench(new Bench.Options(root, report, 2, List.of(3), 1, List.of("static", "node", "python"), true, List.of(1, 3)))
                .run("--smoke");

        assertThat(r.deployMs()).containsOnlyKeys("static", "node", "python");
        r.deployMs().forEach((t, s) -> {
            assertThat(s.count()).as(t).isEqualTo(2);
            assertThat(s.p50()).as(t).isPositive();
            assertThat(r.bareMs().get(t).p50()).as("bare " + t).isPositive();
        });
        assertThat(r.parallelOk()).containsEntry(3, 3);
        assertThat(r.parallelMs().get(3).count()).isEqualTo(3);
        assertThat(r.proxy()).containsKeys("direct", "embedded proxy", "caddy");
        r.proxy().forEach((path, w) -> {
            assertThat(w.requestsPerSecond()).as(path).isPositive();
            assertThat(w.p50Ms()).as(path).isPositive();
        });
        assertThat(r.controlPlaneIdleMb()).isPositive();
        assertThat(r.agentMaxMb()).isPositive();
        assertThat(r.slowestStage()).isIn("upload", "inspect", "store", "claim", "inject", "start", "route", "confirm");
        assertThat(Files.readString(report)).contains("## Deploy to URL", "## Parallel deploys", "## Proxy", "## Footprint",
                "Slowest stage: **" + r.slowestStage() + "**");
        // The parallel burst reports vibeD's CPU per deploy (a positive number) and the floor it puts under the p50.
        assertThat(Files.readString(report)).containsPattern("\\| 3 \\| 3/3 \\|[^\\n]*\\| [0-9]+\\.[0-9] \\| [0-9]+ \\| [0-9.]+x \\|");
        assertThat(out.resolve("deploy-latency.png")).isNotEmptyFile();
        assertThat(out.resolve("parallel-cdf.png")).isNotEmptyFile();
        assertThat(r.scale()).containsOnlyKeys(1, 3);
        r.scale().values().forEach(p -> {
            assertThat(p.deployMs().count()).isEqualTo(ScaleBench.PROBES);
            assertThat(p.deployMs().p50()).isPositive();
            assertThat(p.routeMeanMs()).isPositive();
            assertThat(p.rssMb()).isPositive();
        });
        assertThat(Files.readString(report)).contains("## Scale");
        assertThat(Files.readAllLines(out.resolve("RESULTS-scale.csv"))).hasSize(3);
        assertThat(out.resolve("scale-latency.png")).isNotEmptyFile();
    }
}
