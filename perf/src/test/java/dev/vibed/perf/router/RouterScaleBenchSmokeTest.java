package dev.vibed.perf.router;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the scale benchmark at tiny sizes, so that it keeps working; its numbers mean nothing here. */
class RouterScaleBenchSmokeTest {

    @Test
    void theBenchmarkRunsAndWritesBothDesignsAtEverySize() throws Exception {
        Path out = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "scale-").resolve("router-scale.md");
        RouterScaleBench.main(new String[]{"--sizes", "1,3", "--out", out.toString(), "--samples", "2", "--requests", "20", "--spread", "3"});

        String md = Files.readString(out);
        assertThat(md).contains("| 1 | wildcard |", "| 1 | per-app |", "| 3 | wildcard |", "| 3 | per-app |", "bench router --sizes 1,3");
        List<String> csv = Files.readAllLines(ScaleReport.csvPath(out));
        assertThat(csv.getFirst()).isEqualTo("apps,design,metric,ms");
        assertThat(csv).anyMatch(l -> l.startsWith("3,wildcard,first_200_p50,")).anyMatch(l -> l.startsWith("3,per-app,upsert_p50,"));
        // The point of the wildcard: a new Ready app costs Caddy no config write; a per-app route costs at least one.
        assertThat(md).containsPattern("\\| 3 \\| wildcard \\| [0-9.]+ / [0-9.]+ \\| [^|]+ \\| 0 \\|")
                .containsPattern("\\| 3 \\| per-app \\| [0-9.]+ / [0-9.]+ \\| [^|]+ \\| [1-9]");
    }
}
