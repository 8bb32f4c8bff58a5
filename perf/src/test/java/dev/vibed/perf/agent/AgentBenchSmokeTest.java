package dev.vibed.perf.agent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the agent benchmarks once per mode, so they cannot rot: each must print its table with a row per mode.
 * No timing thresholds: the numbers come from {@code ./vibed bench agent}, not from here.
 */
class AgentBenchSmokeTest {

    @Test
    void warmRuntimeBenchmarkPrintsEveryRuntimeAndMode() throws Exception {
        String out = capture(() -> WarmRuntimeBoot.main(new String[]{"1"}));
        for (String runtime : new String[]{"node", "python"}) {
            for (String mode : new String[]{"bare", "cold", "warm"}) {
                assertThat(out).containsPattern("\\| " + runtime + " \\| " + mode + " \\| [0-9]+ \\|");
            }
        }
    }

    @Test
    void footprintBenchmarkPrintsReadyTimesAndMemory() throws Exception {
        String out = capture(() -> AgentFootprint.main(new String[]{"1"}));
        assertThat(out).contains("| mode | ready p50 / p90 |").containsPattern("\\| this build \\| [0-9]+ / [0-9]+ ms \\|");
    }

    private interface Run {
        void run() throws Exception;
    }

    private static String capture(Run run) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
