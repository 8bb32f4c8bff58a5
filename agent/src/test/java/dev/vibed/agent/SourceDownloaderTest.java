package dev.vibed.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A source sent inline as a data: URL gets the checks a downloaded one gets, and nothing is left of a bad one. */
class SourceDownloaderTest {
    @TempDir
    Path dir;
    final SourceDownloader downloader = new SourceDownloader(Duration.ofSeconds(5));
    final byte[] archive = "not really a tarball, but bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void anInlineSourceIsWrittenWhenItsShaMatches() throws Exception {
        Path target = dir.resolve("src.tar.gz");
        downloader.download(dataUrl(archive), sha(archive), 1024, target);
        assertThat(Files.readAllBytes(target)).isEqualTo(archive);
    }

    @Test
    void anInlineSourceWithAnotherShaIsRefusedAndRemoved() throws Exception {
        Path target = dir.resolve("src.tar.gz");
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> downloader.download(dataUrl(archive), sha("other".getBytes(StandardCharsets.UTF_8)), 1024, target));
        assertThat(e.code()).isEqualTo("sha256_mismatch");
        assertThat(e.status()).isEqualTo(400);
        assertThat(target).doesNotExist();
    }

    @Test
    void anInlineSourceOverTheCapIsRefusedBeforeItIsDecoded() {
        Path target = dir.resolve("src.tar.gz");
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> downloader.download(dataUrl(new byte[4096]), sha(new byte[4096]), 1024, target));
        assertThat(e.code()).isEqualTo("source_too_large");
        assertThat(target).doesNotExist();
    }

    @Test
    void aMalformedDataUrlIsABadRequest() {
        Path target = dir.resolve("src.tar.gz");
        for (String url : new String[]{"data:application/gzip,plain-text", "data:application/gzip;base64,@@@@",
                "data:no-comma"}) {
            ApiException e = catchThrowableOfType(ApiException.class,
                    () -> downloader.download(url, sha(archive), 1024, target));
            assertThat(e.status()).as(url).isEqualTo(400);
            assertThat(e.code()).as(url).isEqualTo("bad_request");
        }
        assertThat(target).doesNotExist();
    }

    private static String dataUrl(byte[] bytes) {
        return "data:application/gzip;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
