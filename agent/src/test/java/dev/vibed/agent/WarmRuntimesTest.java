package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which plans a warm runtime may run: only those it runs exactly as a bare start would. */
class WarmRuntimesTest {
    private static final Runtimes RUNTIMES = new Runtimes(Path.of("/usr/bin/node"), Path.of("/usr/bin/npm"),
            Path.of("/usr/bin/python3"), null);
    private final WarmRuntimes warm = new WarmRuntimes(List.of(WarmRuntime.Kind.NODE, WarmRuntime.Kind.PYTHON),
            RUNTIMES, null, null, null, null, null, "127.0.0.1", 8080);

    private static LaunchPlan.Command plan(String template, String... argv) {
        return new LaunchPlan.Command(template, List.of(argv), Map.of(), List.of(), Map.of());
    }

    @Test
    void aBareInterpreterOnAFileIsWarm() {
        assertThat(warm.kindFor(plan("node", "/usr/bin/node", "server.js"))).contains(WarmRuntime.Kind.NODE);
        assertThat(warm.kindFor(plan("node", "/usr/bin/node", "src/index.mjs", "--port", "1")))
                .contains(WarmRuntime.Kind.NODE);
        assertThat(warm.kindFor(plan("python", "/usr/bin/python3", "app.py"))).contains(WarmRuntime.Kind.PYTHON);
    }

    @Test
    void everythingElseStartsCold() {
        assertThat(warm.kindFor(plan("node", "/usr/bin/npm", "start"))).isEmpty();
        assertThat(warm.kindFor(plan("node", "/usr/bin/node", "--inspect", "server.js"))).isEmpty();
        assertThat(warm.kindFor(plan("python", "/usr/bin/python3", "-m", "uvicorn", "main:app"))).isEmpty();
        assertThat(warm.kindFor(plan("python", "/app/.venv/bin/python", "app.py"))).isEmpty();
        assertThat(warm.kindFor(plan("workerd", "/opt/workerd", "serve", "config.capnp"))).isEmpty();
        LaunchPlan.Step install = new LaunchPlan.Step("npm install", List.of("/usr/bin/npm", "install"));
        assertThat(warm.kindFor(new LaunchPlan.Command("node", List.of("/usr/bin/node", "server.js"), Map.of(),
                List.of(install), Map.of()))).isEmpty();
        assertThat(warm.kindFor(new LaunchPlan.Command("node", List.of("/usr/bin/node", "server.js"), Map.of(),
                List.of(), Map.of(), install))).isEmpty();
    }

    @Test
    void onlyTheConfiguredRuntimeIsWarm() {
        WarmRuntimes nodeOnly = new WarmRuntimes(List.of(WarmRuntime.Kind.NODE), RUNTIMES, null, null, null, null,
                null, "127.0.0.1", 8080);
        assertThat(nodeOnly.kindFor(plan("python", "/usr/bin/python3", "app.py"))).isEqualTo(Optional.empty());
    }

    @Test
    void theEnvAnInterpreterReadsAtStartupIsKnown() {
        assertThat(WarmRuntime.Kind.NODE.readsAtStartup("NODE_OPTIONS")).isTrue();
        assertThat(WarmRuntime.Kind.NODE.readsAtStartup("NODE_ENV")).isFalse();
        assertThat(WarmRuntime.Kind.NODE.readsAtStartup("UV_THREADPOOL_SIZE")).isTrue();
        assertThat(WarmRuntime.Kind.NODE.readsAtStartup("PYTHONPATH")).isFalse();
        assertThat(WarmRuntime.Kind.PYTHON.readsAtStartup("PYTHONPATH")).isTrue();
        assertThat(WarmRuntime.Kind.PYTHON.readsAtStartup("LC_ALL")).isTrue();
        assertThat(WarmRuntime.Kind.PYTHON.readsAtStartup("DATABASE_URL")).isFalse();
    }
}
