package dev.vibed.standalone.auth;

import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthSettings;
import dev.vibed.api.auth.RequestCallers;
import dev.vibed.api.auth.UnauthorizedProblem;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import dev.vibed.core.json.Jsons;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.RunningStandalone;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's authorization-code login against a real issuer, driven as a browser would (redirects followed by
 * hand, cookies sent back): PKCE and state, the session cookie, and what the cookie may and may not do.
 */
class DashboardLoginTest {
    static final String CLIENT = "vibed-dashboard";

    @TempDir
    static Path data;
    static MockOAuth2Server issuer;
    static Standalone vibed;
    static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        issuer = new MockOAuth2Server();
        issuer.start(InetAddress.getByName("127.0.0.1"), 0);
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static"))
                .withAuth(settings()));
    }

    static AuthSettings settings() {
        return AuthSettings.oidc(issuer.issuerUrl("vibed").uri(), "vibed-api").withClient(CLIENT, "dash-secret")
                .withAdmin("groups", "vibed-admins");
    }

    @AfterAll
    static void stop() {
        if (vibed != null) {
            vibed.close();
        }
        issuer.shutdown();
    }

    /** One login, leg by leg; returns the session cookie ("name=value"). */
    static String logIn(String user) {
        issuer.enqueueCallback(new DefaultOAuth2TokenCallback("vibed", user + "-sub", "JWT", List.of(CLIENT),
                Map.of("preferred_username", user), 3600));
        HttpResponse<String> start = get(vibed.apiUri() + "/auth/login?return_to=/v1/apps", null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(issuer.authorizationEndpointUrl("vibed").toString())
                .contains("client_id=" + CLIENT, "code_challenge_method=S256", "code_challenge=", "state=", "nonce=",
                        "redirect_uri=" + java.net.URLEncoder.encode(vibed.apiUri() + "/auth/callback", java.nio.charset.StandardCharsets.UTF_8));
        String loginCookie = cookie(start, "vibed_login");
        assertThat(setCookie(start, "vibed_login")).contains("HttpOnly", "SameSite=Lax", "Path=/auth");

        HttpResponse<String> atIssuer = get(authorize, null);
        assertThat(atIssuer.statusCode()).as(atIssuer.body()).isEqualTo(302);
        String callback = atIssuer.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(vibed.apiUri() + "/auth/callback?");

        HttpResponse<String> done = get(callback, loginCookie);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location")).hasValue("/v1/apps");
        assertThat(setCookie(done, "vibed_session")).contains("HttpOnly", "SameSite=Lax", "Path=/");
        return cookie(done, "vibed_session");
    }

    @Test
    void aLoggedInBrowserUsesTheApiWithItsSessionCookie() {
        String session = logIn("alice");

        HttpResponse<String> apps = get(vibed.apiUri() + "/v1/apps", session);
        assertThat(apps.statusCode()).as(apps.body()).isEqualTo(200);
        assertThat(get(vibed.apiUri() + "/v1/apps", null).statusCode()).isEqualTo(401);

        String change = vibed.apiUri() + "/v1/apps/zzzzzzzzzzzz/env";
        assertThat(put(change, session, "http://127.0.0.1:" + vibed.port()).statusCode())
                .as("a change from the API's own origin is authenticated (and the app does not exist)").isEqualTo(404);
        assertThat(put(change.replace("127.0.0.1", "localhost"), session, "http://localhost:" + vibed.port()).statusCode())
                .as("the same origin named by the Host it was sent to").isEqualTo(404);
        HttpResponse<String> fromAnApp = put(change, session, "http://abcdefghijkl.localhost:" + vibed.port());
        assertThat(fromAnApp.statusCode()).as("a deployed app's page may not act with the user's cookie").isEqualTo(403);
        assertThat(Jsons.parseObject(fromAnApp.body()).getString("code")).isEqualTo("cross_origin");
        assertThat(put(change, session, null).statusCode()).isEqualTo(403);
    }

    @Test
    void forgedReplayedOrMisdirectedLoginsAreRefused() {
        String session = logIn("bob");
        String[] parts = session.substring(session.indexOf('=') + 1).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"bob\"");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("\"sub\":\"bob\"", "\"sub\":\"alice\"").getBytes(StandardCharsets.UTF_8));
        assertThat(get(vibed.apiUri() + "/v1/apps", "vibed_session=" + parts[0] + "." + forged + "." + parts[2]).statusCode())
                .as("a session cookie rewritten to name another user").isEqualTo(401);
        assertThat(get(vibed.apiUri() + "/v1/apps", "vibed_session=" + parts[0] + "." + parts[1] + ".").statusCode())
                .as("a session cookie without its signature").isEqualTo(401);
        assertThat(get(vibed.apiUri() + "/v1/apps", session).statusCode()).isEqualTo(200);

        HttpResponse<String> start = get(vibed.apiUri() + "/auth/login", null);
        String loginCookie = cookie(start, "vibed_login");
        assertThat(get(vibed.apiUri() + "/v1/apps", "vibed_session=" + loginCookie.substring(loginCookie.indexOf('=') + 1)).statusCode())
                .as("a login cookie is not a session").isEqualTo(401);
        HttpResponse<String> wrongState = get(vibed.apiUri() + "/auth/callback?code=x&state=not-the-state", loginCookie);
        assertThat(wrongState.statusCode()).isEqualTo(400);
        assertThat(Jsons.parseObject(wrongState.body()).getString("code")).isEqualTo("login_state_mismatch");
        HttpResponse<String> noCookie = get(vibed.apiUri() + "/auth/callback?code=x&state=y", null);
        assertThat(Jsons.parseObject(noCookie.body()).getString("code")).isEqualTo("login_expired");
        HttpResponse<String> refused = get(vibed.apiUri() + "/auth/callback?error=access_denied&state=y", loginCookie);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Jsons.parseObject(refused.body()).getString("code")).isEqualTo("login_failed");

        HttpResponse<String> openRedirect = get(vibed.apiUri() + "/auth/login?return_to=//evil.example/", null);
        assertThat(openRedirect.statusCode()).isEqualTo(400);
        assertThat(Jsons.parseObject(openRedirect.body()).getString("code")).isEqualTo("bad_return_to");
    }

    @Test
    void anotherReplicaWithTheSameClientReadsTheSessionAndChecksWebSocketOrigins() {
        String session = logIn("dave");
        RequestCallers replica = Auth.create(settings().withResource(vibed.apiUri()), vibed.apiUri()).callers();

        assertThat(replica.resolveUpgrade(headers("Cookie", session, "Origin", vibed.apiUri().toString())))
                .isEqualTo(Caller.user("dave"));
        assertThatThrownBy(() -> replica.resolveUpgrade(headers("Cookie", session, "Origin", "http://abcdefghijkl.localhost:" + vibed.port())))
                .as("a socket opened by a deployed app's page").isInstanceOfSatisfying(Problem.class,
                        p -> assertThat(p.code()).isEqualTo("cross_origin"));
        assertThatThrownBy(() -> replica.resolveUpgrade(headers("Origin", vibed.apiUri().toString())))
                .isInstanceOf(UnauthorizedProblem.class);
        Auth otherSecret = Auth.create(settings().withClient(CLIENT, "another-secret"), vibed.apiUri());
        assertThatThrownBy(() -> otherSecret.callers().resolveUpgrade(headers("Cookie", session, "Origin", vibed.apiUri().toString())))
                .as("a cookie signed under another client secret").isInstanceOf(UnauthorizedProblem.class);
    }

    private static Headers headers(String... namesAndValues) {
        WritableHeaders<?> h = WritableHeaders.create();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.set(HeaderNames.create(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return h;
    }

    @Test
    void logoutDropsTheSessionCookie() {
        String session = logIn("carol");

        HttpResponse<String> out = get(vibed.apiUri() + "/auth/logout", session);
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(setCookie(out, "vibed_session")).startsWith("vibed_session=;").contains("Expires=Thu, 1 Jan 1970");
    }

    private static HttpResponse<String> get(String url, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b.build());
    }

    private static HttpResponse<String> put(String url, String cookie, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Cookie", cookie)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"env\":{\"A\":\"1\"}}"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest req) {
        try {
            return browser.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String setCookie(HttpResponse<?> res, String name) {
        return res.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + res.headers().map()));
    }

    private static String cookie(HttpResponse<?> res, String name) {
        String header = setCookie(res, name);
        return header.substring(0, header.indexOf(';'));
    }
}
