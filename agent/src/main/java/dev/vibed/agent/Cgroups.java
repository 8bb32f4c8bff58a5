package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v1 limits for the user process tree: a child of the agent's own memory and pids cgroups (never the
 * hierarchy root, never someone else's). Hosts in hybrid mode have no v2 memory or pids controller, so v1 is
 * what limits anything there. When the hierarchy is not writable (an unprivileged pod) limits are skipped
 * quietly: rlimits and the pod's own limits still apply.
 */
final class Cgroups {
    private static final Path MOUNT = Path.of("/sys/fs/cgroup");

    /** The per-agent child group; one app runs at a time, so one group serves every run. */
    record Group(Path memoryDir, Path pidsDir) {
        List<Path> procsFiles() {
            List<Path> out = new ArrayList<>(2);
            if (memoryDir != null) {
                out.add(memoryDir.resolve("cgroup.procs"));
            }
            if (pidsDir != null) {
                out.add(pidsDir.resolve("cgroup.procs"));
            }
            return out;
        }

        /** How many times the kernel's OOM killer has struck in the group so far (0 when unknown). */
        long oomKills() {
            if (memoryDir == null) {
                return 0;
            }
            try {
                for (String line : Files.readAllLines(memoryDir.resolve("memory.oom_control"))) {
                    if (line.startsWith("oom_kill ")) {
                        return Long.parseLong(line.substring("oom_kill ".length()).trim());
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }

        /** SIGKILLs whatever is still in the group: catches daemonised strays the process tree no longer shows. */
        void killAll() {
            killAllExcept(pid -> false);
        }

        /** {@link #killAll()}, sparing {@code spared}: the warm runtimes waiting in the same group for the next app. */
        void killAllExcept(java.util.function.LongPredicate spared) {
            for (Path procs : procsFiles()) {
                try {
                    for (String line : Files.readAllLines(procs)) {
                        if (!line.isBlank() && !spared.test(Long.parseLong(line.trim()))) {
                            ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // Gone already, or not readable: nothing more to do.
                }
            }
        }

        void remove() {
            killAll();
            for (Path dir : new Path[]{memoryDir, pidsDir}) {
                if (dir == null) {
                    continue;
                }
                // rmdir fails with EBUSY while killed tasks are still being reaped; give them a moment.
                long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (true) {
                    try {
                        Files.deleteIfExists(dir);
                        break;
                    } catch (IOException e) {
                        if (System.nanoTime() > deadline) {
                            break;
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
        }
    }

    private final Path mount;
    private final Path selfCgroupFile;
    private final long memoryBytes;
    private final int pidsMax;

    Cgroups(Path mount, Path selfCgroupFile, int memoryMb, int pidsMax) {
        this.mount = mount;
        this.selfCgroupFile = selfCgroupFile;
        this.memoryBytes = (long) memoryMb << 20;
        this.pidsMax = pidsMax;
    }

    static Cgroups forThisProcess(int memoryMb, int pidsMax) {
        return new Cgroups(MOUNT, Path.of("/proc/self/cgroup"), memoryMb, pidsMax);
    }

    /** Creates {@code name} under the agent's own groups and applies the limits; empty when nothing applies. */
    Optional<Group> create(String name) {
        Path memory = memoryBytes > 0 ? child("memory", name, "memory.limit_in_bytes", Long.toString(memoryBytes)) : null;
        Path pids = pidsMax > 0 ? child("pids", name, "pids.max", Integer.toString(pidsMax)) : null;
        return memory == null && pids == null ? Optional.empty() : Optional.of(new Group(memory, pids));
    }

    private Path child(String controller, String name, String limitFile, String limit) {
        Optional<String> own = ownPath(controller);
        if (own.isEmpty()) {
            return null;
        }
        Path parent = mount.resolve(controller).resolve(own.get().replaceFirst("^/", ""));
        if (!Files.isDirectory(parent) || !Files.isWritable(parent)) {
            return null;
        }
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(limitFile), limit);
            return dir;
        } catch (IOException e) {
            // The hierarchy is writable, so this is not the quiet unprivileged case: say which limit is missing.
            AgentLog.info("no " + controller + " limit for the app (" + limitFile + "=" + limit + "): " + e);
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // Best effort: an empty group left behind limits nothing.
            }
            return null;
        }
    }

    /** The agent's own path in a v1 hierarchy, from lines like {@code 4:memory:/some/path}. */
    private Optional<String> ownPath(String controller) {
        try {
            for (String line : Files.readAllLines(selfCgroupFile)) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3) {
                    for (String c : parts[1].split(",")) {
                        if (c.equals(controller)) {
                            return Optional.of(parts[2]);
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
