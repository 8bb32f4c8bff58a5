package dev.vibed.standalone.mcp;

import dev.vibed.core.deploy.FilesArchive;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.Mcp;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.TwoUsers;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.vibed.standalone.testing.TwoUsers.ALICE;
import static dev.vibed.standalone.testing.TwoUsers.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP tools against a real standalone: the limits of a files map, paths that leave the project, a crashing
 * app reported with its output, the one-time upload, and another owner's app answering not-found on every tool.
 */
class McpToolsTest {
    @TempDir
    static Path data;
    static Standalone vibed;
    static Mcp mcp;
    static Http http;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws IOException {
        // A crash loop is only declared after a few restarts with backoff: on a busy machine that can pass 10 s.
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static", "node"))
                .withDeployWait(Duration.ofSeconds(40)), TwoUsers.resolver(), null);
        mcp = new Mcp(vibed.apiUri());
        http = new Http(vibed.apiUri());
        alice = mcp.initialize(ALICE, "2025-11-25");
        bob = mcp.initialize(BOB, "2025-06-18");
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    private static JsonObject files(Map<String, String> files) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        files.forEach(b::add);
        return b.build();
    }

    private static JsonObject deployArgs(String name, JsonObject files) {
        return Json.createObjectBuilder().add("name", name).add("files", files).build();
    }

    private static String errorText(Mcp.Answer a) {
        JsonObject result = a.result();
        assertThat(result.getBoolean("isError")).as(a.body()).isTrue();
        assertThat(result.containsKey("structuredContent")).isFalse();
        return result.getJsonArray("content").getJsonObject(0).getString("text");
    }

    @Test
    void anOversizedFilesMapIsAToolErrorNamingTheLimit() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= FilesArchive.MAX_FILES; i++) {
            many.put("f" + i + ".html", "x");
        }
        String tooMany = errorText(mcp.callTool(ALICE, alice, "deploy_app", deployArgs("many", files(many))));
        assertThat(tooMany).startsWith("too_many_files:").contains(String.valueOf(FilesArchive.MAX_FILES));

        String big = errorText(mcp.callTool(ALICE, alice, "deploy_app",
                deployArgs("big", files(Map.of("index.html", "x".repeat(FilesArchive.MAX_FILE_BYTES + 1))))));
        assertThat(big).startsWith("file_too_large:").contains("index.html").contains(String.valueOf(FilesArchive.MAX_FILE_BYTES));

        Map<String, String> heavy = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            heavy.put("part" + i + ".html", "y".repeat(FilesArchive.MAX_FILE_BYTES));
        }
        assertThat(errorText(mcp.callTool(ALICE, alice, "deploy_app", deployArgs("heavy", files(heavy)))))
                .startsWith("files_too_large:").contains(String.valueOf(FilesArchive.MAX_TOTAL_BYTES));

        // A body bigger than any acceptable map is refused before it is parsed.
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"deploy_app\",\"arguments\":"
                + "{\"name\":\"huge\",\"files\":{\"a.txt\":\"" + "z".repeat(FilesArchive.MAX_REQUEST_BYTES) + "\"}}}}";
        assertThat(mcp.post(Mcp.session(ALICE, alice), huge).status()).isEqualTo(413);
        assertThat(listNames(ALICE, alice)).doesNotContain("many", "big", "heavy", "huge");
    }

    @Test
    void aPathTraversalInAFilesMapIsRefusedAndNothingIsDeployed() {
        for (String bad : new String[]{"../server.js", "/etc/cron.d/x", "a/../../b", "C:/windows/x"}) {
            String text = errorText(mcp.callTool(ALICE, alice, "deploy_app",
                    deployArgs("escape", files(Map.of("index.html", "<h1>hi</h1>", bad, "evil")))));
            assertThat(text).startsWith("invalid_path:").contains(bad);
        }
        assertThat(listNames(ALICE, alice)).doesNotContain("escape");
    }

    @Test
    void aCrashingAppIsAToolErrorWithItsOutput() {
        Mcp.Answer a = mcp.callTool(ALICE, alice, "deploy_app", deployArgs("crasher", files(Map.of(
                "package.json", "{\"name\":\"crash\",\"scripts\":{\"start\":\"node server.js\"}}",
                "server.js", "console.error('boom: missing config DATABASE_URL'); process.exit(3);"))));
        String text = errorText(a);
        assertThat(text).startsWith("deploy_failed:").contains("boom: missing config DATABASE_URL").contains("CrashLoop")
                .contains("call deploy_app again").contains("get_logs");
    }

    @Test
    void aOneTimeUploadDeploysOnceForItsOwnerOnly() {
        Mcp.Answer created = mcp.callTool(ALICE, alice, "create_upload", Json.createObjectBuilder().build());
        JsonObject ticket = created.result().getJsonObject("structuredContent");
        String url = ticket.getString("upload_url");
        String id = ticket.getString("upload_id");
        assertThat(url).startsWith(vibed.apiUri().toString()).endsWith("/v1/uploads/" + id);

        Http anyone = new Http(URI.create(url));
        Http.Response put = anyone.raw("PUT", URI.create(url).getPath(), "application/gzip", Apps.staticSite("uploaded by put"));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(anyone.raw("PUT", URI.create(url).getPath(), "application/gzip", Apps.staticSite("again")).status()).isEqualTo(404);

        JsonObject byId = Json.createObjectBuilder().add("name", "uploaded").add("upload_id", id).build();
        assertThat(errorText(mcp.callTool(BOB, bob, "deploy_app", byId))).startsWith("upload_not_found:");
        Mcp.Answer deployed = mcp.callTool(ALICE, alice, "deploy_app", byId);
        JsonObject out = deployed.result().getJsonObject("structuredContent");
        assertThat(out.getString("phase")).as(deployed.body()).isEqualTo("Ready");
        assertThat(http.getHost(out.getString("app_id") + ".localhost:" + vibed.port(), "/").body()).contains("uploaded by put");
        assertThat(errorText(mcp.callTool(ALICE, alice, "deploy_app", byId))).startsWith("upload_not_found:");
    }

    /** The cross-owner table: every tool that names an app answers not-found for anyone but its owner. */
    @Test
    void anotherOwnersAppIsNotFoundOnEveryTool() {
        Mcp.Answer deployed = mcp.callTool(ALICE, alice, "deploy_app", deployArgs("alices-site",
                files(Map.of("index.html", "<h1>alice's</h1>"))));
        String id = deployed.result().getJsonObject("structuredContent").getString("app_id");
        JsonObject appId = Json.createObjectBuilder().add("app_id", id).build();

        Map<String, JsonObject> rows = new LinkedHashMap<>();
        rows.put("get_app", appId);
        rows.put("get_logs", appId);
        rows.put("list_versions", appId);
        rows.put("rollback_app", Json.createObjectBuilder().add("app_id", id).add("version", 1).build());
        rows.put("set_env", Json.createObjectBuilder().add("app_id", id).add("env", Json.createObjectBuilder().add("A", "b")).build());
        rows.put("suspend_app", appId);
        rows.put("resume_app", appId);
        rows.put("extend_ttl", Json.createObjectBuilder().add("app_id", id).add("ttl", "2h").build());
        rows.put("update_app", Json.createObjectBuilder().add("app_id", id)
                .add("files", Json.createObjectBuilder().add("index.html", "bob was here")).build());
        rows.put("delete_app", appId);
        rows.forEach((tool, args) -> assertThat(errorText(mcp.callTool(BOB, bob, tool, args))).as(tool).startsWith("not_found:"));
        assertThat(listNames(BOB, bob)).doesNotContain("alices-site");

        // Alice's app is untouched and still hers.
        JsonObject mine = mcp.callTool(ALICE, alice, "get_app", appId).result().getJsonObject("structuredContent");
        assertThat(mine.getString("phase")).isEqualTo("Ready");
        assertThat(mine.getBoolean("suspended")).isFalse();
        assertThat(http.getHost(id + ".localhost:" + vibed.port(), "/").body()).contains("alice's");
        assertThat(mcp.callTool(ALICE, alice, "delete_app", appId).result().getJsonObject("structuredContent").getBoolean("deleted")).isTrue();
    }

    private static java.util.List<String> listNames(String token, String session) {
        return mcp.callTool(token, session, "list_apps", Json.createObjectBuilder().build()).result()
                .getJsonObject("structuredContent").getJsonArray("apps").getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("name")).toList();
    }
}
