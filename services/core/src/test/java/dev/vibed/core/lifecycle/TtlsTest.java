package dev.vibed.core.lifecycle;

import dev.vibed.core.problem.Problem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TtlsTest {
    @Test
    void parsesTheUsualForms() {
        assertThat(Ttls.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Ttls.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Ttls.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Ttls.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Ttls.parse("0")).isZero();
        assertThatThrownBy(() -> Ttls.parse("soon")).isInstanceOf(Problem.class).hasMessageContaining("24h");
        assertThatThrownBy(() -> Ttls.parse("-5m")).isInstanceOf(Problem.class);
    }

    @Test
    void policyAppliesDefaultAndMaximum() {
        AppPolicy policy = AppPolicy.defaults();
        assertThat(policy.ttl(null)).isEqualTo(Duration.ofHours(24));
        assertThat(policy.ttl("0")).isZero();
        assertThatThrownBy(() -> policy.ttl("400d")).isInstanceOf(Problem.class).hasMessageContaining("maximum");
        AppPolicy strict = new AppPolicy(Duration.ofHours(1), Duration.ofDays(1), false, 5, 10, 1024, policy.archive());
        assertThatThrownBy(() -> strict.ttl("0")).isInstanceOf(Problem.class).hasMessageContaining("must expire");
    }

    @Test
    void envIsValidatedAndMasked() {
        AppPolicy policy = AppPolicy.defaults();
        assertThat(EnvRules.validate(Map.of("API_KEY", "s3cret"), policy)).containsEntry("API_KEY", "s3cret");
        assertThatThrownBy(() -> EnvRules.validate(Map.of("1BAD", "x"), policy)).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> EnvRules.validate(Map.of("PORT", "1"), policy)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> EnvRules.validate(Map.of("VIBED_AGENT_TOKEN", "1"), policy)).hasMessageContaining("reserved");
        assertThat(EnvRules.masked(Map.of("API_KEY", "s3cret"))).containsEntry("API_KEY", EnvRules.MASK).doesNotContainValue("s3cret");
    }
}
