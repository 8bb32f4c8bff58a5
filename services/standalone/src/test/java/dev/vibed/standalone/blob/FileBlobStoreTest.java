package dev.vibed.standalone.blob;

import dev.vibed.core.app.SourceRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** How an agent is told where an archive is: inline when it is small, a signed URL otherwise. */
class FileBlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void aSmallArchiveTravelsInlineAndALargeOneBySignedUrl() throws Exception {
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"), new BlobUrlSigner(),
                URI.create("http://127.0.0.1:7777"), Clock.systemUTC());
        byte[] small = bytes(1000);
        byte[] large = bytes((int) FileBlobStore.INLINE_MAX_BYTES + 1);

        URI inline = blobs.sourceUrl(put(blobs, small).blobKey(), Duration.ofMinutes(5));
        assertThat(inline.getScheme()).isEqualTo("data");
        String text = inline.toString();
        assertThat(text).startsWith("data:application/gzip;base64,");
        assertThat(Base64.getDecoder().decode(text.substring(text.indexOf(',') + 1))).isEqualTo(small);

        URI signed = blobs.sourceUrl(put(blobs, large).blobKey(), Duration.ofMinutes(5));
        assertThat(signed.getScheme()).isEqualTo("http");
        assertThat(signed.getPath()).startsWith("/internal/blobs/");
        assertThat(signed.getQuery()).contains("expires=").contains("sig=");
    }

    @Test
    void inliningCanBeTurnedOff() throws Exception {
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"), new BlobUrlSigner(),
                URI.create("http://127.0.0.1:7777"), Clock.systemUTC(), 0);
        assertThat(blobs.sourceUrl(put(blobs, bytes(10)).blobKey(), Duration.ofMinutes(5)).getScheme()).isEqualTo("http");
    }

    private SourceRef put(FileBlobStore blobs, byte[] content) throws Exception {
        Path f = Files.createTempFile(dir, "src", ".tar.gz");
        Files.write(f, content);
        return blobs.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content.length);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
