package dev.vibed.kube.sandbox;

import dev.vibed.kube.testing.KubeMock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The API makes the agents' token Secret once, with a strong random token, and never replaces it. */
class AgentTokensTest {
    @Test
    void aMissingTokenSecretIsCreatedOnceAndThenKept() {
        try (KubeMock kube = KubeMock.start("vibed-apps")) {
            AgentTokens tokens = new AgentTokens(kube.newClient(), "vibed-apps", AgentTokens.DEFAULT_SECRET, Duration.ZERO, Clock.systemUTC());
            assertThat(tokens.ensureExists()).isTrue();
            String first = tokens.token();
            assertThat(first).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
            AgentTokens another = new AgentTokens(kube.newClient(), "vibed-apps", AgentTokens.DEFAULT_SECRET, Duration.ZERO, Clock.systemUTC());
            assertThat(another.ensureExists()).as("a second replica keeps it").isFalse();
            assertThat(another.token()).isEqualTo(first);
        }
    }
}
