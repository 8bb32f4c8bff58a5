package dev.vibed.agent;

import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.ArchiveRejectedException;
import dev.vibed.core.archive.SafeExtractor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** The composition root: builds the parts from the options and owns their lifetime. */
final class Agent implements AutoCloseable {
    private final String bootId;
    private final ControlServer control;
    private final AppSupervisor supervisor;
    private final ProcessSpawner spawner;
    private final Supplier<Optional<Cgroups.Group>> cgroup;
    private final Isolation isolation;
    private final HeapSettler settler;

    private Agent(String bootId, ControlServer control, AppSupervisor supervisor, ProcessSpawner spawner,
                  Supplier<Optional<Cgroups.Group>> cgroup, Isolation isolation, HeapSettler settler) {
        this.bootId = bootId;
        this.control = control;
        this.supervisor = supervisor;
        this.spawner = spawner;
        this.cgroup = cgroup;
        this.isolation = isolation;
        this.settler = settler;
    }

    static Agent start(AgentOptions o, String token) throws IOException {
        String bootId = UUID.randomUUID().toString();
        Files.createDirectories(o.workspace());
        Runtimes runtimes = Runtimes.detect(o.workerd());
        Isolation isolation = resolve(o.isolation());
        SandboxCommand sandbox = sandbox(o, isolation, runtimes);

        Cgroups cgroups = Cgroups.forThisProcess(o.memoryMb(), o.pidsMax());
        Supplier<Optional<Cgroups.Group>> cgroup = memoize(() -> cgroups.create("vibed-agent-" + bootId));

        LogBuffer logs = new LogBuffer(2000, 8192, 2_000_000);
        ProcessSpawner spawner = new ProcessSpawner();
        Releases releases = new Releases(o.workspace());
        WarmRuntimes warm = new WarmRuntimes(o.warmRuntime().equals("none") ? List.of()
                : List.of(WarmRuntime.Kind.fromWire(o.warmRuntime())), runtimes,
                new UserProcesses(spawner, sandbox, cgroup, logs), sandbox, releases, logs,
                o.workspace().resolve("events"), o.bind(), o.appPort());
        AppSupervisor supervisor = new AppSupervisor(spawner, sandbox, cgroup, logs, new PortProbe(o.bind()),
                o.bind(), bootId, o.appPort(), AppSupervisor.Settings.of(o), warm);
        PackageCache npmCache = o.packageCache() == null ? null : new PackageCache(o.packageCache());
        SourceDownloader downloader = new SourceDownloader(Duration.ofMinutes(5));
        SafeExtractor extractor = new SafeExtractor();
        EntrypointDetector detector = new EntrypointDetector(runtimes, npmCache, pipEnv(o.pythonIndex()));
        ArchiveLimits limits = ArchiveLimits.defaults();
        HeapSettler settler = new HeapSettler(Duration.ofSeconds(2));
        Injector injector = new Injector(downloader, extractor, releases, detector, supervisor, sandbox, limits,
                o.bind(), settler);
        // Nobody knows the control port before the ready line, so nobody else can inject during these warm-ups.
        ControlServer control = new ControlServer(o.bind(), o.controlPort(), new Authenticator(token), injector,
                supervisor, logs, new RuntimeInfo(runtimes), Duration.ofSeconds(15)).start();
        InjectWarmup.callControl(o.bind(), control.port(), token);
        // A real inject and stop through the control API; the stop starts the warm runtimes, which then boot while
        // the in-process warm-up below runs, so a claim right after ready finds them loaded.
        if (!InjectWarmup.throughControl(o.bind(), control.port(), token, o.appPort())) {
            supervisor.stop(); // ends whatever the warm-up started, and starts the warm runtimes all the same
        }
        supervisor.forgetWarmUp();
        releases.pruneExcept(null); // the warm-up's release; a reservation made meanwhile stays
        warmUp(new InjectWarmup(downloader, extractor, detector, limits, releases.downloads()));
        try {
            warm.awaitLoaded(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down while starting: ready does not matter any more
        }
        return new Agent(bootId, control, supervisor, spawner, cgroup, isolation, settler);
    }

    private static void warmUp(InjectWarmup warmup) {
        try {
            InjectWarmup.Timings t = warmup.run();
            HeapSettler.settleNow();
            AgentLog.info("warm-up done: " + t.describe());
        } catch (IOException | ApiException | ArchiveRejectedException | RuntimeException e) {
            // Only slower, not broken: the real inject pays what the warm-up could not.
            AgentLog.info("warm-up failed, the first inject will be slower: " + e.getMessage());
        }
    }

    /**
     * pip's settings for installs, as env of the install step only: the app never sees them. A folder is a
     * local index of wheels and the only source; anything with a scheme is an index URL.
     */
    static Map<String, String> pipEnv(String pythonIndex) {
        if (pythonIndex == null || pythonIndex.isBlank()) {
            return Map.of();
        }
        if (pythonIndex.contains("://")) {
            return Map.of("PIP_INDEX_URL", pythonIndex);
        }
        return Map.of("PIP_FIND_LINKS", Path.of(pythonIndex).toAbsolutePath().normalize().toString(),
                "PIP_NO_INDEX", "1");
    }

    private static Isolation resolve(Isolation requested) {
        if (requested == Isolation.AUTO) {
            return Executables.onAgentPath("bwrap").isPresent() ? Isolation.BWRAP : Isolation.NONE;
        }
        return requested;
    }

    private static SandboxCommand sandbox(AgentOptions o, Isolation isolation, Runtimes runtimes) {
        Path bwrap = null;
        if (isolation == Isolation.BWRAP) {
            bwrap = Executables.onAgentPath("bwrap").orElseThrow(() ->
                    new IllegalArgumentException("--isolation bwrap, but bwrap is not on PATH"));
        }
        Path prlimit = Executables.onAgentPath("prlimit").orElse(null);
        if (prlimit == null) {
            AgentLog.info("prlimit (util-linux) not found: user processes run without rlimits");
        }
        List<Path> extras = new ArrayList<>();
        if (runtimes.workerd() != null && !runtimes.workerd().startsWith("/usr/")) {
            extras.add(runtimes.workerd().getParent());
        }
        // Shared read-only: the template's package cache (its blobs are linked from each release's own cache) and
        // a local wheel index.
        if (o.packageCache() != null) {
            try {
                Files.createDirectories(o.packageCache());
                extras.add(o.packageCache());
            } catch (IOException e) {
                AgentLog.info("package cache " + o.packageCache() + " is unusable: " + e.getMessage());
            }
        }
        if (o.pythonIndex() != null && !o.pythonIndex().contains("://") && Files.isDirectory(Path.of(o.pythonIndex()))) {
            extras.add(Path.of(o.pythonIndex()).toAbsolutePath().normalize());
        }
        Path hosts = null;
        if (bwrap != null) {
            hosts = o.workspace().resolve("hosts");
            try {
                Files.writeString(hosts, SandboxCommand.HOSTS);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the sandbox's hosts file", e);
            }
        }
        return new SandboxCommand(bwrap, prlimit, o.openFiles(), o.dataMb(), extras, hosts);
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public synchronized T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }

    String bootId() {
        return bootId;
    }

    int controlPort() {
        return control.port();
    }

    Isolation isolation() {
        return isolation;
    }

    @Override
    public void close() {
        control.close();
        supervisor.close();
        cgroup.get().ifPresent(Cgroups.Group::remove);
        spawner.close();
        settler.close();
    }
}
