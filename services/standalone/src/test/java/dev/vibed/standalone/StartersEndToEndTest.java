package dev.vibed.standalone;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.StandaloneServer;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.Starters;
import dev.vibed.standalone.testing.Wheels;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The projects assistants really write, deployed through the API of a real standalone and looked at the way a
 * browser would: the official create-vite and create-next-app starters fetched from the npm registry, an Express
 * server, a server hard-wired to its own port, a single-page app's deep link, and FastAPI and Flask apps whose
 * requirements come from a local wheel index. Installs reach the real npm registry; the package index of Python
 * cannot be reached from here, so pip installs only from wheels this test builds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartersEndToEndTest {
    private static final Duration READY_BUDGET = Duration.ofMinutes(4);
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final Pattern INSTALL_TOOK = Pattern.compile("^vibed: npm (?:install|ci) took (\\d+) ms \\(exit code 0\\)$");

    private static final List<String> VITE_TEMPLATES = List.of("vanilla", "react", "preact", "vue", "svelte", "lit");
    private static final java.util.concurrent.ExecutorService DEPLOYERS = java.util.concurrent.Executors.newFixedThreadPool(3);
    private static Map<String, CompletableFuture<JsonObject>> viteDeploys;

    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.starting(data -> {
        Path wheels = data.resolve("wheels");
        Wheels.build(wheels, "vibed-greeting", "1.0.0", "def greet():\n    return 'hello from a local wheel'\n");
        // A fresh package cache, so the first install is a cold one and the second can be measured against it.
        return RunningStandalone.startWithAgents(StandaloneConfig.defaults(data.resolve("vibed")).withPort(0)
                        .withTemplates(Set.of("static", "node", "python")),
                agents -> agents.withPackageCache(data.resolve("packages")).withPythonIndex(wheels.toString()));
    });

    @AfterAll
    static void stop() {
        DEPLOYERS.shutdownNow();
    }

    @Test
    @Order(1)
    void aSecondDeployOfTheSameViteProjectInstallsFromTheSharedCache() {
        byte[] project = Starters.vite("react").bytes();

        JsonObject first = awaitReady(deploy(project, "cache-cold"));
        long coldMs = installMillis(first.getString("app_id"));
        JsonObject second = awaitReady(deploy(project, "cache-warm"));
        long warmMs = installMillis(second.getString("app_id"));

        System.out.printf("[starters] create-vite react: npm install took %d ms cold, %d ms from the shared cache%n",
                coldMs, warmMs);
        // Which install is faster is a benchmark's question on a shared machine (the times are printed above and
        // measured in the README); what must hold is that the second install started from the shared cache.
        String seeded = "vibed: (\\d+) packages in the shared cache";
        assertThat(logLines(first.getString("app_id"))).as("the first install found the cache empty").noneMatch(l -> l.matches(seeded));
        assertThat(logLines(second.getString("app_id"))).as("the second install was seeded from the shared cache")
                .anySatisfy(l -> assertThat(l).matches(seeded).satisfies(
                        line -> assertThat(Integer.parseInt(line.replaceAll(seeded, "$1"))).isGreaterThan(10)));
        assertBrowserSeesABuiltSite(host(second), "/");
    }

    @ParameterizedTest
    @Order(2)
    @ValueSource(strings = {"vanilla", "react", "preact", "vue", "svelte", "lit"})
    void createViteStartersAreBuiltAndTheirBuildIsServed(String template) throws Exception {
        JsonObject app = viteDeploys().get(template).get();

        assertThat(app.getString("rule")).isEqualTo("build-required");
        assertBrowserSeesABuiltSite(host(app), "/");
        delete(app);
    }

    @Test
    @Order(3)
    void theStockNextJsLayoutFailsToBuildOfflineAndWithoutItsFontsTheAppServes() throws Exception {
        String stock = Starters.file(Starters.CREATE_NEXT_APP, "package/dist/templates/app/js/app/layout.js");
        assertThat(stock).contains("next/font/google");
        String offline = """
                import "./globals.css";

                export const metadata = { title: "Create Next App", description: "Generated by create next app" };

                export default function RootLayout({ children }) {
                  return (
                    <html lang="en">
                      <body>{children}</body>
                    </html>
                  );
                }
                """;
        // Both at once: the stock build spends most of its time waiting for Google Fonts.
        CompletableFuture<Http.Response> failing = CompletableFuture.supplyAsync(
                () -> deploy(Starters.nextApp(null).bytes(), "next-stock"));
        CompletableFuture<Http.Response> fixed = CompletableFuture.supplyAsync(
                () -> deploy(Starters.nextApp(offline).bytes(), "next-offline"));

        JsonObject failed = awaitSettled(failing.get());
        assertThat(failed.getString("phase")).as(failed.toString()).isEqualTo("Failed");
        assertThat(failed.getString("rule")).isEqualTo("node-build-then-start");
        JsonObject deployed = condition(failed, "Deployed").orElseThrow();
        assertThat(deployed.getString("status")).isEqualTo("False");
        assertThat(deployed.getString("message")).startsWith("build failed: ")
                .contains("Failed to fetch Geist from Google Fonts");
        Http.Response page = server.http().getHost(host(failed), "/");
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.body()).contains("This app failed to start; its owner can see why.")
                .doesNotContain("Geist").doesNotContain("build failed");

        JsonObject served = awaitReady(fixed.get());
        assertThat(served.getString("template")).isEqualTo("node");
        String html = assertBrowserSeesABuiltSite(host(served), "/");
        assertThat(html).contains("To get started, edit the").contains("/_next/static/");
        assertThat(logLines(served.getString("app_id"))).anyMatch(l -> l.startsWith("vibed: npm run build took "));
    }

    @Test
    @Order(4)
    void anExpressServerWithDependencies() {
        JsonObject app = awaitReady(deploy(TarGz.create()
                .file("package.json", """
                        {"name": "api", "version": "1.0.0", "scripts": {"start": "node server.js"},
                         "dependencies": {"express": "^4.21.2"}}""")
                .file("server.js", """
                        const express = require('express');
                        const app = express();
                        app.get('/hello/:name', (req, res) => res.json({ hello: req.params.name }));
                        app.listen(process.env.PORT, () => console.log('express up'));
                        """).bytes(), "express-api"));

        Http.Response res = server.http().getHost(host(app), "/hello/vibed");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().getString("hello")).isEqualTo("vibed");
        assertThat(res.headers().firstValue("x-powered-by")).contains("Express");
        assertThat(condition(app, "Warning")).isEmpty();
    }

    @Test
    @Order(5)
    void aServerHardWiredToItsOwnPortIsServedWithAWarning() throws IOException {
        int own = freePort(); // "3000" in generated code; a free port here, because other tests share the machine
        JsonObject app = awaitReady(deploy(TarGz.create().file("server.js", """
                const http = require('http');
                http.createServer((req, res) => res.end('hard-wired ' + req.url)).listen(%d, () => console.log('listening on %d'));
                """.formatted(own, own)).bytes(), "hard-wired"));

        assertThat(server.http().getHost(host(app), "/x?y=1").body()).isEqualTo("hard-wired /x?y=1");
        JsonObject warning = condition(app, "Warning").orElseThrow(() -> new AssertionError(app.toString()));
        assertThat(warning.getString("status")).isEqualTo("True");
        assertThat(warning.getString("reason")).isEqualTo("PortMismatch");
        assertThat(warning.getString("message")).matches("listens on " + own + ", not on \\$PORT \\(\\d+\\); routed to " + own);
    }

    @Test
    @Order(6)
    void aDeepLinkIntoAReactSinglePageAppServesItsPage() {
        JsonObject app = awaitReady(deploy(Starters.vite("react", Map.of("src/App.jsx", """
                export default function App() {
                  const path = window.location.pathname;
                  return path.startsWith('/users/') ? <h1>user {path.slice(7)}</h1> : <h1>home</h1>;
                }
                """)).bytes(), "react-router"));

        String home = assertBrowserSeesABuiltSite(host(app), "/");
        String deep = assertBrowserSeesABuiltSite(host(app), "/users/42");
        assertThat(deep).isEqualTo(home);
        assertThat(server.http().getHost(host(app), "/assets/missing.js").status()).as("a missing asset is still missing")
                .isEqualTo(404);
        delete(app);
    }

    @Test
    @Order(7)
    void fastApiAndFlaskAppsRunWithTheirRequirementsFromTheLocalIndex() {
        // fastapi itself comes from the machine (Debian's python3-fastapi): its metadata pins a starlette older than
        // the one Debian ships, which pip cannot resolve offline; uvicorn and the wheel resolve as listed.
        Http.Response fastapiDeploy = deploy(TarGz.create()
                .file("main.py", """
                        from fastapi import FastAPI
                        import vibed_greeting

                        app = FastAPI()

                        @app.get("/")
                        def root():
                            return {"message": vibed_greeting.greet(), "framework": "fastapi"}
                        """)
                .file("requirements.txt", "uvicorn\nvibed-greeting==1.0.0\n").bytes(), "fastapi-app");
        Http.Response flaskDeploy = deploy(TarGz.create()
                .file("app.py", """
                        from flask import Flask
                        import vibed_greeting

                        app = Flask(__name__)

                        @app.route("/")
                        def root():
                            return {"message": vibed_greeting.greet(), "framework": "flask"}
                        """)
                .file("requirements.txt", "flask\nvibed-greeting==1.0.0\n").bytes(), "flask-app");

        JsonObject fastapi = awaitReady(fastapiDeploy);
        assertThat(fastapi.getString("rule")).isEqualTo("python-asgi-app");
        assertThat(server.http().getHost(host(fastapi), "/").json().getString("message")).isEqualTo("hello from a local wheel");
        assertThat(server.http().getHost(host(fastapi), "/").headers().firstValue("server")).contains("uvicorn");

        JsonObject flask = awaitReady(flaskDeploy);
        assertThat(flask.getString("rule")).isEqualTo("python-wsgi-app");
        Http.Response page = server.http().getHost(host(flask), "/");
        assertThat(page.json().getString("framework")).isEqualTo("flask");
        assertThat(page.json().getString("message")).isEqualTo("hello from a local wheel");
        assertThat(page.headers().firstValue("server").orElse("")).startsWith("gunicorn");
        assertThat(logLines(flask.getString("app_id"))).noneMatch(l -> l.contains("PIP_"));
    }

    @Test
    @Order(8)
    void aPinnedVersionTheIndexLacksFailsWithPipsOwnMessage() {
        JsonObject failed = awaitSettled(deploy(TarGz.create()
                .file("app.py", "from flask import Flask\napp = Flask(__name__)\n")
                .file("requirements.txt", "flask\nvibed-greeting==9.9.9\n").bytes(), "pinned-missing"));

        assertThat(failed.getString("phase")).isEqualTo("Failed");
        assertThat(condition(failed, "Deployed").orElseThrow().getString("message"))
                .startsWith("dependencies could not be installed: ")
                .contains("ERROR: Could not find a version that satisfies the requirement vibed-greeting==9.9.9 (from versions: 1.0.0)")
                .contains("No matching distribution found for vibed-greeting==9.9.9");
    }

    /**
     * The table's deploys, started together on the first row (three at a time: installs mostly wait on the
     * registry) so the rows only wait for their own app.
     */
    private static synchronized Map<String, CompletableFuture<JsonObject>> viteDeploys() {
        if (viteDeploys == null) {
            viteDeploys = new java.util.LinkedHashMap<>();
            for (String t : VITE_TEMPLATES) {
                viteDeploys.put(t, CompletableFuture.supplyAsync(() -> awaitReady(deploy(Starters.vite(t).bytes(),
                        "vite-" + t)), DEPLOYERS));
            }
        }
        return viteDeploys;
    }

    /**
     * What a browser loading {@code path} would fetch: the page, then every script, style sheet, icon and image it
     * references on the same site. Each must answer 200, at least one must be a script, and none may point into
     * the source tree ({@code /src/...}), which only a dev server can serve.
     */
    private static String assertBrowserSeesABuiltSite(String host, String path) {
        Http.Response page = server.http().getHost(host, path);
        assertThat(page.status()).as("GET " + path).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        List<String> references = new ArrayList<>();
        Matcher m = REFERENCE.matcher(page.body());
        while (m.find()) {
            String ref = m.group(1).replace("&amp;", "&");
            if (ref.startsWith("/") && !ref.startsWith("//") || !ref.contains(":") && !ref.startsWith("#")) {
                references.add(ref);
            }
        }
        assertThat(references).as("local references of " + path).isNotEmpty()
                .anyMatch(r -> r.contains(".js"))
                .noneMatch(r -> r.startsWith("/src/") || r.startsWith("./src/") || r.startsWith("src/"));
        URI base = URI.create("http://" + host + path);
        for (String ref : references) {
            URI asset = base.resolve(ref);
            String target = asset.getRawPath() + (asset.getRawQuery() == null ? "" : "?" + asset.getRawQuery());
            assertThat(server.http().getHost(host, target).status()).as("GET " + target + " (referenced by " + path + ")")
                    .isEqualTo(200);
        }
        return page.body();
    }

    private static Http.Response deploy(byte[] tarGz, String name) {
        return server.http().deploy(tarGz, "{\"name\":\"" + name + "\"}");
    }

    private static JsonObject awaitReady(Http.Response deployed) {
        JsonObject app = awaitSettled(deployed);
        if (!app.getString("phase").equals("Ready")) {
            fail("app " + app.getString("name", "") + " did not become Ready: " + app + "\nlast output:\n"
                    + String.join("\n", logLines(app.getString("app_id"))));
        }
        return app;
    }

    /** Polls the app until it is Ready and serves, or Failed; builds take longer than the deploy call waits. */
    private static JsonObject awaitSettled(Http.Response deployed) {
        assertThat(deployed.status()).as(deployed.body()).isIn(200, 202, 422);
        String id = deployed.json().getString("app_id");
        Instant deadline = Instant.now().plus(READY_BUDGET);
        while (Instant.now().isBefore(deadline)) {
            JsonObject app = server.http().get("/v1/apps/" + id).json();
            String phase = app.getString("phase");
            if (phase.equals("Failed") || phase.equals("Ready") && server.http().getHost(host(app), "/").status() != 503) {
                return app;
            }
            try {
                Thread.sleep(250); // only how often to look: READY_BUDGET bounds the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("app " + id + " neither served nor failed within " + READY_BUDGET + ": "
                + server.http().get("/v1/apps/" + id).body() + "\nlast output:\n" + String.join("\n", logLines(id)));
    }

    private static long installMillis(String appId) {
        return logLines(appId).stream().map(INSTALL_TOOK::matcher).filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no install timing in the log of " + appId));
    }

    private static List<String> logLines(String appId) {
        JsonObject logs = server.http().get("/v1/apps/" + appId + "/logs?tail=2000").json();
        return logs.getJsonArray("lines").getValuesAs(JsonObject.class).stream().map(l -> l.getString("line")).toList();
    }

    private static Optional<JsonObject> condition(JsonObject app, String type) {
        return app.getJsonArray("conditions").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("type").equals(type)).findFirst();
    }

    private static void delete(JsonObject app) {
        server.http().raw("DELETE", "/v1/apps/" + app.getString("app_id"), null, null);
    }

    private static String host(JsonObject app) {
        return URI.create(app.getString("url")).getAuthority();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
