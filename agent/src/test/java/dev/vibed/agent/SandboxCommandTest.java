package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxCommandTest {
    private final Path release = Path.of("/ws/releases/1-ab");

    @Test
    void withoutIsolationTheAppRunsDirectlyWithLimits() {
        SandboxCommand s = new SandboxCommand(null, Path.of("/usr/bin/prlimit"), 1024, 0, List.of(), null);
        assertThat(s.wrap(release, "dist", List.of("/usr/bin/node", "server.js"), List.of()))
                .containsExactly("/usr/bin/prlimit", "--nofile=1024:1024", "--core=0", "--",
                        "/usr/bin/node", "server.js");
        assertThat(s.appHome(release)).isEqualTo("/ws/releases/1-ab");
        assertThat(s.appDir(release, "dist")).isEqualTo("/ws/releases/1-ab/dist");
        assertThat(s.hostWorkingDir(release, "dist")).isEqualTo(release.resolve("dist"));
    }

    @Test
    void bubblewrapSeesTheReleaseAsAppAndJoinsTheCgroupFirst() {
        SandboxCommand s = new SandboxCommand(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), 512, 1024,
                List.of(Path.of("/opt/workerd/bin")), Path.of("/ws/hosts"));
        List<String> cmd = s.wrap(release, "", List.of("/usr/bin/python3", "app.py"),
                List.of(Path.of("/cg/memory/x/cgroup.procs"), Path.of("/cg/pids/x/cgroup.procs")));
        assertThat(cmd.subList(0, 6)).containsExactly("/bin/sh", "-c",
                "echo $$ > \"$1\" && echo $$ > \"$2\" && shift 2 && exec \"$@\"", "vibed-cgroup",
                "/cg/memory/x/cgroup.procs", "/cg/pids/x/cgroup.procs");
        assertThat(cmd).containsSubsequence("/usr/bin/prlimit", "--data=1073741824:1073741824", "--",
                "/usr/bin/bwrap", "--unshare-all", "--share-net", "--die-with-parent");
        assertThat(String.join(" ", cmd))
                .contains("--ro-bind /usr /usr")
                .contains("--ro-bind /opt/workerd/bin /opt/workerd/bin")
                .contains("--bind /ws/releases/1-ab /app")
                .contains("--chdir /app --")
                .contains("--tmpfs /tmp")
                .contains("--ro-bind /ws/hosts /etc/hosts")
                .doesNotContain("/etc/hosts /etc/hosts")
                .endsWith("-- /usr/bin/python3 app.py");
        assertThat(s.appHome(release)).isEqualTo("/app");
        assertThat(s.appDir(release, "site")).isEqualTo("/app/site");
    }

    @Test
    void readOnlyExtrasAreMountedAfterThePrivateTmpSoAnInstallUnderTmpStaysVisible() {
        SandboxCommand s = new SandboxCommand(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), 512, 0,
                List.of(Path.of("/tmp/checkout/.tools/workerd/bin")), null);
        List<String> cmd = s.wrap(release, "", List.of("/tmp/checkout/.tools/workerd/bin/workerd", "serve"), List.of());
        assertThat(cmd).containsSubsequence("--tmpfs", "/tmp", "--ro-bind", "/tmp/checkout/.tools/workerd/bin");
    }

    @Test
    void theSandboxHostsFileNamesLocalhostAsIpv4Only() {
        // An IPv4 forward cannot reach an app that resolved "localhost" to ::1 and bound there.
        assertThat(SandboxCommand.HOSTS).contains("127.0.0.1 localhost").doesNotContain("::1");
    }
}
