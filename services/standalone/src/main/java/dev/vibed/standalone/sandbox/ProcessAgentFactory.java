package dev.vibed.standalone.sandbox;

import dev.vibed.agent.AgentHandle;
import dev.vibed.agent.AgentLauncher;
import dev.vibed.agent.AgentOptions;
import dev.vibed.agent.Isolation;
import dev.vibed.core.agent.AgentClient;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Starts local sandboxes as real {@code vibed-agent} processes, each with its own control token (random, never
 * written to disk), its own control and app ports on the host's loopback, and (where {@link SandboxNetworks}
 * allows) its own network namespace shared by the agent and its app. The agent confines the user process with
 * bubblewrap when it is installed.
 */
public final class ProcessAgentFactory implements LocalAgentFactory {
    private static final Logger LOG = Logger.getLogger(ProcessAgentFactory.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String WORKERD_IN_TOOLS = ".tools/node_modules/@cloudflare/workerd-linux-64/bin/workerd";

    private final Path javaHome;
    private final Path cacheDir;
    private final Path workerd;
    private final Isolation isolation;
    private final SandboxNetworks network;
    private final Path packageCache;
    private final String pythonIndex;

    public ProcessAgentFactory(Path javaHome, Path cacheDir, Path workerd, Isolation isolation) {
        this(javaHome, cacheDir, workerd, isolation, SandboxNetworks.shared());
    }

    public ProcessAgentFactory(Path javaHome, Path cacheDir, Path workerd, Isolation isolation, SandboxNetworks network) {
        this(javaHome, cacheDir, workerd, isolation, network, null, null);
    }

    private ProcessAgentFactory(Path javaHome, Path cacheDir, Path workerd, Isolation isolation, SandboxNetworks network,
                                Path packageCache, String pythonIndex) {
        this.javaHome = javaHome;
        this.cacheDir = cacheDir;
        this.workerd = workerd;
        this.isolation = isolation;
        this.network = network;
        this.packageCache = packageCache;
        this.pythonIndex = pythonIndex;
    }

    /** Package caches shared per template under {@code root} ({@code <root>/<template>/npm}); null: none. */
    public ProcessAgentFactory withPackageCache(Path root) {
        return new ProcessAgentFactory(javaHome, cacheDir, workerd, isolation, network,
                root == null ? null : root.toAbsolutePath().normalize(), pythonIndex);
    }

    /** Where pip installs from: a folder of wheels (the only source then) or an index URL; null: pip's default. */
    public ProcessAgentFactory withPythonIndex(String folderOrUrl) {
        return new ProcessAgentFactory(javaHome, cacheDir, workerd, isolation, network, packageCache, folderOrUrl);
    }

    /** The JVM running vibeD starts the agents too; workerd is found through VIBED_WORKERD or the repo's .tools. */
    public static ProcessAgentFactory forThisMachine(Path cacheDir) {
        Path workerd = Optional.ofNullable(System.getenv("VIBED_WORKERD")).map(Path::of).filter(Files::isExecutable)
                .or(ProcessAgentFactory::workerdInTools).or(() -> onPath("workerd")).orElse(null);
        Isolation isolation = onPath("bwrap").isPresent() ? Isolation.BWRAP : Isolation.NONE;
        if (isolation == Isolation.NONE) {
            LOG.warning("""

                    ******************************************************************************
                    *  bubblewrap (bwrap) is not installed: apps run WITHOUT isolation, with the  *
                    *  same access as vibeD itself. Install it: apt-get install bubblewrap        *
                    ******************************************************************************""");
        }
        // Installs of the same dependencies share a per-template package cache beside the JVM cache.
        return new ProcessAgentFactory(Path.of(System.getProperty("java.home")), cacheDir.toAbsolutePath(), workerd, isolation,
                SandboxNetworks.forThisMachine())
                .withPackageCache(cacheDir.resolve("packages"))
                .withPythonIndex(Optional.ofNullable(System.getenv("VIBED_PYTHON_INDEX")).filter(s -> !s.isBlank())
                        .orElse(null));
    }

    /** The templates among {@code wanted} whose runtime this machine has; the others are reported and dropped. */
    public Set<String> availableTemplates(Set<String> wanted) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : wanted) {
            boolean ok = switch (t) {
                case "static" -> true;
                case "node" -> onPath("node").isPresent();
                case "python" -> onPath("python3").isPresent();
                case "workerd" -> workerd != null;
                default -> false;
            };
            if (ok) {
                out.add(t);
            } else {
                LOG.warning("template '" + t + "' is unavailable: its runtime is not installed"
                        + ("workerd".equals(t) ? " (npm install --prefix .tools workerd, or set VIBED_WORKERD)" : ""));
            }
        }
        return out;
    }

    public Isolation isolation() {
        return isolation;
    }

    public SandboxNetworks network() {
        return network;
    }

    @Override
    public void allowHostPort(int port) {
        network.allowHostPort(port);
    }

    @Override
    public void close() {
        network.close();
    }

    @Override
    public LocalAgent start(String name, String template, Path dir) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        if (!network.isolated()) {
            AgentHandle handle = AgentLauncher.start(javaHome, options(dir, template, 0, freePort()), token,
                    dir.resolve("agent.log"), Duration.ofSeconds(20));
            return new ProcessAgent(name, template, dir, handle, null);
        }
        // Both ports are forwarded at the same number inside the namespace, so the agent and the app bind what the
        // host dials. A port picked here may be taken before pasta binds it: then pasta exits and we pick again.
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            AgentOptions opts = options(dir, template, freePortBut(network.hostPorts()), freePortBut(network.hostPorts()));
            SandboxNetns netns;
            try {
                netns = network.open(dir, List.of(opts.controlPort(), opts.appPort()));
            } catch (IOException e) {
                last = e;
                continue;
            }
            try {
                List<String> command = new ArrayList<>(netns.enter());
                command.addAll(AgentLauncher.command(javaHome, opts));
                AgentHandle handle = AgentLauncher.start(command, opts, token, dir.resolve("agent.log"),
                        Duration.ofSeconds(20));
                return new ProcessAgent(name, template, dir, handle, netns);
            } catch (IOException | RuntimeException e) {
                netns.close();
                throw e;
            }
        }
        throw last;
    }

    private AgentOptions options(Path dir, String template, int controlPort, int appPort) {
        AgentOptions opts = AgentOptions.defaults(dir.resolve("workspace"))
                .withControlPort(controlPort)
                .withAppPort(appPort)
                .withBind("127.0.0.1")
                .withIsolation(isolation)
                .withCacheDir(cacheDir)
                // The template's interpreter is started before the app arrives (the agent's warm runtime).
                .withWarmRuntime(switch (template) {
                    case "node", "python" -> template;
                    default -> "none";
                });
        if (workerd != null) {
            opts = opts.withWorkerd(workerd);
        }
        if (packageCache != null) {
            opts = opts.withPackageCache(packageCache.resolve(template).resolve("npm"));
        }
        if (pythonIndex != null) {
            opts = opts.withPythonIndex(pythonIndex);
        }
        return opts;
    }

    /** A free port that is none of {@code reserved}: those are picked but may not be bound yet (vibeD starts them later). */
    private static int freePortBut(List<Integer> reserved) throws IOException {
        int port;
        do {
            port = freePort();
        } while (reserved.contains(port));
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<Path> workerdInTools() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(WORKERD_IN_TOOLS);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @param netns the sandbox's network namespace, or null when it shares the host's network */
    private record ProcessAgent(String name, String template, Path dir, AgentHandle handle, SandboxNetns netns)
            implements LocalAgent {
        @Override
        public AgentClient.Endpoint endpoint() {
            return new AgentClient.Endpoint(handle.controlUri(), handle.token());
        }

        @Override
        public String appHost() {
            return handle.host();
        }

        @Override
        public int appPort() {
            return handle.appPort();
        }

        @Override
        public long pid() {
            return handle.pid();
        }

        @Override
        public boolean alive() {
            // Without pasta the agent is unreachable: as good as dead to the pool.
            return handle.process().isAlive() && (netns == null || netns.alive());
        }

        @Override
        public void destroy() {
            try {
                handle.close(Duration.ofSeconds(3));
            } finally {
                if (netns != null) {
                    netns.close();
                }
            }
        }

        @Override
        public String toString() {
            return "ProcessAgent[" + name + ", " + handle + "]";
        }
    }
}
