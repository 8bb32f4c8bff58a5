package dev.vibed.standalone;

import dev.vibed.standalone.testing.RunningStandalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A vibeD that died without shutting down leaves its agents (and their pasta) running; the next start on the same
 * data dir ends them.
 * The first instance is simply never closed before the second starts, which is what a crash looks like to the second.
 * Node and Python keep a warm sandbox each (static sites have none: the shared static host serves them).
 */
class OrphanSweepTest {
    @TempDir
    Path data;

    @Test
    void theNextStartEndsSandboxesLeftByAnEarlierRun() throws Exception {
        Standalone crashed = RunningStandalone.start(data, Set.of("node", "python"));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> agentPids().size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> pids("pasta.pid").size() == 2);
            List<Long> orphans = new java.util.ArrayList<>(agentPids());
            // Their network namespaces' pasta too: they would hold the sandboxes' host ports.
            orphans.addAll(pids("pasta.pid"));
            assertThat(orphans).hasSize(4).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            try (Standalone next = RunningStandalone.start(data, Set.of("node", "python"))) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(orphans)
                        .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(next.poolMetrics().warm()).containsEntry("node", 1).containsEntry("python", 1));
            }
        } finally {
            crashed.close();
        }
    }

    private List<Long> agentPids() throws IOException {
        return pids("agent.pid");
    }

    private List<Long> pids(String file) throws IOException {
        Path sandboxes = data.resolve("sandboxes");
        if (!Files.isDirectory(sandboxes)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(sandboxes)) {
            return dirs.map(d -> d.resolve(file)).filter(Files::exists).map(p -> {
                try {
                    return Long.parseLong(Files.readString(p).trim());
                } catch (IOException | NumberFormatException e) {
                    return -1L;
                }
            }).filter(pid -> pid > 0).toList();
        }
    }
}
