package dev.vibed.kube.testing;

import dev.vibed.kube.blob.S3Config;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API for tests: S3Proxy (which checks SigV4 signatures, so presigned URLs are really verified) as its
 * own {@code java -jar} process on a loopback port, storing objects in a temp folder. The jar is copied into
 * target/ by the module's pom and named by the {@code vibed.s3proxy.jar} system property.
 */
public final class S3ProxyProcess implements AutoCloseable {
    public static final String ACCESS_KEY = "vibedtest";
    public static final String SECRET_KEY = "vibedtest-secret";

    private final Process process;
    private final int port;

    private S3ProxyProcess(Path workDir) throws IOException {
        String jar = System.getProperty("vibed.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy jar not found (system property vibed.s3proxy.jar=" + jar
                    + "); run the tests through Maven, which copies it into target/s3proxy/");
        }
        port = Ports.free();
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path props = workDir.resolve("s3proxy.conf");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                "--properties", props.toString()))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("s3proxy.log").toFile())
                .start();
        // Should the test JVM end without close() (a crash, a failed @AfterAll), the server goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "s3proxy-reaper"));
        Awaitility.await("S3Proxy on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("S3Proxy exited: " + Files.readString(workDir.resolve("s3proxy.log")));
                    }
                    return Ports.listening(port);
                });
    }

    public static S3ProxyProcess start(Path workDir) {
        try {
            return new S3ProxyProcess(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public S3Config config(String bucket) {
        return new S3Config(endpoint(), null, "us-east-1", ACCESS_KEY, SECRET_KEY, bucket);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
