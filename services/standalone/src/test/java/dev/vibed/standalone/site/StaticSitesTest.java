package dev.vibed.standalone.site;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.blob.BlobUrlSigner;
import dev.vibed.standalone.blob.FileBlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shared static host's sites through the ports the reconciler uses: claim, status, inject, release. */
class StaticSitesTest {
    @TempDir
    Path data;

    FileBlobStore blobs;
    StaticSites sites;
    StaticSitePool pool;
    StaticSiteAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        blobs = new FileBlobStore(data.resolve("blobs"), new BlobUrlSigner(), URI.create("http://127.0.0.1:1"), Clock.systemUTC());
        sites = new StaticSites(data.resolve("sites"), blobs, ArchiveLimits.defaults(), Clock.systemUTC());
        pool = new StaticSitePool(sites);
        agent = new StaticSiteAgent(sites);
    }

    @Test
    void aClaimBindsAtOnceAndAnInjectServesAtOnce() throws Exception {
        String sha = store(TarGz.create().file("dist/index.html", "<h1>hi</h1>").bytes());
        ClaimResult claim = pool.claim("abcdefghijkl-v1", "static", Map.of());
        assertThat(claim).isInstanceOf(ClaimResult.Bound.class);
        AgentClient.Endpoint ep = ((ClaimResult.Bound) claim).lease().agent();
        assertThat(agent.status(ep).state()).isEqualTo(AgentState.IDLE);

        agent.inject(ep, request(sha, "dist"));

        var status = agent.status(ep);
        assertThat(status.state()).isEqualTo(AgentState.RUNNING);
        assertThat(status.listening()).isTrue();
        assertThat(status.revision()).isEqualTo("abcdefghijkl-v1");
        assertThat(sites.get("abcdefghijkl-v1").orElseThrow().served().orElseThrow().files()
                .answer("/", "/", null)).isInstanceOf(dev.vibed.core.site.SiteFiles.FileAnswer.class);
        assertThat(agent.logs(ep, 10)).anySatisfy(l -> assertThat(l.line()).contains("serving static files"));
        assertThat(data.resolve("sites/site-abcdefghijkl-v1")).isDirectory();
        assertThat(data.resolve("sites/site-abcdefghijkl-v1/source.tar.gz")).as("the download is not kept").doesNotExist();

        pool.release("abcdefghijkl-v1");
        assertThat(data.resolve("sites/site-abcdefghijkl-v1")).doesNotExist();
        assertThat(pool.claimKeys()).isEmpty();
    }

    @Test
    void aBlobWhoseShaDiffersOrAHostileArchiveIsRejectedAndLeavesNothing() throws Exception {
        String sha = store(TarGz.create().file("index.html", "x").bytes());
        // Tamper with the stored blob: the host must notice, as the agent's download does.
        Files.write(blobs.path("sha256/" + sha + ".tar.gz"), TarGz.create().file("index.html", "evil").bytes());
        AgentClient.Endpoint ep = ((ClaimResult.Bound) pool.claim("abcdefghijkl-v1", "static", Map.of())).lease().agent();
        assertThatThrownBy(() -> agent.inject(ep, request(sha, ""))).isInstanceOf(AgentClient.InjectRejectedException.class)
                .hasMessageContaining("sha256");

        String hostile = store(TarGz.create().file("index.html", "x").symlink("out", "/etc/passwd").bytes());
        assertThatThrownBy(() -> agent.inject(ep, request(hostile, ""))).isInstanceOf(AgentClient.InjectRejectedException.class);

        assertThatThrownBy(() -> agent.inject(ep, request("0".repeat(64), ""))).isInstanceOf(AgentClient.InjectRejectedException.class)
                .hasMessageContaining("not in the blob store");
        String fine = store(TarGz.create().file("index.html", "x").bytes());
        assertThatThrownBy(() -> agent.inject(ep, request(fine, "../.."))).isInstanceOf(AgentClient.InjectRejectedException.class);
        assertThat(agent.status(ep).state()).isEqualTo(AgentState.IDLE);
        try (var left = Files.list(data.resolve("sites/site-abcdefghijkl-v1"))) {
            assertThat(left).as("nothing unpacked is left behind").isEmpty();
        }
    }

    @Test
    void aFollowerGetsANewLineAsItComesAndEndsWithTheSite() throws Exception {
        String sha = store(TarGz.create().file("index.html", "x").bytes());
        AgentClient.Endpoint ep = ((ClaimResult.Bound) pool.claim("abcdefghijkl-v1", "static", Map.of())).lease().agent();
        List<LogLine> seen = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofPlatform().daemon().start(() -> {
            try {
                agent.followLogsAfter(ep, 0, line -> line == null || seen.add(line));
            } catch (AgentClient.AgentUnreachableException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> follower.getState() == Thread.State.TIMED_WAITING);

        agent.inject(ep, request(sha, ""));
        // Heartbeats are 15 s apart: the line must come when it is written, not with the next one.
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(l -> l.line().contains("serving static files")));
        pool.release("abcdefghijkl-v1");
        assertThat(follower.join(Duration.ofSeconds(5))).as("the follow ends when the site is released").isTrue();
    }

    @Test
    void theShaCoversTheWholeBlobAlsoBytesAfterTheGzipStream() throws Exception {
        byte[] good = TarGz.create().file("index.html", "x").bytes();
        String sha = store(good);
        // Same archive, with bytes after its end: the unpack may not read them, the check must.
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        Files.write(blobs.path("sha256/" + sha + ".tar.gz"), longer);
        AgentClient.Endpoint ep = ((ClaimResult.Bound) pool.claim("abcdefghijkl-v1", "static", Map.of())).lease().agent();

        assertThatThrownBy(() -> agent.inject(ep, request(sha, ""))).isInstanceOf(AgentClient.InjectRejectedException.class);
        assertThat(agent.status(ep).state()).as("nothing serves").isEqualTo(AgentState.IDLE);
        try (var left = Files.list(data.resolve("sites/site-abcdefghijkl-v1"))) {
            assertThat(left).as("nothing unpacked is left behind").isEmpty();
        }

        Files.write(blobs.path("sha256/" + sha + ".tar.gz"), good);
        agent.inject(ep, request(sha, ""));
        assertThat(agent.status(ep).listening()).as("the intact blob serves").isTrue();
    }

    @Test
    void onlyTheStaticTemplateIsServedAndTargetsNameOneWholeSite() {
        assertThat(pool.claim("abcdefghijkl-v1", "node", Map.of())).isInstanceOf(ClaimResult.Failed.class);
        assertThat(SiteAddress.target("abcdefghijkl-v3")).isEqualTo("site:abcdefghijkl-v3");
        assertThatThrownBy(() -> SiteAddress.claimOfTarget("site:../abcdefghijkl-v3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SiteAddress.claimOfTarget("site:abcdefghijkl")).isInstanceOf(IllegalArgumentException.class);
    }

    private String store(byte[] tarGz) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarGz));
        Path file = Files.write(data.resolve("upload-" + sha), tarGz);
        blobs.put(file, sha, tarGz.length);
        return sha;
    }

    private static InjectRequest request(String sha, String root) {
        return new InjectRequest("http://unused", sha, Map.of(), null, 0, "static", root, "abcdefghijkl-v1");
    }
}
