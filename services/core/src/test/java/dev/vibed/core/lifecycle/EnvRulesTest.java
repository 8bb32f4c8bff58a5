package dev.vibed.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that only ever saw masked env values can send them back to keep them, and change just one. */
class EnvRulesTest {
    @Test
    void aMaskedValueKeepsTheCurrentOneAndEveryOtherValueIsTakenAsItIs() {
        Map<String, String> current = Map.of("TOKEN", "s3cret", "MODE", "dev");
        Map<String, String> sent = Map.of("TOKEN", EnvRules.MASK, "MODE", "prod", "NEW", EnvRules.MASK);

        assertThat(EnvRules.keepingMasked(sent, current))
                .containsExactlyInAnyOrderEntriesOf(Map.of("TOKEN", "s3cret", "MODE", "prod", "NEW", EnvRules.MASK));
    }

    @Test
    void aNameLeftOutIsRemoved() {
        assertThat(EnvRules.keepingMasked(Map.of("A", EnvRules.MASK), Map.of("A", "1", "B", "2"))).isEqualTo(Map.of("A", "1"));
    }
}
