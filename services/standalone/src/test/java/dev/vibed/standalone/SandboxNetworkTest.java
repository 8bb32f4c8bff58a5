package dev.vibed.standalone;

import dev.vibed.core.app.AppStatus;
import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.sandbox.ProcessAgentFactory;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A deployed app cannot reach the platform from inside its sandbox: not vibeD's API, not another app's port, not
 * another sandbox's agent, not a host service bound to 0.0.0.0 (dialled through an extra address of the host), yet
 * it serves through the proxy whichever address it binds and reaches the npm registry. Real pasta, nft, agents
 * and node; the app itself reports what each connection attempt gave.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxNetworkTest {
    private static final Pattern CONTROL = Pattern.compile("vibed-agent ready control=(\\d+)");

    @TempDir
    static Path data;
    static ProcessAgentFactory agents;
    static Standalone vibed;
    static Http http;
    /** A host service bound to every address, as a careless database or dev server would be. */
    static ServerSocket wildcard;
    /** An extra address of this host (on lo), the kind a LAN or docker bridge address is. */
    static String extraAddress;
    static String staleTable;

    @BeforeAll
    static void start() throws Exception {
        if (!Stream.of("pasta", "nft", "ip").allMatch(SandboxNetworkTest::installed)) {
            fail("this test needs pasta, nft and ip: apt-get install passt nftables iproute2 (./vibed test installs them)");
        }
        // What a crashed vibeD leaves: its table, named for a process that is gone. The next start removes it.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        staleTable = "vibed_sandbox_" + gone.pid();
        run("nft", "add", "table", "inet", staleTable);
        agents = ProcessAgentFactory.forThisMachine(Path.of("target", "agent-cache").toAbsolutePath());
        assertThat(agents.network().isolated())
                .as("sandboxes must get their own network namespace; see the warning logged above").isTrue();
        assertThat(agents.network().firewalled())
                .as("the sandbox firewall needs root and nftables: run the tests as root (CI does)").isTrue();
        vibed = Standalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("node", "static")), agents);
        http = new Http(vibed.apiUri());

        wildcard = new ServerSocket();
        wildcard.bind(new InetSocketAddress("0.0.0.0", 0));
        Thread.ofVirtual().start(SandboxNetworkTest::serveSecret);
        extraAddress = addAddressToLoopback();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vibed != null) {
            vibed.close();
        }
        if (wildcard != null) {
            wildcard.close();
        }
        if (extraAddress != null) {
            run("ip", "addr", "del", extraAddress + "/32", "dev", "lo");
        }
    }

    @Test
    @Order(1)
    void anAppCannotReachTheApiOtherAppsAgentsOrWildcardHostServices() throws Exception {
        JsonObject other = deploy("other-app", Apps.nodeServer("other"), "127.0.0.1");
        JsonObject probe = deploy("probe", probeApp(), "127.0.0.1");
        AppStatus otherStatus = status(other);
        AppStatus probeStatus = status(probe);
        int otherAppPort = port(otherStatus.routeTarget());
        int otherAgentPort = controlPort(otherStatus.sandboxRef());
        int ownAppPort = port(probeStatus.routeTarget());
        // From the host all of these answer: what the app is refused below is really there.
        for (int port : List.of(vibed.port(), otherAppPort, otherAgentPort, wildcard.getLocalPort())) {
            assertThat(connects("127.0.0.1", port)).as("host reaches 127.0.0.1:" + port).isTrue();
        }
        assertThat(connects(extraAddress, wildcard.getLocalPort())).as("host reaches the extra address").isTrue();

        String host = host(probe);
        // The probe itself works: it reaches its own port inside its namespace.
        assertThat(dial(host, "127.0.0.1", ownAppPort)).isEqualTo("connected");

        assertThat(dial(host, "127.0.0.1", vibed.port())).as("vibeD's API").isNotEqualTo("connected");
        assertThat(dial(host, "127.0.0.1", otherAppPort)).as("another app's port").isNotEqualTo("connected");
        assertThat(dial(host, "127.0.0.1", otherAgentPort)).as("another sandbox's agent").isNotEqualTo("connected");
        assertThat(dial(host, "127.0.0.1", wildcard.getLocalPort())).as("0.0.0.0 service via loopback")
                .isNotEqualTo("connected");
        assertThat(dial(host, extraAddress, wildcard.getLocalPort())).as("0.0.0.0 service via " + extraAddress)
                .isNotEqualTo("connected");
        for (String address : hostAddresses()) {
            assertThat(dial(host, address, wildcard.getLocalPort())).as("0.0.0.0 service via " + address)
                    .isNotEqualTo("connected");
            assertThat(dial(host, address, vibed.port())).as("the API via " + address).isNotEqualTo("connected");
        }
        // The other app still serves: the refusals above are the sandbox's, not a dead app.
        assertThat(http.getHost(host(other), "/").body()).startsWith("other");
    }

    /** Loopback TCP in the namespace acknowledges at once, so pasta never holds a request's body back 40 ms. */
    @Test
    @Order(2)
    void theNamespaceLoopbackAcknowledgesAtOnce() throws Exception {
        JsonObject probe = deploy("quickack", probeApp(), "127.0.0.1");
        Path dir = data.resolve("sandboxes").resolve(status(probe).sandboxRef());
        long pasta = Long.parseLong(Files.readString(dir.resolve("pasta.pid")).trim());
        long holder = ProcessHandle.of(pasta).orElseThrow().children().findFirst().orElseThrow().pid();
        Process ip = new ProcessBuilder("nsenter", "--target", Long.toString(holder), "--net", "ip", "route", "show",
                "table", "local", "127.0.0.1").redirectErrorStream(true).start();
        String routes = new String(ip.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ip.waitFor()).as(routes).isZero();
        assertThat(routes).as("the namespace's route to 127.0.0.1").contains("quickack 1");
        assertThat(Files.readString(dir.resolve("network.log"))).doesNotContain("could not set quickack");
    }

    @Test
    @Order(2)
    void anAppReachesTheNpmRegistry() {
        JsonObject probe = deploy("probe", probeApp(), "127.0.0.1");
        Http.Response res = http.getHost(host(probe), "/npm");
        assertThat(res.body()).as("GET https://registry.npmjs.org/left-pad from inside the sandbox").isEqualTo("http 200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "localhost", "::"})
    @Order(3)
    void theProxyReachesTheAppWhateverAddressItBinds(String bind) {
        JsonObject probe = deploy("bind-" + bind.replaceAll("[^a-z0-9]", "x"), probeApp(), bind);
        Http.Response res = http.getHost(host(probe), "/");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("probe bound " + bind);
    }

    @Test
    @Order(4)
    void stoppingLeavesNoPastaAndNoFirewallTable() throws Exception {
        List<ProcessHandle> pastas = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(data.resolve("sandboxes"))) {
            for (Path dir : dirs.toList()) {
                Path pid = dir.resolve("pasta.pid");
                if (Files.exists(pid)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(pastas::add);
                }
            }
        }
        assertThat(pastas).as("every sandbox runs a pasta").isNotEmpty();
        String table = "vibed_sandbox_" + ProcessHandle.current().pid();
        assertThat(run("nft", "list", "tables")).contains(table).doesNotContain(staleTable + "\n");

        vibed.close();
        vibed = null;

        for (ProcessHandle p : pastas) {
            p.onExit().get(5, TimeUnit.SECONDS);
        }
        assertThat(pastas).noneMatch(ProcessHandle::isAlive);
        assertThat(run("nft", "list", "tables")).doesNotContain(table);
    }

    /** Deploys and waits until the app serves: on a loaded machine a deploy may outlast the API's 10 s wait (202). */
    private static JsonObject deploy(String name, byte[] app, String bind) {
        Http.Response res = http.deploy(app, "{\"name\":\"" + name + "\",\"env\":{\"BIND\":\"" + bind + "\"}}");
        assertThat(res.status()).as(res.body()).isIn(200, 202);
        JsonObject deployed = res.json();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(http.getHost(host(deployed), "/").status()).isEqualTo(200));
        return deployed;
    }

    /** Asks the probe app to open a TCP connection from inside its sandbox; answers "connected" or the error code. */
    private static String dial(String appHost, String address, int port) {
        Http.Response res = http.getHost(appHost, "/tcp?host=" + address + "&port=" + port);
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return res.body();
    }

    static byte[] probeApp() {
        return TarGz.create()
                .file("package.json", "{\"name\":\"probe\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", """
                        const http = require('http'), net = require('net'), https = require('https'), fs = require('fs');
                        function tcp(host, port) {
                          return new Promise(done => {
                            const s = net.connect({host, port, timeout: 2000}, () => { s.destroy(); done('connected'); });
                            s.on('error', e => done(e.code || String(e)));
                            s.on('timeout', () => { s.destroy(); done('timeout'); });
                          });
                        }
                        function npm() {
                          // The system bundle: machines behind a TLS-inspecting proxy add its CA there.
                          const ca = fs.readFileSync('/etc/ssl/certs/ca-certificates.crt');
                          return new Promise(done => https.get('https://registry.npmjs.org/left-pad', {ca, timeout: 15000},
                            res => { res.resume(); done('http ' + res.statusCode); }).on('error', e => done(e.code || String(e))));
                        }
                        const bind = process.env.BIND;
                        http.createServer(async (req, res) => {
                          const u = new URL(req.url, 'http://probe');
                          if (u.pathname === '/tcp') return res.end(await tcp(u.searchParams.get('host'), +u.searchParams.get('port')));
                          if (u.pathname === '/npm') return res.end(await npm());
                          res.end('probe bound ' + bind);
                        }).listen(+process.env.PORT, bind);
                        """)
                .bytes();
    }

    private static AppStatus status(JsonObject deployed) {
        return vibed.store().get(deployed.getString("app_id")).orElseThrow().status();
    }

    private static int port(String routeTarget) {
        return Integer.parseInt(routeTarget.substring(routeTarget.lastIndexOf(':') + 1));
    }

    private static int controlPort(String sandboxName) throws IOException {
        String log = Files.readString(data.resolve("sandboxes").resolve(sandboxName).resolve("agent.log"));
        Matcher m = CONTROL.matcher(log);
        assertThat(m.find()).as("ready line in the agent log").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String host(JsonObject deployed) {
        return URI.create(deployed.getString("url")).getAuthority();
    }

    /** Every IPv4 address of this host that is not loopback (a namespace copies some of them, but not all hosts). */
    private static List<String> hostAddresses() throws IOException {
        List<String> out = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    out.add(a.getHostAddress());
                }
            }
        }
        return out;
    }

    /**
     * Adds a TEST-NET-2 address to lo, like the LAN or bridge address through which a sandbox without the firewall
     * rule reaches a wildcard-bound host service. Random, so concurrent runs on one machine do not share it.
     */
    private static String addAddressToLoopback() throws Exception {
        for (int i = 0; i < 5; i++) {
            String address = "198.51.100." + (2 + new SecureRandom().nextInt(250));
            if (run("ip", "-o", "addr", "show", "dev", "lo").contains(" " + address + "/")) {
                continue;
            }
            run("ip", "addr", "add", address + "/32", "dev", "lo");
            return address;
        }
        throw new IllegalStateException("no free test address on lo");
    }

    private static void serveSecret() {
        while (!wildcard.isClosed()) {
            try (Socket s = wildcard.accept(); OutputStream out = s.getOutputStream()) {
                out.write("SECRET\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed at the end of the test
            }
        }
    }

    private static boolean connects(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean installed(String binary) {
        return Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin").anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
