package dev.vibed.agent;

import dev.vibed.agent.testing.Binaries;
import dev.vibed.agent.testing.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentLauncherTest {
    @TempDir
    Path dir;

    @Test
    void commandRunsAFootprintTunedJvmOnTheAgentsClasspath() {
        AgentOptions opts = AgentOptions.defaults(dir.resolve("ws")).withCacheDir(dir.resolve("cache"));
        List<String> cmd = AgentLauncher.command(Binaries.javaHome(), opts);
        assertThat(cmd.getFirst()).isEqualTo(Binaries.javaHome().resolve("bin/java").toString());
        assertThat(cmd).contains("-XX:+UseSerialGC", "-Xmx48m", "-Xmn2m", "-XX:MaxHeapFreeRatio=30",
                "-XX:-ShrinkHeapInSteps", "-XX:TrimNativeHeapInterval=2000", "-XX:TieredStopAtLevel=1",
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve("cache/agent.jsa"),
                "dev.vibed.agent.AgentMain", "--workspace", dir.resolve("ws").toString());
        String cp = cmd.get(cmd.indexOf("-cp") + 1);
        assertThat(cp.split(":")).allSatisfy(p -> assertThat(Path.of(p)).exists())
                .anyMatch(p -> p.contains("parsson")).anyMatch(p -> p.contains("vibed-core") || p.endsWith("core/target/classes"))
                .anyMatch(p -> p.contains("commons-compress"));
        assertThat(AgentLauncher.command(Binaries.javaHome(), opts.withCacheDir(null)))
                .noneMatch(a -> a.contains("SharedArchive"));
    }

    @Test
    void theAgentRefusesToStartWithoutAToken() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(AgentLauncher.command(Binaries.javaHome(),
                AgentOptions.defaults(dir.resolve("ws")).withControlPort(0))).redirectErrorStream(true);
        pb.environment().remove("VIBED_AGENT_TOKEN");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("no control token");
    }

    @Test
    void aBadFlagIsAUsageErrorReportedByStart() {
        List<String> cmd = new ArrayList<>(AgentLauncher.command(Binaries.javaHome(),
                AgentOptions.defaults(dir.resolve("ws")).withControlPort(0)));
        cmd.add("--frobnicate");
        cmd.add("yes");
        assertThatThrownBy(() -> AgentLauncher.start(cmd, AgentOptions.defaults(dir.resolve("ws")), "t0ken",
                dir.resolve("agent.log"), Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited before it was ready (exit code 2)")
                .hasMessageContaining("unknown flag --frobnicate");
    }

    @Test
    void startWaitsForReadyAndTheAgentGetsOnlyAMinimalEnvironment() throws Exception {
        AgentOptions opts = AgentOptions.defaults(dir.resolve("ws")).withControlPort(0)
                .withAppPort(FreePort.find()).withIsolation(Isolation.NONE).withCacheDir(dir.resolve("cache"));
        String firstBoot;
        try (AgentHandle a = AgentLauncher.start(Binaries.javaHome(), opts, "s3cret-token", dir.resolve("a.log"),
                Duration.ofSeconds(30))) {
            assertThat(a.controlPort()).isPositive();
            assertThat(a.bootId()).isNotBlank();
            assertThat(a.toString()).doesNotContain("s3cret-token");
            List<String> env = Arrays.asList(Files.readString(Path.of("/proc/" + a.pid() + "/environ"))
                    .split("\0"));
            assertThat(String.join("\n", env)).as("the token travels on stdin").doesNotContain("s3cret-token");
            assertThat(Files.readString(Path.of("/proc/" + a.pid() + "/cmdline"))).doesNotContain("s3cret-token");
            assertThat(env).allSatisfy(e -> assertThat(e.substring(0, e.indexOf('=')))
                    .isIn("PATH", "LANG", "TZ", "TMPDIR", "VIBED_WORKERD"));
            firstBoot = a.bootId();
            a.close();
            assertThat(a.process().isAlive()).isFalse();
        }
        assertThat(Files.readString(dir.resolve("a.log"))).contains("vibed-agent ready control=");
        try (AgentHandle b = AgentLauncher.start(Binaries.javaHome(), opts, "s3cret-token", dir.resolve("b.log"),
                Duration.ofSeconds(30))) {
            assertThat(b.bootId()).isNotEqualTo(firstBoot);
        }
    }
}
