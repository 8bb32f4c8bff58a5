package dev.vibed.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared npm cache, on files laid out the way npm's cacache writes them (real npm runs in the e2e test). */
class PackageCacheTest {
    @TempDir
    Path tmp;

    @Test
    void onlyVerifiedTarballsAndTheirIndexEntriesAreShared() throws Exception {
        Path release = tmp.resolve("release-a/.npm");
        Path tarball = blob(release, "real tarball bytes");
        Path packument = blob(release, "{\"name\":\"left-pad\"}");
        Path forged = blob(release, "what it claims to be");
        Files.writeString(forged, "something else");
        String good = line("https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "real tarball bytes");
        String metadata = line("https://registry.npmjs.org/left-pad", "{\"name\":\"left-pad\"}");
        String bad = line("https://registry.npmjs.org/evil/-/evil-1.0.0.tgz", "what it claims to be");
        Path bucket = release.resolve("_cacache/index-v5/ab/cd/bucket");
        Files.createDirectories(bucket.getParent());
        Files.write(bucket, List.of("", good, metadata, bad));

        PackageCache cache = new PackageCache(tmp.resolve("shared"));
        assertThat(cache.fill(release)).isEqualTo(1);

        Path shared = tmp.resolve("shared/_cacache");
        assertThat(shared.resolve(release.resolve("_cacache").relativize(tarball).toString())).hasContent("real tarball bytes");
        assertThat(shared.resolve(release.resolve("_cacache").relativize(packument).toString())).doesNotExist();
        assertThat(shared.resolve(release.resolve("_cacache").relativize(forged).toString())).doesNotExist();
        assertThat(Files.readAllLines(shared.resolve("index-v5/ab/cd/bucket"))).containsExactly(good);
        assertThat(cache.fill(release)).as("nothing new the second time").isZero();

        Path other = tmp.resolve("release-b/.npm");
        assertThat(cache.seed(other)).isEqualTo(1);
        Path linked = other.resolve(release.relativize(tarball).toString());
        assertThat(Files.isSymbolicLink(linked)).isTrue();
        assertThat(linked).hasContent("real tarball bytes");
        assertThat(Files.isSymbolicLink(other.resolve("_cacache/index-v5/ab/cd/bucket"))).as("npm appends to buckets")
                .isFalse();
        assertThat(cache.fill(other)).as("links are never copied back").isZero();
    }

    @Test
    void aCacheThatIsALinkIsNotRead() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere/_cacache"));
        Files.createDirectories(tmp.resolve("release"));
        Files.createSymbolicLink(tmp.resolve("release/.npm"), elsewhere.getParent());
        assertThat(new PackageCache(tmp.resolve("shared")).fill(tmp.resolve("release/.npm"))).isZero();
    }

    private static Path blob(Path npmCache, String content) throws Exception {
        String hex = HexFormat.of().formatHex(sha512(content));
        Path p = npmCache.resolve("_cacache/content-v2/sha512").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4))
                .resolve(hex.substring(4));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private static String line(String url, String content) throws Exception {
        String json = "{\"key\":\"make-fetch-happen:request-cache:" + url + "\",\"integrity\":\"sha512-"
                + Base64.getEncoder().encodeToString(sha512(content)) + "\",\"time\":1,\"size\":" + content.length() + "}";
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(json.getBytes(StandardCharsets.UTF_8)))
                + "\t" + json;
    }

    private static byte[] sha512(String s) throws Exception {
        return MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
