package dev.vibed.standalone.sandbox;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Gives each local sandbox its own network namespace, so an app cannot call vibeD's API, the agents' control
 * ports or other apps' ports on the host's loopback, yet still reaches the internet (npm install, its own API
 * calls). pasta (Debian {@code passt}) creates the namespace and relays its traffic through ordinary host sockets,
 * and forwards two host loopback ports in: the agent's control port and the app's port, at the same numbers inside.
 *
 * <p>Which protection this machine allows is decided once, at start, by really starting a namespace; what is
 * missing is said in one warning. As root the helper runs as a dedicated account, which the nftables rule of
 * {@link SandboxFirewall} keys on; without root or nft the namespace still hides the host's loopback, but host
 * services bound to 0.0.0.0, the LAN and link-local metadata stay reachable.
 */
public final class SandboxNetworks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SandboxNetworks.class.getName());
    private static final String UP = "vibed-netns-up";
    /** Without these flags pasta maps the host's loopback and gateway into the namespace (see the isolation notes). */
    private static final List<String> CLOSED = List.of("-q", "-f", "--config-net", "-u", "none", "-U", "none",
            "--no-map-gw");

    private final Path pasta;
    private final Path nsenter;
    /** iproute2's {@code ip}, to set the namespace's loopback route (see {@link #quickAck()}); null when missing. */
    private final Path ip;
    private final SandboxUser user;
    private final Path setpriv;
    private final boolean firewalled;
    private volatile List<Integer> hostPorts = List.of();
    private volatile boolean closed;

    private SandboxNetworks(Path pasta, Path nsenter, Path ip, SandboxUser user, boolean firewalled) {
        this.pasta = pasta;
        this.nsenter = nsenter;
        this.ip = ip;
        this.user = user;
        this.setpriv = user == null ? null : onPath("setpriv").orElseThrow();
        this.firewalled = firewalled;
    }

    /** No namespaces: sandboxes share the host's network (isolation turned off, or not possible here). */
    public static SandboxNetworks shared() {
        return new SandboxNetworks(null, null, null, null, false);
    }

    /** Finds out what this machine allows, logging one warning that says what stays open when it is not all. */
    public static SandboxNetworks forThisMachine() {
        return detect(SandboxNetworks::onPath, SandboxUser.currentUid());
    }

    /** @param which finds a tool by name (PATH in production) */
    static SandboxNetworks detect(Function<String, Optional<Path>> which, int uid) {
        Optional<Path> pasta = which.apply("pasta");
        Optional<Path> nsenter = which.apply("nsenter");
        if (pasta.isEmpty() || nsenter.isEmpty()) {
            warn("pasta (Debian package passt)" + (nsenter.isEmpty() ? " or nsenter (util-linux)" : "")
                    + " is not installed", sharedHole(), "apt-get install passt");
            return shared();
        }
        boolean root = uid == 0;
        SandboxUser user = null;
        if (root) {
            StringBuilder why = new StringBuilder();
            user = SandboxUser.ensure(why).orElse(null);
            if (user == null || which.apply("setpriv").isEmpty()) {
                // pasta refuses to create its namespaces as root, so without an account there is no namespace.
                warn("vibeD runs as root but has no unprivileged account for the sandboxes' network ("
                        + (user == null ? why : "setpriv is missing") + ")", sharedHole(),
                        "useradd --system " + SandboxUser.NAME);
                return shared();
            }
        }
        Path ip = which.apply("ip").orElse(null);
        if (ip == null) {
            // Isolation does not depend on it, so this is no isolation warning: only speed does.
            LOG.warning("ip (iproute2) is not installed, so a request into a sandbox can wait 40 ms for a delayed"
                    + " acknowledgement behind pasta. Fix: apt-get install iproute2.");
        }
        SandboxNetworks candidate = new SandboxNetworks(pasta.get(), nsenter.get(), ip, user, false);
        String failure = candidate.probe();
        if (failure != null) {
            warn("pasta cannot create a network namespace here: " + failure, sharedHole(),
                    "check that " + (user == null ? "your user" : "user " + user.name())
                            + " may open /dev/net/tun (stock mode 0666) and create user namespaces");
            return shared();
        }
        if (!root) {
            warn("vibeD does not run as root, so no firewall rule can tell sandbox traffic apart",
                    firewallHole(), "run vibeD as root with nftables installed");
            return candidate;
        }
        Optional<Path> nftBinary = which.apply("nft");
        String nft = nftBinary.isEmpty() ? "nft (nftables) is not installed" : SandboxFirewall.acquire(nftBinary.get(), user);
        if (nft != null) {
            warn(nft, firewallHole(), "apt-get install nftables");
            return candidate;
        }
        LOG.info("sandboxes get their own network namespace (pasta, as user " + user.name()
                + "); firewall table inet " + SandboxFirewall.tableName());
        return new SandboxNetworks(pasta.get(), nsenter.get(), ip, user, true);
    }

    public boolean isolated() {
        return pasta != null;
    }

    public boolean firewalled() {
        return firewalled;
    }

    /**
     * A port on the host's loopback that sandboxes may dial: the service their agents download sources from.
     * Set before the first sandbox starts; sandboxes started earlier keep the ports they had.
     */
    public void allowHostPort(int port) {
        List<Integer> ports = new ArrayList<>(hostPorts);
        ports.add(port);
        hostPorts = List.copyOf(ports);
    }

    /** The host ports sandboxes may dial (see {@link #allowHostPort}). */
    List<Integer> hostPorts() {
        return hostPorts;
    }

    /**
     * Starts a namespace whose {@code forwarded} ports are reachable on the host's 127.0.0.1 at the same numbers.
     *
     * @throws IOException when pasta exits before the namespace is up (for example because a port was taken
     *                     since it was picked); the message carries pasta's own words
     */
    SandboxNetns open(Path dir, List<Integer> forwarded) throws IOException {
        if (!isolated()) {
            throw new IllegalStateException("sandboxes share the host network here");
        }
        if (closed) {
            throw new IOException("the sandbox network is closed");
        }
        Path log = dir.resolve("network.log");
        Process p = new ProcessBuilder(command(forwarded, List.of("/bin/sh", "-c", quickAck() + "echo " + UP + "; exec cat >/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String line = firstLine(p, 10_000);
        if (!UP.equals(line)) {
            p.destroyForcibly();
            throw new IOException("pasta did not start the sandbox network: " + tail(log));
        }
        Optional<ProcessHandle> holder = p.children().findFirst();
        if (holder.isEmpty()) {
            p.destroyForcibly();
            throw new IOException("pasta started no holder process: " + tail(log));
        }
        Files.writeString(dir.resolve(SandboxNetns.PID_FILE), Long.toString(p.pid()));
        return new SandboxNetns(p, holder.get(), p.getOutputStream(), nsenter, user != null);
    }

    /**
     * Inside the namespace, loopback TCP acknowledges every segment at once. pasta relays a connection into the
     * namespace without TCP_NODELAY, so when a client writes a request's head and body as two segments (the JDK's
     * client does), pasta held the body until the receiver acknowledged the head, and Linux delays that
     * acknowledgement by 40 ms: about half of the agent's injects waited that long. A failure is logged to the
     * sandbox's network.log and costs only that delay.
     */
    private String quickAck() {
        return ip == null ? "" : ip + " route change local 127.0.0.1 dev lo table local proto kernel scope host"
                + " src 127.0.0.1 quickack 1 || echo 'vibed: could not set quickack on the loopback route' >&2; ";
    }

    private List<String> command(List<Integer> forwarded, List<String> inside) {
        List<String> cmd = new ArrayList<>();
        if (user != null) {
            cmd.addAll(user.runAs(setpriv));
        }
        cmd.add(pasta.toString());
        cmd.addAll(CLOSED);
        List<Integer> out = hostPorts;
        cmd.add("-T");
        cmd.add(out.isEmpty() ? "none" : out.stream().map(String::valueOf).collect(Collectors.joining(",")));
        for (int port : forwarded) {
            // With an address, pasta binds only the host's loopback: without one it listens on every interface.
            cmd.add("-t");
            cmd.add("127.0.0.1/" + port);
        }
        cmd.add("--");
        cmd.addAll(inside);
        return cmd;
    }

    /** Starts one namespace running {@code true}: the only way to know that pasta, tun and user namespaces work. */
    private String probe() {
        try {
            Process p = new ProcessBuilder(command(List.of(), List.of("/bin/true"))).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "pasta did not finish within 10 s";
            }
            return p.exitValue() == 0 ? null : "exit code " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String firstLine(Process p, long timeoutMs) {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            return line.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no output)" : String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** Gives back this process's hold on the firewall table; once, however often it is called. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (firewalled) {
            SandboxFirewall.release();
        }
    }

    private static String sharedHole() {
        return "apps share the host network: they can call vibeD's API on 127.0.0.1, every agent's control port "
                + "and every other app's port, and every service of this host and its LAN";
    }

    private static String firewallHole() {
        return "each sandbox has its own network namespace, but host services bound to 0.0.0.0 (through the host's "
                + "other addresses), the LAN and link-local metadata (169.254.169.254) stay reachable from apps";
    }

    private static void warn(String problem, String consequence, String fix) {
        String text = "SANDBOX NETWORK NOT FULLY ISOLATED: " + problem + ". So " + consequence + ". Fix: " + fix + ".";
        LOG.warning("\n" + "*".repeat(100) + "\n" + wrap(text, 96) + "*".repeat(100));
    }

    private static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width) {
                out.append("* ").append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            out.append("* ").append(line).append('\n');
        }
        return out.toString();
    }

    static Optional<Path> onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + File.pathSeparator + "/usr/sbin:/sbin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
