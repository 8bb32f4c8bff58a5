package dev.vibed.standalone.mcp;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.mcp.McpOptions;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.ConformanceFixtures;
import dev.vibed.standalone.testing.McpNodeTools;
import dev.vibed.standalone.testing.RunningStandalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official MCP conformance suite against /mcp, in both eras. The suite exits non-zero on any failure that
 * is not in the committed baseline ({@code conformance-expected-failures.yml}, which says why each entry is
 * there) and on a baseline entry that passes, so a zero exit means every other check passed.
 */
class McpConformanceTest {
    @TempDir
    static Path data;
    static Standalone vibed;

    @BeforeAll
    static void start() throws Exception {
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static")),
                CallerResolver.none(), McpOptions.loopback().withExtraTools(ConformanceFixtures.tools()));
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    @Test
    void revision20260728() throws Exception {
        String out = conformance("--requirements", "2026-07-28");
        assertThat(out).contains("✓ tools-list", "✓ server-sse-multiple-streams", "✓ dns-rebinding-protection",
                "✓ http-header-validation", "✓ tools-call-simple-text", "✓ tools-call-error", "✓ tools-call-with-progress");
    }

    @Test
    void sessionEra20251125() throws Exception {
        String out = conformance("--spec-version", "2025-11-25");
        assertThat(out).contains("✓ server-initialize", "✓ ping", "✓ tools-list", "✓ server-session-lifecycle",
                "✓ server-sse-multiple-streams", "✓ dns-rebinding-protection", "✓ tools-call-with-progress");
    }

    @Test
    void sessionEra20250618() throws Exception {
        String out = conformance("--spec-version", "2025-06-18");
        assertThat(out).contains("✓ server-initialize", "✓ ping", "✓ tools-list", "✓ server-session-lifecycle",
                "✓ tools-call-simple-text", "✓ tools-call-error", "✓ tools-call-with-progress");
        // The suite dates DNS-rebinding protection after 2025-06-18; our endpoint applies it to every version.
        assertThat(conformance("--scenario", "dns-rebinding-protection", "--spec-version", "2025-06-18", "--force"))
                .contains("Passed: 2/2, 0 failed");
    }

    private static String conformance(String... args) throws Exception {
        Path baseline = Path.of(McpConformanceTest.class.getResource("/mcp/conformance-expected-failures.yml").toURI());
        List<String> command = new ArrayList<>(List.of(McpNodeTools.node().toString(),
                McpNodeTools.conformance().resolve("dist/index.js").toString(), "server",
                "--url", vibed.apiUri() + "/mcp", "--expected-failures", baseline.toString(),
                "-o", data.resolve("conformance-" + String.join("-", args).replaceAll("[^a-z0-9-]", "")).toString()));
        command.addAll(List.of(args));
        McpNodeTools.Run run = McpNodeTools.run(command, data, 600);
        String out = (run.stdout() + run.stderr()).replaceAll("\u001B\\[[0-9;]*m", "");
        assertThat(run.exit()).as("conformance %s failed:\n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
