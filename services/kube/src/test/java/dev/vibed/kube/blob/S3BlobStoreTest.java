package dev.vibed.kube.blob;

import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.kube.testing.S3ProxyProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Against S3Proxy, a real S3 API that checks request and presigned-URL signatures. */
class S3BlobStoreTest {
    @TempDir
    static Path dir;
    private static S3ProxyProcess s3;
    private static S3BlobStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        s3 = S3ProxyProcess.start(Files.createDirectories(dir.resolve("s3")));
        store = S3BlobStore.connect(s3.config("sources"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        s3.close();
    }

    @Test
    void putIsContentAddressedAndSkipsAnExistingKey() throws IOException {
        Path first = Files.writeString(dir.resolve("first.tar.gz"), "first bytes");
        String sha = "ab".repeat(32);
        SourceRef ref = store.put(first, sha, Files.size(first));
        assertThat(ref).isEqualTo(new SourceRef(BlobStore.keyFor(sha), sha, Files.size(first)));
        assertThat(store.exists(ref.blobKey())).isTrue();

        Path other = Files.writeString(dir.resolve("other.tar.gz"), "other bytes");
        store.put(other, sha, Files.size(other));
        try (InputStream in = store.open(ref.blobKey())) {
            assertThat(new String(in.readAllBytes())).as("an existing key is not overwritten").isEqualTo("first bytes");
        }
    }

    @Test
    void presignedUrlServesTheBlobWithoutCredentialsAndOnlyAsSigned() throws Exception {
        Path file = Files.writeString(dir.resolve("site.tar.gz"), "tarball");
        String sha = "cd".repeat(32);
        SourceRef ref = store.put(file, sha, Files.size(file));

        URI url = store.sourceUrl(ref.blobKey(), Duration.ofMinutes(5));
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("tarball");

        URI tampered = URI.create(url.toString().replace(ref.blobKey(), BlobStore.keyFor("ef".repeat(32))));
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).as("the signature covers the key").isEqualTo(403);
    }

    @Test
    void listReportsKeysWithTheirTimeAndDeleteRemoves() throws IOException {
        Instant before = Instant.now().minusSeconds(60);
        Path file = Files.writeString(dir.resolve("gone.tar.gz"), "soon gone");
        String sha = "01".repeat(32);
        SourceRef ref = store.put(file, sha, Files.size(file));

        Map<String, Instant> listed = store.list();
        assertThat(listed).containsKey(ref.blobKey());
        assertThat(listed.get(ref.blobKey())).isAfter(before);

        store.delete(ref.blobKey());
        assertThat(store.exists(ref.blobKey())).isFalse();
        assertThat(store.list()).doesNotContainKey(ref.blobKey());
        store.delete(ref.blobKey());
    }

    @Test
    void connectCreatesAMissingBucketAndToleratesAnExistingOne() throws IOException {
        S3BlobStore fresh = S3BlobStore.connect(s3.config("another-bucket"));
        assertThat(fresh.list()).isEmpty();
        S3BlobStore.connect(s3.config("another-bucket"));
    }
}
