package dev.vibed.agent;

import com.sun.net.httpserver.HttpServer;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.ArchiveRejectedException;
import dev.vibed.core.archive.SafeExtractor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the inject path once, on a built-in site, before the agent reports ready. On a fresh JVM the first inject
 * pays for loading, linking and compiling java.net.http, SHA-256, gzip and tar, the detector and the static
 * server: hundreds of milliseconds, against a dozen for the second. A warm sandbox pays that here, while nobody
 * waits, so a user's first inject costs what a second one does.
 * <p>
 * What the app could see stays as it was: {@link #run()} goes through neither {@link Releases} nor the supervisor,
 * and its scratch folder is deleted before ready; {@link #throughControl} goes through both, on purpose, and the
 * supervisor then forgets it. Both
 * servers listen on loopback, on ephemeral ports, only for these milliseconds, and hold nothing but the built-in
 * site; the source is at a random path, so nothing else on the machine is fetched by the agent.
 */
final class InjectWarmup {
    /** The revision of the agent's own inject through its control API ({@link #throughControl}). */
    static final String REVISION = "vibed-agent-warm-up";
    private static final String SITE = "warmup-site.tar.gz";
    private static final String PAGE = "index.html";

    /** How long each step took, for the agent's log: what a first inject would have paid for it. */
    record Timings(long downloadMs, long extractMs, long detectMs, long serveMs, long totalMs) {
        String describe() {
            return "download+sha256 " + downloadMs + " ms, extract " + extractMs + " ms, detect " + detectMs
                    + " ms, serve " + serveMs + " ms, total " + totalMs + " ms";
        }
    }

    private final SourceDownloader downloader;
    private final SafeExtractor extractor;
    private final EntrypointDetector detector;
    private final ArchiveLimits limits;
    private final Path scratchParent;

    /** @param scratchParent a folder of the agent's own on the workspace's file system, never an app's */
    InjectWarmup(SourceDownloader downloader, SafeExtractor extractor, EntrypointDetector detector,
                 ArchiveLimits limits, Path scratchParent) {
        this.downloader = downloader;
        this.extractor = extractor;
        this.detector = detector;
        this.limits = limits;
        this.scratchParent = scratchParent;
    }

    Timings run() throws IOException, ApiException, ArchiveRejectedException {
        long t0 = System.nanoTime();
        byte[] site = builtInSite();
        String name = random() + ".tar.gz";
        Path scratch = Files.createDirectories(scratchParent).resolve("warmup-" + random());
        Files.createDirectory(scratch);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer source = null;
        try {
            source = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            source.createContext("/", ex -> {
                try (ex) {
                    if (!ex.getRequestURI().getPath().equals("/" + name)) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    ex.sendResponseHeaders(200, site.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(site);
                    }
                }
            });
            source.setExecutor(executor);
            source.start();

            Path download = scratch.resolve("source.tar.gz");
            Path release = scratch.resolve("release");
            long t1 = System.nanoTime();
            downloader.download(url(source.getAddress().getPort(), name), sha256(site), limits.maxCompressedBytes(),
                    download);
            long t2 = System.nanoTime();
            extractor.extract(download, release, limits);
            long t3 = System.nanoTime();
            LaunchPlan plan = detector.detect(release, release.toString(), "static", null, 0,
                    InetAddress.getLoopbackAddress().getHostAddress(), Map.of());
            if (!(plan instanceof LaunchPlan.Static)) {
                throw new IOException("the built-in site was not detected as static: " + plan.describe());
            }
            detectServers(scratch.resolve("servers"));
            long t4 = System.nanoTime();
            try (StaticFileServer server = StaticFileServer.start(release,
                    InetAddress.getLoopbackAddress().getHostAddress(), 0)) {
                // Fetched through the same client and checked like a source: the page must be what was packed.
                downloader.download(url(server.port(), PAGE), sha256(Files.readAllBytes(release.resolve(PAGE))),
                        limits.maxCompressedBytes(), scratch.resolve("page"));
            }
            long t5 = System.nanoTime();
            return new Timings(ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4), ms(t5 - t0));
        } finally {
            if (source != null) {
                source.stop(0);
            }
            executor.shutdownNow();
            Releases.deleteQuietly(scratch);
        }
    }

    /**
     * Plans a Node and a Python server (files of no content, nothing started): the detection of each, and what it
     * loads (core's package.json reader, the plans' classes), would otherwise first run, interpreted and loading
     * classes, on the deploy's path (5 to 8 ms of a real node inject's detect step here).
     */
    private void detectServers(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("server.js"), "");
        Files.writeString(dir.resolve("app.py"), "");
        String loopback = InetAddress.getLoopbackAddress().getHostAddress();
        for (String template : new String[]{"node", "python"}) {
            try {
                detector.detect(dir, dir.toString(), template, null, 8080, loopback, Map.of());
            } catch (ApiException e) {
                // That runtime is not installed here: nothing of its path to warm.
            }
        }
    }

    /**
     * Two status calls on the agent's own control API, before it reports ready: the first request a fresh JVM's
     * HTTP server, authenticator and status JSON handle costs tens of milliseconds, which the reconciler's first
     * call would otherwise pay on the deploy's path. What the app could see does not change: a status call only reads.
     */
    static void callControl(String bind, int port, String token) {
        for (int i = 0; i < 2; i++) {
            try {
                call(bind, port, token, "/status", null);
            } catch (IOException e) {
                AgentLog.info("control API warm-up call failed, the first status call will be slower: " + e.getMessage());
                return;
            }
        }
    }

    /**
     * One real inject through the agent's own control API, of the built-in site (inline, as standalone sends a
     * small archive), then a stop. {@link #run()} covers download, extract and detect in-process; this covers what
     * only a real inject runs: the control API's handler, the injector and the supervisor's start and stop. A fresh
     * JVM's first inject otherwise answers in about 60 ms against 25 for its second, and the first is a user's.
     * False when it failed (the caller then stops whatever it started).
     * It runs before any warm runtime is started (an inject would take the release reserved for one), and its
     * stop starts them; the caller then forgets it ({@link AppSupervisor#forgetWarmUp()}), so the state is an
     * untouched agent's.
     */
    static boolean throughControl(String bind, int controlPort, String token, int appPort) {
        try {
            byte[] site = builtInSite();
            String body = new InjectRequest("data:application/gzip;base64," + java.util.Base64.getEncoder()
                    .encodeToString(site), sha256(site), Map.of(), null, appPort, "static", "", REVISION)
                    .toJson().toString();
            call(bind, controlPort, token, "/inject?wait=2000", body);
            call(bind, controlPort, token, "/stop", "");
            return true;
        } catch (IOException e) {
            AgentLog.info("control API inject warm-up failed, the first inject will be slower: " + e.getMessage());
            return false;
        }
    }

    /** One call on the agent's own control API: a GET without {@code body}, else a JSON POST; non-2xx throws. */
    private static void call(String bind, int port, String token, String pathAndQuery, String body) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(
                "http://" + loopback(bind) + ":" + port + pathAndQuery).toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (body != null) {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (status / 100 != 2) {
                throw new IOException(pathAndQuery + " answered " + status + ": " + answer);
            }
        }
    }

    private static String loopback(String bind) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? InetAddress.getLoopbackAddress().getHostAddress() : bind;
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String url(int port, String path) {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + "/" + path;
    }

    private static byte[] builtInSite() throws IOException {
        try (InputStream in = InjectWarmup.class.getResourceAsStream(SITE)) {
            if (in == null) {
                throw new IOException("the built-in site " + SITE + " is missing from the agent's classpath");
            }
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
