package dev.vibed.standalone;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.StandaloneServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The walking skeleton end to end: real HTTP, real agent processes, real node, the embedded proxy. */
class StandaloneDeployTest {
    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.with(Set.of("static", "node", "python"));

    @Test
    void staticSiteDeploysAndServesThroughTheProxy() {
        Http.Response res = server.http().deploy(Apps.staticSite("hello static"), "{\"name\":\"my-site\"}");

        assertThat(res.status()).as(res.body()).isEqualTo(200);
        JsonObject body = res.json();
        String id = body.getString("app_id");
        assertThat(body.getString("phase")).isEqualTo("Ready");
        assertThat(body.getString("template")).isEqualTo("static");
        assertThat(body.getString("rule")).isNotBlank();
        assertThat(body.getString("url")).isEqualTo("http://" + id + ".localhost:" + server.standalone().port() + "/");
        assertThat(body.getString("status_url")).isEqualTo("/v1/apps/" + id);

        Http.Response page = server.http().getHost(host(body), "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("hello static");
        assertThat(server.http().getHost(host(body), "/css/site.css").body()).contains("teal");
    }

    @Test
    void nodeServerDeploysAndKeepsPathAndQuery() {
        Http.Response res = server.http().deploy(Apps.nodeServer("hello node"), "{\"name\":\"node-app\",\"env\":{\"GREETING\":\"hi\"}}");

        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.json().getString("template")).isEqualTo("node");
        Http.Response page = server.http().getHost(host(res.json()), "/some/path?q=1&r=two");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("hello node /some/path?q=1&r=two greeting=hi");
    }

    /** Past the size sent inline, the sandbox fetches its source from vibeD by signed URL, out of its namespace. */
    @Test
    void aNodeAppLargerThanWhatTravelsInlineIsFetchedByTheSandbox() {
        byte[] asset = new byte[(int) dev.vibed.standalone.blob.FileBlobStore.INLINE_MAX_BYTES * 2];
        new java.util.Random(7).nextBytes(asset); // incompressible: the archive stays over the limit
        byte[] archive = TarGz.create()
                .file("asset.bin", asset, 0644)
                .file("server.js", """
                        const http = require('http');
                        const size = require('fs').statSync('asset.bin').size;
                        http.createServer((req, res) => res.end('asset ' + size))
                          .listen(process.env.PORT, process.env.HOST || '127.0.0.1');
                        """)
                .bytes();
        assertThat(archive.length).isGreaterThan((int) dev.vibed.standalone.blob.FileBlobStore.INLINE_MAX_BYTES);

        Http.Response res = server.http().deploy(archive, "{\"name\":\"big-node\"}");

        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(server.http().getHost(host(res.json()), "/").body()).isEqualTo("asset " + asset.length);
    }

    @Test
    void pythonAppDeploys() {
        Http.Response res = server.http().deploy(Apps.pythonServer("hello python"), "{\"name\":\"py-app\"}");

        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.json().getString("template")).isEqualTo("python");
        assertThat(server.http().getHost(host(res.json()), "/x").body()).isEqualTo("hello python /x");
    }

    @Test
    void appsAreListedAndReadable() {
        Http.Response res = server.http().deploy(Apps.staticSite("listed"), "{\"name\":\"listed-site\"}");
        String id = res.json().getString("app_id");

        JsonObject app = server.http().get("/v1/apps/" + id).json();
        assertThat(app.getString("phase")).isEqualTo("Ready");
        assertThat(app.getString("template")).isEqualTo("static");
        assertThat(app.getString("created_at")).isNotBlank();
        assertThat(app.getString("last_deployed_at")).isNotBlank();
        assertThat(server.http().get("/v1/apps").json().getJsonArray("apps").stream()
                .map(v -> v.asJsonObject().getString("app_id"))).contains(id);
    }

    @Test
    void deleteStopsTheSandboxAndTheUrl404s() {
        Http.Response res = server.http().deploy(Apps.nodeServer("soon gone"), "{\"name\":\"to-delete\"}");
        String id = res.json().getString("app_id");
        String host = host(res.json());
        assertThat(server.http().getHost(host, "/").status()).isEqualTo(200);

        assertThat(server.http().raw("DELETE", "/v1/apps/" + id, null, null).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(server.http().get("/v1/apps/" + id).status()).isEqualTo(404);
            Http.Response gone = server.http().getHost(host, "/");
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.body()).contains("No such app");
        });
        assertThat(server.http().get("/v1/apps/" + id).json().getString("code")).isEqualTo("not_found");
    }

    @Test
    void identicalUploadsShareOneBlob() throws IOException {
        byte[] archive = Apps.staticSite("same bytes");
        assertThat(server.http().deploy(archive, "{\"name\":\"same-a\"}").status()).isEqualTo(200);
        long before = blobCount();
        assertThat(server.http().deploy(archive, "{\"name\":\"same-b\"}").status()).isEqualTo(200);
        assertThat(blobCount()).isEqualTo(before);
    }

    @Test
    void unknownAppHostIsA404Page() {
        Http.Response res = server.http().getHost("nosuchappzzz.localhost:" + server.standalone().port(), "/");
        assertThat(res.status()).isEqualTo(404);
        assertThat(res.body()).contains("No such app");
    }

    @Test
    void hostileArchivesAreRejectedAndLeaveNothingBehind() throws IOException {
        long blobs = blobCount();
        record Case(String code, byte[] archive) {
        }
        for (Case c : new Case[]{
                new Case("archive_path_traversal", TarGz.create().file("index.html", "x").file("../evil.txt", "x").bytes()),
                new Case("archive_absolute_path", TarGz.create().file("/etc/evil", "x").bytes()),
                new Case("archive_link_escape", TarGz.create().file("index.html", "x").symlink("link", "/etc/passwd").bytes()),
                new Case("archive_hard_link", TarGz.create().file("index.html", "x").hardlink("h", "index.html").bytes()),
                new Case("archive_special_file", TarGz.create().file("index.html", "x").charDevice("dev").bytes()),
                new Case("archive_special_file", TarGz.create().file("index.html", "x").fifo("pipe").bytes()),
                new Case("archive_setuid", TarGz.create().file("run.sh", "x".getBytes(), 04755).file("index.html", "x").bytes()),
                new Case("archive_not_gzip", "just some text, not a tarball".getBytes()),
                new Case("archive_corrupt", java.util.Arrays.copyOf(Apps.staticSite("cut"), 40)),
        }) {
            Http.Response res = server.http().deploy(c.archive(), null);
            assertThat(res.status()).as(c.code() + ": " + res.body()).isEqualTo(400);
            assertThat(res.json().getString("code")).isEqualTo(c.code());
            assertThat(res.json().getString("message")).isNotBlank();
        }
        assertThat(blobCount()).isEqualTo(blobs);
        try (Stream<Path> spool = Files.list(server.data().resolve("spool"))) {
            assertThat(spool).isEmpty();
        }
        assertThat(server.http().get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void oversizedUploadsAndBombsAreRefusedWithoutKeepingAnything() throws IOException {
        byte[] tooBig = new byte[51 << 20];
        new java.util.Random(7).nextBytes(tooBig);
        Http.Response big = server.http().deploy(tooBig, null);
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().getString("code")).isEqualTo("source_too_large");

        // 300 MB of zeros compress to well under 1 MB: the expanded-size cap (200 MB) must stop it.
        Http.Response bomb = server.http().deploy(TarGz.create().file("index.html", "x").zeros("zeros.bin", 300L << 20).bytes(), null);
        assertThat(bomb.status()).isEqualTo(400);
        assertThat(bomb.json().getString("code")).isEqualTo("archive_too_large");
        assertThat(bomb.json().getJsonObject("details").getString("entry")).isEqualTo("zeros.bin");

        try (Stream<Path> spool = Files.list(server.data().resolve("spool"))) {
            assertThat(spool).isEmpty();
        }
        assertThat(server.http().get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void unrecognisedProjectsSayWhatWasLookedFor() {
        for (byte[] archive : new byte[][]{TarGz.create().bytes(), TarGz.create().file("README.md", "# notes").bytes()}) {
            Http.Response res = server.http().deploy(archive, null);
            assertThat(res.status()).isEqualTo(400);
            assertThat(res.json().getString("code")).isEqualTo("unrecognised_project");
            assertThat(res.json().getString("message")).contains("index.html").contains("package.json").contains("requirements.txt");
        }
    }

    @Test
    void badRequestsGetClearErrors() {
        assertThat(server.http().deploy(null, "{\"name\":\"x\"}").json().getString("code")).isEqualTo("missing_source");
        Http.Response badName = server.http().deploy(Apps.staticSite("x"), "{\"name\":\"Bad_Name\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().getString("code")).isEqualTo("invalid_name");
        Http.Response badJson = server.http().deploy(Apps.staticSite("x"), "{not json");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().getString("code")).isEqualTo("invalid_metadata");
        Http.Response notMultipart = server.http().json("POST", "/v1/deploy", "{}");
        assertThat(notMultipart.status()).isEqualTo(415);
        assertThat(notMultipart.json().getString("code")).isEqualTo("multipart_required");
        Http.Response broken = server.http().raw("POST", "/v1/deploy", "multipart/form-data; boundary=zzz", "garbage without parts".getBytes());
        assertThat(broken.status()).isEqualTo(400);
        String id = server.http().deploy(Apps.staticSite("typed"), "{\"name\":\"typed\"}").json().getString("app_id");
        for (String[] wrong : new String[][]{{"POST", "rollback", "{\"version\":\"one\"}", "invalid_version"},
                {"POST", "rollback", "{\"version\":1.5}", "invalid_version"},
                {"POST", "extend", "{\"ttl\":true}", "invalid_ttl"},
                {"PUT", "env", "{\"env\":{\"A\":1}}", "invalid_env"},
                {"PUT", "env", "[1,2]", "malformed_json"}}) {
            Http.Response r = server.http().json(wrong[0], "/v1/apps/" + id + "/" + wrong[1], wrong[2]);
            assertThat(r.status()).as(wrong[2] + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().getString("code")).isEqualTo(wrong[3]);
        }
        assertThat(server.http().get("/v1/apps/aaaaaaaaaaaa").status()).isEqualTo(404);
        assertThat(server.http().get("/v1/apps/..%2F..%2Fetc").status()).isEqualTo(404);
    }

    private static String host(JsonObject deployed) {
        return URI.create(deployed.getString("url")).getAuthority();
    }

    private static long blobCount() throws IOException {
        Path dir = server.data().resolve("blobs/sha256");
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
