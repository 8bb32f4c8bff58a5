package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The dashboard's login: the OIDC authorization-code flow with PKCE and a nonce. {@code /auth/login} sends the
 * browser to the issuer, {@code /auth/callback} trades the code for an ID token, checks it, and sets the session
 * cookie; {@code /auth/logout} drops it. What the flow must remember between the two legs (state, PKCE verifier,
 * nonce, where to return) travels in a short-lived signed cookie bound to this browser, so any replica can finish it.
 */
final class LoginFlow implements HttpService {
    private static final Logger LOG = Logger.getLogger(LoginFlow.class.getName());
    static final String LOGIN_COOKIE = "vibed_login";
    static final String LOGIN_PURPOSE = "login";
    static final Duration LOGIN_TTL = Duration.ofMinutes(10);
    /** A local path only: never {@code //host} or a scheme, so the login cannot be used as an open redirect. */
    private static final Pattern RETURN_TO = Pattern.compile("^/(?![/\\\\])[^\\s\\\\]{0,512}$");
    private static final Pattern ERROR_CODE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    private final IssuerMetadata issuer;
    private final IssuerTokens tokens;
    private final JwtValidator idTokenClaims;
    private final ClaimMapping claims;
    private final SignedCookies cookies;
    private final SessionCookie sessions;
    private final String clientId;
    private final String clientSecret;
    private final URI redirectUri;
    private final boolean secure;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    LoginFlow(IssuerMetadata issuer, IssuerTokens tokens, ClaimMapping claims, SignedCookies cookies, SessionCookie sessions,
              String clientId, String clientSecret, URI resource, HttpClient http) {
        if (issuer.authorizationEndpoint() == null || issuer.tokenEndpoint() == null) {
            throw new IllegalArgumentException("the issuer's discovery document has no authorization_endpoint or "
                    + "token_endpoint, so --oidc-client-id cannot be used for the dashboard's login");
        }
        this.issuer = issuer;
        this.tokens = tokens;
        // An ID token is for this client: its audience is the client id.
        this.idTokenClaims = OidcAuthenticator.claimChecks(issuer.issuer(), clientId);
        this.claims = claims;
        this.cookies = cookies;
        this.sessions = sessions;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        String base = resource.toString().replaceAll("/+$", "");
        this.redirectUri = URI.create(base + "/auth/callback");
        this.secure = "https".equalsIgnoreCase(resource.getScheme());
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/auth/login", this::login)
                .get("/auth/callback", this::callback)
                .get("/auth/logout", this::logout)
                .post("/auth/logout", this::logout);
    }

    private void login(ServerRequest req, ServerResponse res) {
        String returnTo = req.query().first("return_to").orElse("/");
        if (!RETURN_TO.matcher(returnTo).matches()) {
            throw Problem.badRequest("bad_return_to", "return_to must be a path on this site, such as /apps");
        }
        String state = randomToken();
        String verifier = randomToken();
        String nonce = randomToken();
        res.headers().addCookie(loginCookie(cookies.sign(LOGIN_PURPOSE, LOGIN_TTL,
                Map.of("state", state, "verifier", verifier, "nonce", nonce, "return_to", returnTo)), LOGIN_TTL));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri.toString());
        params.put("scope", "openid profile email");
        params.put("state", state);
        params.put("nonce", nonce);
        params.put("code_challenge", s256(verifier));
        params.put("code_challenge_method", "S256");
        String sep = issuer.authorizationEndpoint().getRawQuery() == null ? "?" : "&";
        redirect(res, issuer.authorizationEndpoint() + sep + form(params));
    }

    private void callback(ServerRequest req, ServerResponse res) {
        Optional<String> error = req.query().first("error").asOptional();
        if (error.isPresent()) {
            String code = ERROR_CODE.matcher(error.get()).matches() ? error.get() : "unknown";
            throw Problem.badRequest("login_failed", "the issuer did not log you in (" + code + "); try again at /auth/login");
        }
        Jwt pending = req.headers().cookies().first(LOGIN_COOKIE).asOptional()
                .flatMap(v -> cookies.read(LOGIN_PURPOSE, v))
                .orElseThrow(() -> Problem.badRequest("login_expired",
                        "this login was not started in this browser or took too long; start again at /auth/login"));
        String state = req.query().first("state").orElse("");
        if (!MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), claim(pending, "state").getBytes(StandardCharsets.UTF_8))) {
            throw Problem.badRequest("login_state_mismatch", "the login's state does not match; start again at /auth/login");
        }
        String code = req.query().first("code").orElseThrow(() -> Problem.badRequest("login_failed",
                "the issuer sent no code; start again at /auth/login"));
        Caller caller;
        try {
            Jwt idToken = tokens.verified(exchange(code, claim(pending, "verifier")), idTokenClaims);
            if (!claim(pending, "nonce").equals(idToken.nonce().orElse(""))) {
                throw new TokenRejected("the ID token's nonce is not this login's");
            }
            caller = claims.caller(idToken);
        } catch (TokenRejected e) {
            throw new Problem(Problem.Kind.UNAUTHORIZED, "login_failed", "the login was not accepted: " + e.getMessage());
        }
        res.headers().addCookie(sessions.issue(caller));
        res.headers().addCookie(SetCookie.builder(LOGIN_COOKIE, "").path("/auth").httpOnly(true).secure(secure)
                .sameSite(SetCookie.SameSite.LAX).expires(java.time.Instant.EPOCH).build());
        LOG.info("auth: " + caller.subject() + " logged in to the dashboard" + (caller.admin() ? " (admin)" : ""));
        redirect(res, claim(pending, "return_to"));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        res.headers().addCookie(sessions.clear());
        redirect(res, "/");
    }

    /** The token request of RFC 6749 section 4.1.3 with the PKCE verifier; returns the ID token. */
    private String exchange(String code, String verifier) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", redirectUri.toString());
        params.put("code_verifier", verifier);
        params.put("client_id", clientId);
        HttpRequest.Builder post = HttpRequest.newBuilder(issuer.tokenEndpoint()).timeout(IssuerMetadata.TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(params)));
        if (clientSecret != null) {
            String basic = encode(clientId) + ":" + encode(clientSecret);
            post.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        JsonObject answer;
        try {
            HttpResponse<InputStream> res = http.send(post.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                byte[] body = in.readNBytes(IssuerMetadata.MAX_DOCUMENT_BYTES);
                if (res.statusCode() != 200) {
                    LOG.warning("auth: the issuer's token endpoint answered HTTP " + res.statusCode() + " to a code exchange");
                    throw new TokenRejected("the issuer refused the code (HTTP " + res.statusCode() + ")");
                }
                answer = jakarta.json.Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof TokenRejected t) {
                throw t;
            }
            throw new Problem(Problem.Kind.UNAVAILABLE, "issuer_unavailable", "the issuer's token endpoint could not be reached; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(Problem.Kind.UNAVAILABLE, "issuer_unavailable", "interrupted");
        }
        if (!(answer.get("id_token") instanceof JsonString idToken)) {
            throw new TokenRejected("the issuer's answer has no id_token (is 'openid' an allowed scope for this client?)");
        }
        return idToken.getString();
    }

    private SetCookie loginCookie(String value, Duration maxAge) {
        return SetCookie.builder(LOGIN_COOKIE, value).path("/auth").httpOnly(true).secure(secure)
                .sameSite(SetCookie.SameSite.LAX).maxAge(maxAge).build();
    }

    private static void redirect(ServerResponse res, String location) {
        res.status(Status.FOUND_302);
        res.header(HeaderNames.LOCATION, location);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    private static String claim(Jwt jwt, String name) {
        return jwt.payloadClaim(name).filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString()).orElse("");
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
