package dev.vibed.standalone.mcp;

import dev.vibed.api.mcp.McpOptions;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Mcp;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.TwoUsers;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.vibed.standalone.testing.Mcp.auth;
import static dev.vibed.standalone.testing.Mcp.request;
import static dev.vibed.standalone.testing.Mcp.session;
import static dev.vibed.standalone.testing.TwoUsers.ALICE;
import static dev.vibed.standalone.testing.TwoUsers.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The /mcp wire in both eras: sessions, version negotiation, origin and auth checks, malformed JSON-RPC. */
class McpProtocolTest {
    private static final String MODERN = "2026-07-28";

    @TempDir
    static Path data;
    static Standalone vibed;
    static Mcp mcp;

    @BeforeAll
    static void start() throws IOException {
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static")),
                TwoUsers.resolver(), McpOptions.loopback().withSessionIdle(Duration.ofSeconds(2)));
        mcp = new Mcp(vibed.apiUri());
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    private static String toolsList(int id) {
        return request(id, "tools/list", Json.createObjectBuilder().build());
    }

    private static JsonObject modernParams(String version) {
        return Json.createObjectBuilder().add("_meta", Json.createObjectBuilder()
                .add("io.modelcontextprotocol/protocolVersion", version)
                .add("io.modelcontextprotocol/clientInfo", Json.createObjectBuilder().add("name", "t").add("version", "1"))
                .add("io.modelcontextprotocol/clientCapabilities", Json.createObjectBuilder())).build();
    }

    private static Map<String, String> modernHeaders(String token, String method, String version) {
        Map<String, String> h = auth(token);
        h.put("Mcp-Method", method);
        h.put("MCP-Protocol-Version", version);
        return h;
    }

    @Test
    void sessionErrorsAre404ForUnknownEndedOrForeignSessionsAnd400WithoutOne() {
        Mcp.Answer unknown = mcp.post(session(ALICE, "no-such-session"), toolsList(2));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(-32001);

        Map<String, String> noSession = auth(ALICE);
        noSession.put("MCP-Protocol-Version", "2025-06-18");
        Mcp.Answer missing = mcp.post(noSession, toolsList(3));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.last().getJsonObject("error").getString("message")).contains("Mcp-Session-Id");

        String id = mcp.initialize(ALICE, "2025-11-25");
        assertThat(mcp.post(session(ALICE, id), toolsList(4)).result().getJsonArray("tools")).isNotEmpty();
        // Another caller cannot use alice's session, even knowing its id.
        assertThat(mcp.post(session(BOB, id), toolsList(5)).status()).isEqualTo(404);
        assertThat(mcp.send("DELETE", session(BOB, id)).status()).isEqualTo(404);

        assertThat(mcp.send("DELETE", session(ALICE, id)).status()).isEqualTo(200);
        assertThat(mcp.post(session(ALICE, id), toolsList(6)).status()).isEqualTo(404);

        Mcp.Answer get = mcp.send("GET", auth(ALICE));
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
    }

    @Test
    void idleSessionsAreSwept() {
        String id = mcp.initialize(ALICE, "2025-06-18");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> mcp.send("DELETE", session(ALICE, id)).status() == 404);
    }

    @Test
    void versionsAreNegotiatedPerEra() {
        for (String v : new String[]{"2025-03-26", "2025-06-18", "2025-11-25"}) {
            Mcp.Answer a = mcp.post(auth(ALICE), request(1, "initialize", Json.createObjectBuilder()
                    .add("protocolVersion", v).add("capabilities", Json.createObjectBuilder())
                    .add("clientInfo", Json.createObjectBuilder().add("name", "t").add("version", "1")).build()));
            assertThat(a.result().getString("protocolVersion")).isEqualTo(v);
            assertThat(a.header("Mcp-Session-Id")).isNotBlank();
        }
        // A version we do not speak gets our latest session-era one, as the spec says.
        Mcp.Answer old = mcp.post(auth(ALICE), request(1, "initialize", Json.createObjectBuilder()
                .add("protocolVersion", "2024-01-01").add("capabilities", Json.createObjectBuilder())
                .add("clientInfo", Json.createObjectBuilder().add("name", "t").add("version", "1")).build()));
        assertThat(old.result().getString("protocolVersion")).isEqualTo("2025-11-25");

        String id = mcp.initialize(ALICE, "2025-11-25");
        Map<String, String> wrongHeader = session(ALICE, id);
        wrongHeader.put("MCP-Protocol-Version", "2031-01-01");
        assertThat(mcp.post(wrongHeader, toolsList(2)).status()).isEqualTo(400);

        Mcp.Answer discover = mcp.post(modernHeaders(ALICE, "server/discover", MODERN),
                request(3, "server/discover", modernParams(MODERN)));
        assertThat(discover.status()).isEqualTo(200);
        assertThat(discover.result().getJsonArray("supportedVersions").getString(0)).isEqualTo(MODERN);
        assertThat(discover.header("Mcp-Session-Id")).isNull();

        Mcp.Answer list = mcp.post(modernHeaders(ALICE, "tools/list", MODERN), request(4, "tools/list", modernParams(MODERN)));
        assertThat(list.result().getString("resultType")).isEqualTo("complete");
        assertThat(list.result().getJsonNumber("ttlMs").longValue()).isPositive();
        assertThat(list.result().getString("cacheScope")).isEqualTo("public");

        Mcp.Answer future = mcp.post(modernHeaders(ALICE, "tools/list", "2031-01-01"), request(5, "tools/list", modernParams("2031-01-01")));
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.errorCode()).isEqualTo(-32022);

        Mcp.Answer mismatch = mcp.post(modernHeaders(ALICE, "tools/call", MODERN), request(6, "tools/list", modernParams(MODERN)));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.errorCode()).isEqualTo(-32020);
    }

    @Test
    void aForeignOriginIs403AndOurOwnIsServed() {
        Map<String, String> evil = auth(ALICE);
        evil.put("Origin", "http://evil.example");
        assertThat(mcp.post(evil, toolsList(1)).status()).isEqualTo(403);
        Map<String, String> rebinding = session(ALICE, "x");
        rebinding.put("Origin", "http://attacker.localhost.evil:80");
        assertThat(mcp.send("GET", rebinding).status()).isEqualTo(403);

        Map<String, String> local = new LinkedHashMap<>(auth(ALICE));
        local.put("Origin", "http://localhost:" + vibed.port());
        Mcp.Answer ok = mcp.post(local, request(1, "initialize", Json.createObjectBuilder()
                .add("protocolVersion", "2025-11-25").add("capabilities", Json.createObjectBuilder())
                .add("clientInfo", Json.createObjectBuilder().add("name", "t").add("version", "1")).build()));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void malformedJsonRpcGetsTheRightErrorCodes() {
        Mcp.Answer parse = mcp.post(auth(ALICE), "{not json");
        assertThat(parse.status()).isEqualTo(400);
        assertThat(parse.errorCode()).isEqualTo(-32700);

        Mcp.Answer noMethod = mcp.post(auth(ALICE), "{\"jsonrpc\":\"2.0\",\"id\":1,\"params\":{}}");
        assertThat(noMethod.status()).isEqualTo(400);
        assertThat(noMethod.errorCode()).isIn(-32600, -32700);

        String id = mcp.initialize(ALICE, "2025-11-25");
        Mcp.Answer unknownMethod = mcp.post(session(ALICE, id), request(2, "apps/explode", Json.createObjectBuilder().build()));
        assertThat(unknownMethod.errorCode()).isEqualTo(-32601);
        Mcp.Answer unknownTool = mcp.post(session(ALICE, id), request(3, "tools/call", Json.createObjectBuilder()
                .add("name", "no_such_tool").add("arguments", Json.createObjectBuilder()).build()));
        assertThat(unknownTool.last().containsKey("error") || unknownTool.result().getBoolean("isError")).isTrue();

        Mcp.Answer text = mcp.post(Map.of("Authorization", "Bearer " + ALICE, "Content-Type", "text/plain"), toolsList(4));
        assertThat(text.status()).isEqualTo(415);
        // The server keeps serving after all of that.
        assertThat(mcp.post(session(ALICE, id), toolsList(5)).status()).isEqualTo(200);
    }

    @Test
    void noCredentialsIs401WithAChallengeThatPointsAtTheResourceMetadata() {
        Mcp.Answer a = mcp.post(auth(null), toolsList(1));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\"http://127.0.0.1:" + vibed.port()
                + "/.well-known/oauth-protected-resource\"");
        assertThat(mcp.send("GET", session("wrong-token", "x")).status()).isEqualTo(401);
    }
}
