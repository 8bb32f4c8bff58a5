package dev.vibed.perf.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale benchmark run tiny, so it cannot rot: with generation-aware filtering on and off, and with the mock API
 * server's stock and indexed stores, every app becomes Ready and both result files are written.
 */
class ReconcileScaleBenchTest {

    @Test
    void aTinyRunConvergesAndWritesTheTableAndTheCsv(@TempDir Path dir) throws Exception {
        var stockAware = new ReconcileScaleBench.Variant(true, false);
        var indexedAware = new ReconcileScaleBench.Variant(true, true);
        var stockUnaware = new ReconcileScaleBench.Variant(false, false);
        List<ReconcileScaleBench.Result> results = ReconcileScaleBench.run(List.of(1, 5), 3, false,
                List.of(stockAware, indexedAware, stockUnaware), 1);
        assertThat(results).extracting(ReconcileScaleBench.Result::apps).containsExactly(1, 1, 1, 5, 5, 5);
        assertThat(results).extracting(ReconcileScaleBench.Result::variant)
                .containsExactly(stockAware, indexedAware, stockUnaware, stockAware, indexedAware, stockUnaware);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.deployMs()).hasSize(3);
            assertThat(r.claimLists()).as("the controller reads claims from its cache").isZero();
        });

        Path md = dir.resolve("scale.md");
        ReconcileScaleBench.write(results, 3, md, "--apps 1,5 --deploys 3");
        assertThat(Files.readString(md)).contains("| 1 | stock | on |").contains("| 5 | indexed | on |")
                .contains("--apps 1,5 --deploys 3");
        assertThat(Files.readAllLines(dir.resolve("scale.csv"))).first().isEqualTo("apps,api,generation_aware,metric,ms");
        assertThat(Files.readAllLines(dir.resolve("scale.csv"))).hasSize(1 + 6 * 5)
                .contains("5,indexed,true,deploy_p50," + results.get(4).percentile(0.5),
                        "5,stock,false,deploy_p50," + results.get(5).percentile(0.5));
    }

    @Test
    void twoPassesMeasureEverySizeUpAndDownAndPoolBothPassesDeploys() throws Exception {
        var indexedAware = new ReconcileScaleBench.Variant(true, true);
        List<ReconcileScaleBench.Result> results = ReconcileScaleBench.run(List.of(1, 4), 2, false, List.of(indexedAware), 2);
        assertThat(results).extracting(ReconcileScaleBench.Result::apps).containsExactly(1, 4);
        assertThat(results).allSatisfy(r -> assertThat(r.deployMs()).as("both passes' deploys").hasSize(4));
    }
}
