package dev.vibed.standalone.auth;

import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthSettings;
import dev.vibed.api.auth.UnauthorizedProblem;
import dev.vibed.core.access.Caller;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.Owners;
import dev.vibed.standalone.testing.RunningStandalone;
import jakarta.json.JsonObject;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Auth mode oidc against a real issuer (mock-oauth2-server: discovery, JWKS, RS256 tokens) and a real standalone:
 * users see only their own apps, the admin group sees all, and every kind of bad token is a 401 that tells the
 * client where to find the issuer.
 */
class OidcAuthTest {
    static final String AUDIENCE = "vibed-api";
    static final String ISSUER_ID = "vibed";

    @TempDir
    static java.nio.file.Path data;
    static MockOAuth2Server issuer;
    static Standalone vibed;
    static Http anonymous;

    @BeforeAll
    static void start() throws IOException {
        issuer = new MockOAuth2Server();
        issuer.start(InetAddress.getByName("127.0.0.1"), 0);
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static"))
                .withAuth(settings()));
        anonymous = new Http(vibed.apiUri());
    }

    @AfterAll
    static void stop() {
        if (vibed != null) {
            vibed.close();
        }
        issuer.shutdown();
    }

    static AuthSettings settings() {
        return AuthSettings.oidc(issuerUri(), AUDIENCE).withAdmin("groups", "vibed-admins");
    }

    static URI issuerUri() {
        return issuer.issuerUrl(ISSUER_ID).uri();
    }

    static String token(String subject, Map<String, Object> claims) {
        return issuer.issueToken(ISSUER_ID, subject, AUDIENCE, claims, 3600).serialize();
    }

    static String user(String name) {
        return token(name + "-sub", Map.of("preferred_username", name));
    }

    @Test
    void eachUserSeesOnlyTheirOwnAppsAndTheAdminGroupSeesAll() {
        Http alice = anonymous.withBearer(user("alice"));
        Http bob = anonymous.withBearer(user("bob"));
        Http admin = anonymous.withBearer(token("root-sub", Map.of("preferred_username", "root", "groups", List.of("staff", "vibed-admins"))));

        Owners.assertEachSeesOnlyTheirOwn(alice, "alice", bob, "bob", admin);
    }

    @Test
    void aTokenMapsToTheConfiguredUserAndAdminClaimsWithoutAnyHttpRequestType() {
        // GraphQL over WebSocket and MCP hand the Authenticator a header value, not a Helidon request.
        Auth auth = Auth.create(settings(), URI.create("http://127.0.0.1:9/"));

        assertThat(auth.authenticator().authenticate("Bearer " + user("alice"))).isEqualTo(Caller.user("alice"));
        assertThat(auth.authenticator().authenticate("Bearer " + token("carol-sub", Map.of())))
                .as("no preferred_username: the subject is used").isEqualTo(Caller.user("carol-sub"));
        assertThat(auth.authenticator().authenticate("bearer " + token("dan-sub", Map.of("preferred_username", "dan", "groups", "vibed-admins"))))
                .as("the admin claim may be a single string").isEqualTo(Caller.admin("dan"));
        assertThat(auth.authenticator().authenticate("Bearer " + token("eve-sub", Map.of("preferred_username", "eve", "groups", List.of("vibed-admins-not")))))
                .isEqualTo(Caller.user("eve"));
        assertThatThrownBy(() -> auth.authenticator().authenticate(null)).isInstanceOf(UnauthorizedProblem.class)
                .hasMessageContaining("Authorization: Bearer");

        Auth byEmail = Auth.create(settings().withUserClaim("email"), URI.create("http://127.0.0.1:9/"));
        assertThat(byEmail.authenticator().authenticate("Bearer " + token("f-sub", Map.of("email", "frank@example.test"))))
                .isEqualTo(Caller.user("frank@example.test"));
    }

    @Test
    void badTokensAre401WithTheBearerChallenge() {
        Instant now = Instant.now();
        Map<String, String> bad = Map.of(
                "expired", issuer.issueToken(ISSUER_ID, "alice-sub", AUDIENCE, Map.of("preferred_username", "alice"), -600).serialize(),
                "wrong audience", issuer.issueToken(ISSUER_ID, "alice-sub", "someone-else", Map.of("preferred_username", "alice"), 3600).serialize(),
                // Signed with the issuer's real key, but claiming to come from elsewhere.
                "wrong issuer", issuer.getConfig().getTokenProvider().jwt(Map.of("iss", "http://127.0.0.1:1/evil", "aud", AUDIENCE,
                        "sub", "alice-sub", "preferred_username", "alice", "exp", Date.from(now.plusSeconds(600))), Duration.ofMinutes(10), ISSUER_ID).serialize(),
                "another issuer's key", issuer.issueToken("elsewhere", "alice-sub", AUDIENCE, Map.of("preferred_username", "alice"), 3600).serialize(),
                "unsigned", unsigned(Map.of("alg", "none")),
                "unsigned with the issuer's key id", unsigned(Map.of("alg", "none", "kid", ISSUER_ID)),
                "signature stripped", stripSignature(user("alice")),
                "not a JWT", "not-a-jwt");

        bad.forEach((what, token) -> {
            Http.Response res = anonymous.withBearer(token).get("/v1/apps");
            assertThat(res.status()).as(what + ": " + res.body()).isEqualTo(401);
            assertThat(res.json().getString("code")).isEqualTo("unauthorized");
            assertThat(res.body()).as("the token is never echoed").doesNotContain(token);
            assertThat(res.headers().firstValue("WWW-Authenticate")).as(what)
                    .hasValue("Bearer realm=\"vibed\", resource_metadata=\"" + vibed.apiUri()
                            + "/.well-known/oauth-protected-resource\", error=\"invalid_token\"");
        });
        assertThat(anonymous.withBearer(user("alice")).get("/v1/apps").status()).as("a good token still works").isEqualTo(200);
    }

    @Test
    void noCredentialsIs401PointingAtTheProtectedResourceMetadata() {
        int apps = vibed.store().list().size();
        Http.Response res = anonymous.get("/v1/apps");

        assertThat(res.status()).isEqualTo(401);
        assertThat(res.json().getString("message")).contains("Authorization: Bearer");
        assertThat(res.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"vibed\", resource_metadata=\"" + vibed.apiUri() + "/.well-known/oauth-protected-resource\"");
        assertThat(anonymous.withAuthorization("Basic YWxpY2U6c2VjcmV0").get("/v1/apps").status()).isEqualTo(401);
        assertThat(anonymous.deploy(Apps.staticSite("x"), null).status()).isEqualTo(401);
        assertThat(vibed.store().list()).as("nothing was deployed without credentials").hasSize(apps);
        assertThat(anonymous.get("/healthz").status()).as("probes stay open").isEqualTo(200);
    }

    @Test
    void protectedResourceMetadataNamesThisApiAndItsIssuer() {
        Http.Response res = anonymous.get("/.well-known/oauth-protected-resource");

        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonObject doc = res.json();
        assertThat(doc.getString("resource")).isEqualTo(vibed.apiUri().toString());
        assertThat(doc.getJsonArray("authorization_servers").getString(0)).isEqualTo(issuerUri().toString());
        assertThat(doc.getJsonArray("bearer_methods_supported").getString(0)).isEqualTo("header");
    }

    @Test
    void anUnreachableIssuerStopsStartUpWithAClearMessage() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        AuthSettings down = AuthSettings.oidc(URI.create("http://127.0.0.1:" + closed + "/vibed"), AUDIENCE);

        assertThatThrownBy(() -> Auth.create(down, URI.create("http://127.0.0.1:9/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OIDC discovery at http://127.0.0.1:" + closed + "/vibed/.well-known/openid-configuration failed");
        assertThatThrownBy(() -> Auth.create(AuthSettings.oidc(URI.create("http://issuer.example/x"), AUDIENCE), URI.create("http://127.0.0.1:9/")))
                .hasMessageContaining("must use https");
        assertThatThrownBy(() -> Auth.create(AuthSettings.oidc(issuerUri(), null), URI.create("http://127.0.0.1:9/")))
                .hasMessageContaining("--oidc-audience");
    }

    private static String unsigned(Map<String, String> header) {
        String h = header.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .reduce((a, b) -> a + "," + b).map(s -> "{" + s + "}").orElseThrow();
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String claims = "{\"iss\":\"" + issuerUri() + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"mallory\","
                + "\"preferred_username\":\"alice\",\"groups\":[\"vibed-admins\"],\"exp\":" + exp + "}";
        return b64(h) + "." + b64(claims) + ".";
    }

    private static String stripSignature(String jwt) {
        return jwt.substring(0, jwt.lastIndexOf('.') + 1);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
