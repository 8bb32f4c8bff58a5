package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorTest {
    private final Authenticator auth = new Authenticator("s3cret");

    @Test
    void acceptsOnlyTheBearerToken() {
        assertThat(auth.allows("Bearer s3cret")).isTrue();
        assertThat(auth.allows("bearer s3cret")).isTrue();
        assertThat(auth.allows("Bearer s3cre")).isFalse();
        assertThat(auth.allows("Bearer s3cret2")).isFalse();
        assertThat(auth.allows("Basic s3cret")).isFalse();
        assertThat(auth.allows("s3cret")).isFalse();
        assertThat(auth.allows("Bearer ")).isFalse();
        assertThat(auth.allows(null)).isFalse();
    }

    @Test
    void refusesAnEmptyToken() {
        assertThatThrownBy(() -> new Authenticator(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
