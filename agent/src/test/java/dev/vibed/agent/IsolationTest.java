package dev.vibed.agent;

import dev.vibed.agent.testing.Binaries;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.testing.TarGz;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user process can see and touch under bubblewrap. The app is a probe: it tries everything at start and
 * serves the outcome as JSON.
 */
class IsolationTest {
    @TempDir
    static Path dir;
    static TestAgent agent;
    static Path sibling;
    static JsonObject probe;
    static AgentStatus status;

    private static final String PROBE = """
            const fs = require('fs');
            const http = require('http');
            const out = {};
            const attempt = (name, f) => { try { out[name] = 'ok:' + f(); } catch (e) { out[name] = 'denied:' + e.code; } };
            attempt('writeUsr', () => fs.writeFileSync('/usr/vibed-probe', 'x'));
            attempt('writeEtc', () => fs.writeFileSync('/etc/vibed-probe', 'x'));
            attempt('writeSibling', () => fs.writeFileSync(process.env.SIBLING_DIR + '/written-by-app', 'x'));
            attempt('writeWorkspace', () => fs.writeFileSync(process.env.WORKSPACE + '/written-by-app', 'x'));
            attempt('readSibling', () => fs.readFileSync(process.env.SIBLING_DIR + '/secret.txt', 'utf8'));
            attempt('readAgentEnviron', () => fs.readFileSync('/proc/' + process.env.AGENT_PID + '/environ', 'utf8'));
            attempt('writeOwn', () => { fs.writeFileSync('/app/own.txt', 'mine'); return 'written'; });
            attempt('writeTmp', () => { fs.writeFileSync('/tmp/t.txt', 'tmp'); return 'written'; });
            out.uid = process.getuid();
            out.cwd = process.cwd();
            out.home = process.env.HOME;
            out.hostname = require('os').hostname();
            out.pids = fs.readdirSync('/proc').filter(p => /^[0-9]+$/.test(p));
            out.cmdlines = out.pids.map(p => { try { return fs.readFileSync('/proc/' + p + '/cmdline', 'utf8'); } catch (e) { return ''; } });
            out.environs = out.pids.map(p => { try { return fs.readFileSync('/proc/' + p + '/environ', 'utf8'); } catch (e) { return ''; } });
            out.env = JSON.stringify(process.env);
            out.limits = fs.readFileSync('/proc/self/limits', 'utf8');
            out.rootEntries = fs.readdirSync('/');
            http.createServer((q, s) => s.end(JSON.stringify(out))).listen(Number(process.env.PORT), process.env.HOST);
            """;

    @BeforeAll
    static void start() throws IOException {
        Binaries.bwrap();
        sibling = Files.createDirectories(dir.resolve("other-sandbox"));
        Files.writeString(sibling.resolve("secret.txt"), "other sandbox's secret");
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP));
        agent.deploy(TarGz.create().file("server.js", PROBE), "node", Map.of(
                "SIBLING_DIR", sibling.toString(),
                "WORKSPACE", agent.workspace().toString(),
                "AGENT_PID", Long.toString(agent.handle().pid())));
        probe = agent.appJson("/");
        status = agent.status();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theSystemIsReadOnly() {
        assertThat(probe.getString("writeUsr")).isEqualTo("denied:EROFS");
        assertThat(probe.getString("writeEtc")).startsWith("denied:");
        assertThat(Path.of("/usr/vibed-probe")).doesNotExist();
    }

    @Test
    void otherDirectoriesOfTheHostAreInvisible() {
        assertThat(probe.getString("readSibling")).isEqualTo("denied:ENOENT");
        assertThat(probe.getString("writeSibling")).isEqualTo("denied:ENOENT");
        assertThat(probe.getString("writeWorkspace")).isEqualTo("denied:ENOENT");
        assertThat(sibling.resolve("written-by-app")).doesNotExist();
        assertThat(agent.workspace().resolve("written-by-app")).doesNotExist();
        assertThat(probe.getJsonArray("rootEntries").getValuesAs(JsonString::getString))
                .doesNotContain("work", "root", "home", "var");
    }

    @Test
    void itsOwnWorkspaceAndTmpAreWritable() throws IOException {
        assertThat(probe.getString("writeOwn")).isEqualTo("ok:written");
        assertThat(probe.getString("writeTmp")).isEqualTo("ok:written");
        assertThat(probe.getString("cwd")).isEqualTo("/app");
        assertThat(probe.getString("home")).isEqualTo("/app");
        try (var releases = Files.list(agent.workspace().resolve("releases"))) {
            Path release = releases.findFirst().orElseThrow();
            assertThat(release.resolve("own.txt")).hasContent("mine");
        }
    }

    @Test
    void itSeesOnlyItsOwnProcessesAndRunsUnprivileged() {
        List<String> cmdlines = probe.getJsonArray("cmdlines").getValuesAs(JsonString::getString);
        assertThat(probe.getJsonArray("pids")).hasSizeLessThanOrEqualTo(4);
        assertThat(cmdlines).noneMatch(c -> c.contains("AgentMain") || c.contains("java"));
        assertThat(probe.getString("readAgentEnviron")).startsWith("denied:");
        assertThat(probe.getInt("uid")).isEqualTo(1000);
        assertThat(probe.getString("hostname")).isEqualTo("vibed");
    }

    @Test
    void theControlTokenIsNowhereInTheSandbox() {
        assertThat(probe.getString("env")).doesNotContain(agent.token()).doesNotContain("VIBED_AGENT_TOKEN");
        assertThat(probe.getJsonArray("environs").getValuesAs(JsonString::getString))
                .isNotEmpty()
                .noneMatch(e -> e.contains(agent.token()) || e.contains("VIBED_AGENT_TOKEN"));
        assertThat(probe.toString()).doesNotContain(agent.token());
    }

    @Test
    void limitsApply() throws IOException {
        assertThat(probe.getString("limits")).containsPattern("Max open files\\s+1024\\s+1024");
        assertThat(probe.getString("limits")).containsPattern("Max data size\\s+1073741824\\s+1073741824");
        String cgroup = Files.readString(Path.of("/proc/" + status.pid() + "/cgroup"));
        if (cgroupsWritable()) {
            assertThat(cgroup).containsPattern("memory:/.*vibed-agent-" + status.bootId());
            assertThat(cgroup).containsPattern("pids:/.*vibed-agent-" + status.bootId());
        } else {
            assertThat(cgroup).doesNotContain("vibed-agent-");
        }
    }

    /** Whether this host lets us create v1 memory groups under our own (it does as root in hybrid mode). */
    private static boolean cgroupsWritable() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains("memory")) {
                return Files.isWritable(Path.of("/sys/fs/cgroup/memory", parts[2]));
            }
        }
        return false;
    }
}
