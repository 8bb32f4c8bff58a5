package dev.vibed.perf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** vibeD standalone run as its own process from the built jar, as {@code ./vibed up} runs it, and its HTTP API. */
final class Vibed implements AutoCloseable {
    static {
        // Apps are addressed by Host header on the API's port, as browsers do with *.localhost.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final Pattern JSON_STRING = Pattern.compile("\"(app_id|url|routeTarget)\"\\s*:\\s*\"([^\"]*)\"");

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Vibed(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    static Vibed start(Path jar, Path dataDir, int warm, int warmMax, Path log) throws Exception {
        int port = Machine.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx512m", "-Djdk.httpclient.allowRestrictedHeaders=host", "-jar", jar.toString(),
                "--port", String.valueOf(port), "--data-dir", dataDir.toString(),
                "--warm", String.valueOf(warm), "--warm-max", String.valueOf(warmMax),
                // The benchmark is one user starting hundreds of deploys; the per-user rate limit would refuse them.
                "--deploys-per-minute", "100000",
                // ... and the scale section holds over a thousand apps, far more than one user's default 50.
                "--max-apps-per-owner", "100000"));
        // -Dbench.vibedJvmArgs="-XX:StartFlightRecording=..." profiles the measured process itself.
        String extra = System.getProperty("bench.vibedJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(1, List.of(extra.split("\\s+")));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Vibed v = new Vibed(p, port, dataDir);
        try {
            v.awaitReady(log);
        } catch (Exception e) {
            // A vibeD that never became ready (its port taken meanwhile, say) must not outlive the run.
            v.close();
            throw e;
        }
        return v;
    }

    private void awaitReady(Path log) throws Exception {
        boolean ready = Poll.until(Duration.ofSeconds(120), Duration.ofMillis(50), () -> {
            if (!process.isAlive()) {
                throw new IOException("vibeD exited at start; see " + log);
            }
            try {
                return get("/readyz").statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            }
        });
        if (!ready) {
            throw new IOException("vibeD did not become ready in 120 s; see " + log);
        }
    }

    /**
     * CPU time vibeD's process has used so far (user + system, from /proc), in ms: a burst's share per deploy
     * tells how much of its latency is the machine's cores rather than waiting.
     */
    double cpuMillis() throws IOException {
        return Machine.cpuTicks(process.pid()) * 10.0;
    }

    long pid() {
        return process.pid();
    }

    /** The agent processes of every sandbox, warm or bound (the pool keeps their pids next to them). */
    List<Long> agentPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        Path sandboxes = dataDir.resolve("sandboxes");
        if (!Files.isDirectory(sandboxes)) {
            return pids;
        }
        try (var dirs = Files.list(sandboxes)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Path pid = d.resolve("agent.pid");
                if (Files.exists(pid)) {
                    pids.add(Long.parseLong(Files.readString(pid).trim()));
                }
            }
        }
        return pids;
    }

    record Deployed(int status, String appId, String host, double toUrlMs, String body) {
        boolean ok() {
            return status == 200 && appId != null;
        }
    }

    /** Deploys and GETs the URL until it answers 200: the time from the upload's first byte to that 200. */
    Deployed deployToUrl(byte[] tarGz, String name) throws Exception {
        String boundary = "bench-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"name\":\""
                + name + "\"}\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"source\"; filename=\"app.tar.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(tarGz);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri("/v1/deploy")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> fields = fields(res.body());
        String id = fields.get("app_id");
        String url = fields.get("url");
        if ((res.statusCode() != 200 && res.statusCode() != 202) || url == null) {
            return new Deployed(res.statusCode(), id, null, (System.nanoTime() - t0) / 1e6, res.body());
        }
        // A 202 only means the API stopped waiting (its budget is 10 s); the URL is what a user waits for.
        String host = URI.create(url).getAuthority();
        // A short interval: the time to the first 200 is what is measured. The 180 s count from the upload's start.
        Duration left = Duration.ofNanos(t0 + Duration.ofSeconds(180).toNanos() - System.nanoTime());
        if (Poll.until(left, Duration.ofMillis(5), () -> getHost(host, "/").statusCode() == 200)) {
            return new Deployed(200, id, host, (System.nanoTime() - t0) / 1e6, res.body());
        }
        return new Deployed(599, id, host, (System.nanoTime() - t0) / 1e6, "the URL never answered 200: " + res.body());
    }

    void delete(String appId) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(uri("/v1/apps/" + appId)).DELETE().timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** host:port the proxy forwards the app to, from the app's stored status. */
    String routeTarget(String appId) throws IOException {
        return fields(Files.readString(dataDir.resolve("apps").resolve(appId + ".json"))).get("routeTarget");
    }

    HttpResponse<String> getHost(String host, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Host", host).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A gauge or counter of {@code /metrics} with one label, e.g. {@code vibed_pool_warm_sandboxes{template="node"}}; 0 if absent. */
    double metric(String name, String label, String value) throws IOException, InterruptedException {
        return sample(get("/metrics").body(), name, label, value);
    }

    /**
     * Waits until {@code template}'s pool holds a warm sandbox again and no pool is still starting one (at most
     * {@code max}), so each sequential deploy meets the pool a single user's deploy meets: not one the previous deploy
     * just drained, and not one whose refills (the pool sizes itself from the recent claim rate, so a run of quick
     * deploys makes it start several) still boot on the same cores. False if it did not.
     */
    boolean awaitWarm(String template, Duration max) throws Exception {
        return Poll.until(max, Duration.ofMillis(20), () -> {
            String text = get("/metrics").body();
            return sample(text, "vibed_pool_warm_sandboxes", "template", template) >= 1
                    && samples(text, "vibed_pool_starting_sandboxes").stream().allMatch(v -> v == 0);
        });
    }

    private static double sample(String metrics, String name, String label, String value) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value + "\"")
                + "[^}]*} ([0-9.eE+-]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static List<Double> samples(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*} ([0-9.eE+-]+)").matcher(metrics);
        List<Double> out = new ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    /** Mean seconds per deploy stage, from the {@code vibed_deploy_stage_seconds} histogram's sums and counts. */
    Map<String, double[]> stageMeans() throws IOException, InterruptedException {
        String text = get("/metrics").body();
        Map<String, double[]> sumCount = new TreeMap<>();
        Matcher m = Pattern.compile("vibed_deploy_stage_seconds_(sum|count)\\{stage=\"([a-z]+)\"} ([0-9.eE+-]+)").matcher(text);
        while (m.find()) {
            double[] sc = sumCount.computeIfAbsent(m.group(2), k -> new double[2]);
            sc[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(3));
        }
        return sumCount;
    }

    int port() {
        return port;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = JSON_STRING.matcher(json);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
