package dev.vibed.cli.testing;

import dev.vibed.api.http.CallerResolver;
import dev.vibed.core.access.Caller;
import dev.vibed.core.application.VibedFactory;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.core.problem.Problem;
import dev.vibed.core.quota.Quotas;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.sandbox.ProcessAgentFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real standalone vibeD in the test JVM (real agent processes, the embedded proxy) for the CLI to talk to. Two
 * users hold API keys the way the {@code apikey} auth mode maps them ({@code Bearer KEY} -> user); the archive
 * limit is small so an over-limit folder is quick to make.
 */
public final class TestServer implements AutoCloseable {
    public static final String ALICE_KEY = "alice-key-7f3a";
    public static final String BOB_KEY = "bob-key-91c2";
    public static final long MAX_SOURCE_BYTES = 512 * 1024;

    private static final Map<String, Caller> KEYS = Map.of(ALICE_KEY, Caller.user("alice"), BOB_KEY, Caller.user("bob"));

    private final Standalone vibed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Standalone vibed) {
        this.vibed = vibed;
    }

    public static TestServer start(Path dataDir) throws IOException {
        return start(dataDir, StandaloneConfig.defaults(dataDir).deployWait());
    }

    /**
     * @param deployWait how long the server's deploy call waits for the URL to serve; with zero every deploy answers
     *                   202 at once and the CLI follows the start-up on the live status
     */
    public static TestServer start(Path dataDir, Duration deployWait) throws IOException {
        return start(dataDir, deployWait, AppPolicy.defaults().maxAppsPerOwner());
    }

    /** @param maxApps apps one user may own (a deploy beyond is refused with 429 quota_exceeded) */
    public static TestServer start(Path dataDir, Duration deployWait, int maxApps) throws IOException {
        Set<String> templates = Set.of("static", "node");
        ProcessAgentFactory agents = ProcessAgentFactory.forThisMachine(Path.of("target", "agent-cache").toAbsolutePath());
        Set<String> missing = new TreeSet<>(templates);
        missing.removeAll(agents.availableTemplates(templates));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("runtimes for " + missing + " are missing: install node (apt-get install nodejs)");
        }
        AppPolicy d = AppPolicy.defaults();
        AppPolicy policy = new AppPolicy(d.defaultTtl(), d.maxTtl(), d.allowNoExpiry(), maxApps, d.maxEnvEntries(),
                d.maxEnvBytes(), new ArchiveLimits(MAX_SOURCE_BYTES, d.archive().maxExpandedBytes(), d.archive().maxEntries(),
                d.archive().maxPathLength()));
        VibedFactory.Settings settings = VibedFactory.Settings.defaults().withPolicy(policy)
                .withQuotas(new Quotas(200, 10, 50));
        StandaloneConfig config = StandaloneConfig.defaults(dataDir).withPort(0).withTemplates(templates)
                .withDeployWait(deployWait);
        return new TestServer(Standalone.start(config, agents, Standalone.Overrides.defaults()
                .withCallers(apiKeys()).withSettings(settings)));
    }

    /** {@code Bearer KEY} -> the key's user, as the apikey mode does; anything else is a 401. */
    static CallerResolver apiKeys() {
        return authorization -> {
            Caller c = authorization != null && authorization.startsWith("Bearer ") ? KEYS.get(authorization.substring(7)) : null;
            if (c == null) {
                throw new Problem(Problem.Kind.UNAUTHORIZED, "unauthorized", "send Authorization: Bearer <API key>");
            }
            return c;
        };
    }

    public String url() {
        return vibed.apiUri().toString();
    }

    public record Page(int status, String body) {
    }

    /** GET of an app's URL through the embedded proxy, with the app's host name, as a browser would. */
    public Page get(String appUrl, String path) {
        URI app = URI.create(appUrl);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(vibed.apiUri().resolve(path))
                    .header("Host", app.getHost() + ":" + app.getPort()).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        vibed.close();
    }
}
