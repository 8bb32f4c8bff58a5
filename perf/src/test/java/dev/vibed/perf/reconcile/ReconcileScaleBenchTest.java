package dev.vibed.perf.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale benchmark run tiny, so it cannot rot: with generation-aware filtering on and off every app becomes Ready
 * and both result files are written.
 */
class ReconcileScaleBenchTest {

    @Test
    void aTinyRunConvergesAndWritesTheTableAndTheCsv(@TempDir Path dir) throws Exception {
        List<ReconcileScaleBench.Result> results = ReconcileScaleBench.run(List.of(1, 5), 3, false, List.of(true, false));
        assertThat(results).extracting(ReconcileScaleBench.Result::apps).containsExactly(1, 1, 5, 5);
        assertThat(results).extracting(ReconcileScaleBench.Result::generationAware).containsExactly(true, false, true, false);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.deployMs()).hasSize(3);
            assertThat(r.claimLists()).as("the controller reads claims from its cache").isZero();
        });

        Path md = dir.resolve("scale.md");
        ReconcileScaleBench.write(results, 3, md, "--apps 1,5 --deploys 3");
        assertThat(Files.readString(md)).contains("| 1 |").contains("| 5 |").contains("--apps 1,5 --deploys 3");
        assertThat(Files.readAllLines(dir.resolve("scale.csv"))).first().isEqualTo("apps,generation_aware,metric,ms");
        assertThat(Files.readAllLines(dir.resolve("scale.csv"))).hasSize(1 + 4 * 5)
                .contains("5,true,deploy_p50," + results.get(2).percentile(0.5), "5,false,deploy_p50," + results.get(3).percentile(0.5));
    }
}
