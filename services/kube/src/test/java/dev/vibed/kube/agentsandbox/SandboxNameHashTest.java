package dev.vibed.kube.agentsandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** agent-sandbox's NameHash is 32-bit FNV-1a as 8 hex digits; published FNV-1a test vectors pin ours to it. */
class SandboxNameHashTest {
    @Test
    void matchesFnv1a32() {
        assertThat(SandboxNameHash.of("")).isEqualTo("811c9dc5");
        assertThat(SandboxNameHash.of("a")).isEqualTo("e40c292c");
        assertThat(SandboxNameHash.of("foobar")).isEqualTo("bf9cf968");
        assertThat(SandboxNameHash.of("static-abcde")).hasSize(8).matches("[0-9a-f]{8}");
    }
}
