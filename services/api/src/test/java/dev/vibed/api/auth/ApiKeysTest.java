package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key file format: what it accepts, and that every malformed line is refused with its number. */
class ApiKeysTest {
    static final String KEY = "0123456789abcdef-key";

    @Test
    void readsUsersRolesAndComments() {
        ApiKeys keys = ApiKeys.parse("""
                # comment line
                %s alice

                   %s-2   bob   admin,deployer   # trailing comment
                """.formatted(KEY, KEY), "test");

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.find(KEY)).isEqualTo(Caller.user("alice"));
        assertThat(keys.find(KEY + "-2")).isEqualTo(new Caller("bob", Set.of("admin", "deployer")));
        assertThat(keys.find(KEY + "-3")).isNull();
        assertThat(keys.find(KEY.toUpperCase())).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0123456789abcdef-key                    | expected 'KEY USER [ROLE,...]', found 1 field(s)",
            "0123456789abcdef-key alice admin extra  | expected 'KEY USER [ROLE,...]', found 4 field(s)",
            "short alice                             | the key is shorter than 16 characters",
            "0123456789abcdef\"key alice             | the key may only use letters",
            "0123456789abcdef-key al/ice             | the user 'al/ice' must be",
            "0123456789abcdef-key alice Admin        | the role 'Admin' must be lowercase",
            "0123456789abcdef-key alice admin,       | the role '' must be lowercase",
            "0123456789abcdef-key bob                | this key is already given to another line",
    })
    void aMalformedLineIsRefusedWithItsNumber(String line, String why) {
        String text = "# keys\n" + KEY + " alice\n\n" + line.strip() + "\n";

        assertThatThrownBy(() -> ApiKeys.parse(text, "file keys.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("api keys file keys.txt line 4: ")
                .hasMessageContaining(why);
    }

    @Test
    void anEmptySetIsRefused() {
        assertThatThrownBy(() -> ApiKeys.parse("# nothing here\n\n", "env VIBED_API_KEYS"))
                .hasMessageContaining("holds no keys");
    }

    @Test
    void theAuthenticatorWantsABearerKey() {
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(ApiKeys.parse(KEY + " alice admin", "test"));

        assertThat(auth.authenticate("Bearer " + KEY)).isEqualTo(Caller.admin("alice"));
        assertThat(auth.authenticate("bearer   " + KEY + " ")).isEqualTo(Caller.admin("alice"));
        assertThatThrownBy(() -> auth.authenticate(null)).isInstanceOfSatisfying(UnauthorizedProblem.class, p -> {
            assertThat(p.code()).isEqualTo("unauthorized");
            assertThat(p.kind().httpStatus()).isEqualTo(401);
            assertThat(p.challenge()).isEqualTo("Bearer realm=\"vibed\"");
        });
        assertThatThrownBy(() -> auth.authenticate("Bearer")).isInstanceOf(UnauthorizedProblem.class);
        assertThatThrownBy(() -> auth.authenticate("Token " + KEY)).isInstanceOfSatisfying(UnauthorizedProblem.class,
                p -> assertThat(p.challenge()).isEqualTo("Bearer realm=\"vibed\", error=\"invalid_token\""));
    }
}
