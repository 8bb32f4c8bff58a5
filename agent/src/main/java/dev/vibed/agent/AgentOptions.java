package dev.vibed.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything that configures one agent process. The same record is parsed from the command line by
 * {@link AgentMain} and turned back into flags by {@link AgentLauncher}, so the two can never drift apart.
 *
 * @param controlPort    control API port; 0 picks a free one (the ready line reports it)
 * @param appPort        default port of the user app when an inject does not name one
 * @param workspace      where downloads and releases live; wiped at start because a restarted agent is empty
 * @param bind           address for both the control API and the app
 * @param isolation      {@code AUTO} = bubblewrap when installed
 * @param workerd        the workerd binary, or null for env {@code VIBED_WORKERD}, then PATH
 * @param listenTimeout  how long a started app may take to accept connections on its port
 * @param memoryMb       cgroup memory limit of the user process tree (when cgroups are writable); 0 = none
 * @param dataMb         RLIMIT_DATA of the user process; 0 = none. Larger than memoryMb because V8 (node, workerd)
 *                       maps writable reservations it never touches: workerd does not start under 512 MiB
 * @param pidsMax        cgroup pids.max of the user process tree; 0 = none
 * @param openFiles      RLIMIT_NOFILE of the user process
 * @param installTimeout budget for {@code npm install} / {@code pip install}, and for a static site's build
 * @param stopGrace      time between SIGTERM and SIGKILL
 * @param cacheDir       launcher only: where the JVM's CDS archive is kept; null disables it
 * @param packageCache   the npm cache shared by the sandboxes of this agent's template (read-only to them, filled
 *                       by the agents); null: every release downloads its own packages
 * @param pythonIndex    where pip installs from: a folder of wheels (then only from there) or an index URL; null:
 *                       pip's default
 * @param warmRuntime    the runtime to pre-start for the next app ({@code node}, {@code python}) or {@code none}:
 *                       the template's, so that a deploy skips the interpreter's start
 */
public record AgentOptions(int controlPort, int appPort, Path workspace, String bind, Isolation isolation,
                           Path workerd, Duration listenTimeout, int memoryMb, int dataMb, int pidsMax,
                           int openFiles, Duration installTimeout, Duration stopGrace, Path cacheDir,
                           Path packageCache, String pythonIndex, String warmRuntime) {

    public AgentOptions {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(listenTimeout, "listenTimeout");
        Objects.requireNonNull(installTimeout, "installTimeout");
        Objects.requireNonNull(stopGrace, "stopGrace");
        Objects.requireNonNull(warmRuntime, "warmRuntime");
        if (!warmRuntime.equals("none")) {
            WarmRuntime.Kind.fromWire(warmRuntime);
        }
        checkPort("--control-port", controlPort, true);
        checkPort("--app-port", appPort, false);
        if (memoryMb < 0 || dataMb < 0 || pidsMax < 0 || openFiles < 16) {
            throw new IllegalArgumentException("limits must be >= 0 (open files >= 16)");
        }
        if (listenTimeout.isNegative() || listenTimeout.isZero()) {
            throw new IllegalArgumentException("--listen-timeout-ms must be > 0");
        }
    }

    public static AgentOptions defaults(Path workspace) {
        return new AgentOptions(9000, 8080, workspace, "127.0.0.1", Isolation.AUTO, null, Duration.ofSeconds(30),
                512, 1024, 256, 1024, Duration.ofMinutes(3), Duration.ofSeconds(3), null, null, null, "none");
    }

    public AgentOptions withControlPort(int port) {
        return new AgentOptions(port, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb, dataMb,
                pidsMax, openFiles, installTimeout, stopGrace, cacheDir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withAppPort(int port) {
        return new AgentOptions(controlPort, port, workspace, bind, isolation, workerd, listenTimeout, memoryMb, dataMb,
                pidsMax, openFiles, installTimeout, stopGrace, cacheDir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withBind(String address) {
        return new AgentOptions(controlPort, appPort, workspace, address, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, cacheDir,
                packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withIsolation(Isolation mode) {
        return new AgentOptions(controlPort, appPort, workspace, bind, mode, workerd, listenTimeout, memoryMb, dataMb,
                pidsMax, openFiles, installTimeout, stopGrace, cacheDir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withWorkerd(Path binary) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, binary, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, cacheDir,
                packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withListenTimeout(Duration timeout) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, timeout, memoryMb, dataMb,
                pidsMax, openFiles, installTimeout, stopGrace, cacheDir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withLimits(int memoryMb, int dataMb, int pidsMax, int openFiles) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, cacheDir,
                packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withInstallTimeout(Duration timeout) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, timeout, stopGrace, cacheDir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withStopGrace(Duration grace) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, grace, cacheDir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withCacheDir(Path dir) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, dir, packageCache, pythonIndex, warmRuntime);
    }

    public AgentOptions withPackageCache(Path dir) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, cacheDir, dir, pythonIndex, warmRuntime);
    }

    public AgentOptions withPythonIndex(String folderOrUrl) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, cacheDir,
                packageCache, folderOrUrl, warmRuntime);
    }

    public AgentOptions withWarmRuntime(String runtime) {
        return new AgentOptions(controlPort, appPort, workspace, bind, isolation, workerd, listenTimeout, memoryMb,
                dataMb, pidsMax, openFiles, installTimeout, stopGrace, cacheDir, packageCache, pythonIndex, runtime);
    }

    /** The agent's command-line flags for these options ({@code cacheDir} is a JVM concern and is not among them). */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(
                "--control-port", Integer.toString(controlPort),
                "--app-port", Integer.toString(appPort),
                "--workspace", workspace.toString(),
                "--bind", bind,
                "--isolation", isolation.wire(),
                "--listen-timeout-ms", Long.toString(listenTimeout.toMillis()),
                "--memory-mb", Integer.toString(memoryMb),
                "--data-mb", Integer.toString(dataMb),
                "--pids-max", Integer.toString(pidsMax),
                "--open-files", Integer.toString(openFiles),
                "--install-timeout-ms", Long.toString(installTimeout.toMillis()),
                "--stop-grace-ms", Long.toString(stopGrace.toMillis())));
        if (workerd != null) {
            args.add("--workerd");
            args.add(workerd.toString());
        }
        if (packageCache != null) {
            args.add("--package-cache");
            args.add(packageCache.toString());
        }
        if (pythonIndex != null) {
            args.add("--python-index");
            args.add(pythonIndex);
        }
        if (!warmRuntime.equals("none")) {
            args.add("--warm-runtime");
            args.add(warmRuntime);
        }
        return args;
    }

    /** Parses agent flags; unknown flags and bad values are {@link IllegalArgumentException}s naming the flag. */
    public static AgentOptions parse(String[] args) {
        AgentOptions o = defaults(Path.of("workspace"));
        Path workspace = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'");
            }
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = args[++i];
            }
            o = switch (flag) {
                case "--control-port" -> o.withControlPort(integer(flag, value));
                case "--app-port" -> o.withAppPort(integer(flag, value));
                case "--workspace" -> {
                    workspace = Path.of(value);
                    yield o;
                }
                case "--bind" -> o.withBind(value);
                case "--isolation" -> o.withIsolation(Isolation.fromWire(value));
                case "--workerd" -> o.withWorkerd(Path.of(value));
                case "--listen-timeout-ms" -> o.withListenTimeout(Duration.ofMillis(integer(flag, value)));
                case "--memory-mb" -> o.withLimits(integer(flag, value), o.dataMb, o.pidsMax, o.openFiles);
                case "--data-mb" -> o.withLimits(o.memoryMb, integer(flag, value), o.pidsMax, o.openFiles);
                case "--pids-max" -> o.withLimits(o.memoryMb, o.dataMb, integer(flag, value), o.openFiles);
                case "--open-files" -> o.withLimits(o.memoryMb, o.dataMb, o.pidsMax, integer(flag, value));
                case "--install-timeout-ms" -> o.withInstallTimeout(Duration.ofMillis(integer(flag, value)));
                case "--stop-grace-ms" -> o.withStopGrace(Duration.ofMillis(integer(flag, value)));
                case "--package-cache" -> o.withPackageCache(Path.of(value).toAbsolutePath().normalize());
                case "--python-index" -> o.withPythonIndex(value);
                case "--warm-runtime" -> o.withWarmRuntime(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            };
        }
        if (workspace == null) {
            throw new IllegalArgumentException("--workspace is required");
        }
        return new AgentOptions(o.controlPort, o.appPort, workspace.toAbsolutePath().normalize(), o.bind, o.isolation,
                o.workerd, o.listenTimeout, o.memoryMb, o.dataMb, o.pidsMax, o.openFiles, o.installTimeout,
                o.stopGrace, null, o.packageCache, o.pythonIndex, o.warmRuntime);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be an integer, not '" + value + "'");
        }
    }

    private static void checkPort(String flag, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(flag + " must be " + (zeroAllowed ? "0" : "1") + "..65535");
        }
    }
}
