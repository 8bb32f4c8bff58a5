package dev.vibed.agent;

import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.SafeExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InjectWarmupTest {
    @TempDir
    Path tmp;

    private InjectWarmup warmup(Path scratch, ArchiveLimits limits) {
        return new InjectWarmup(new SourceDownloader(Duration.ofSeconds(10)), new SafeExtractor(),
                new EntrypointDetector(Runtimes.detect(null), null, Map.of()), limits, scratch);
    }

    @Test
    void runsTheWholePathAndDeletesItsScratchFolder() throws Exception {
        Path scratch = tmp.resolve("downloads");
        InjectWarmup.Timings t = warmup(scratch, ArchiveLimits.defaults()).run();
        assertThat(t.totalMs()).isGreaterThanOrEqualTo(t.downloadMs() + t.extractMs() + t.serveMs());
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailingStepFailsTheWarmUpAndStillCleansUp() {
        Path scratch = tmp.resolve("downloads");
        // Limits the built-in site cannot meet: the download's size check rejects it.
        ArchiveLimits tiny = new ArchiveLimits(16, 1024, 10, 100);
        assertThatThrownBy(() -> warmup(scratch, tiny).run()).isInstanceOf(ApiException.class)
                .hasMessageContaining("larger than 16 bytes");
        assertThat(scratch.toFile().list()).isEmpty();
    }
}
