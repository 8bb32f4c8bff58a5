package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentOptionsTest {

    @Test
    void flagsRoundTrip() {
        AgentOptions o = AgentOptions.defaults(Path.of("/srv/ws")).withControlPort(9100).withAppPort(3000)
                .withBind("0.0.0.0").withIsolation(Isolation.BWRAP).withWorkerd(Path.of("/opt/workerd"))
                .withListenTimeout(Duration.ofMillis(1500)).withLimits(256, 2048, 64, 512)
                .withInstallTimeout(Duration.ofSeconds(90)).withStopGrace(Duration.ofSeconds(1))
                .withWarmRuntime("python");
        assertThat(AgentOptions.parse(o.toArgs().toArray(String[]::new))).isEqualTo(o);
    }

    @Test
    void defaultsMatchTheContract() {
        AgentOptions o = AgentOptions.parse(new String[]{"--workspace", "/ws"});
        assertThat(o.controlPort()).isEqualTo(9000);
        assertThat(o.appPort()).isEqualTo(8080);
        assertThat(o.bind()).isEqualTo("127.0.0.1");
        assertThat(o.isolation()).isEqualTo(Isolation.AUTO);
        assertThat(o.listenTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.workerd()).isNull();
        assertThat(o.warmRuntime()).isEqualTo("none");
    }

    @Test
    void equalsFormIsAccepted() {
        assertThat(AgentOptions.parse(new String[]{"--workspace=/ws", "--isolation=none"}).isolation())
                .isEqualTo(Isolation.NONE);
    }

    @Test
    void badFlagsAreNamed() {
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--control-port", "9000"}))
                .hasMessageContaining("--workspace is required");
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--workspace", "/w", "--app-port", "x"}))
                .hasMessageContaining("--app-port must be an integer");
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--workspace", "/w", "--app-port", "0"}))
                .hasMessageContaining("--app-port must be 1..65535");
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--workspace", "/w", "--isolation", "docker"}))
                .hasMessageContaining("--isolation must be none, bwrap or auto");
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--workspace", "/w", "--bogus", "1"}))
                .hasMessageContaining("unknown flag --bogus");
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--workspace"}))
                .hasMessageContaining("--workspace needs a value");
        assertThatThrownBy(() -> AgentOptions.parse(new String[]{"--workspace", "/w", "--warm-runtime", "ruby"}))
                .hasMessageContaining("warm runtime 'ruby' is not one of node, python, none");
    }
}
