package dev.vibed.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the app's argv into what the agent really executes: join the cgroup, apply rlimits, enter bubblewrap.
 * Inside bubblewrap the app sees a read-only /usr (where its runtime lives), a private writable /app (its
 * release), a private /tmp, its own PID/IPC/UTS/user namespaces, and none of the host's other directories:
 * not the vibeD data dir, not other sandboxes' workspaces. The app shares the agent's network, so it binds its
 * port where the agent (and the router) reach it; where the platform gives the agent a network namespace of its
 * own (standalone with pasta), that is the sandbox's private network, not the host's.
 */
final class SandboxCommand {
    static final String APP_MOUNT = "/app";
    /** An unprivileged uid inside the user namespace: the app holds no capabilities even when the agent is root. */
    private static final String SANDBOX_UID = "1000";

    /** Host files a normal program needs for DNS, TLS and time; absent ones are skipped. */
    private static final List<String> ETC_FILES = List.of("/etc/resolv.conf", "/etc/nsswitch.conf",
            "/etc/host.conf", "/etc/gai.conf", "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives",
            "/etc/localtime", "/etc/mime.types");

    private final Path bwrap;
    private final Path prlimit;
    private final int openFiles;
    private final int dataMb;
    private final List<Path> readOnlyExtras;
    private final Path hostsFile;

    /**
     * @param bwrap          bubblewrap, or null to run the app directly (isolation none)
     * @param prlimit        util-linux prlimit, or null to skip rlimits
     * @param readOnlyExtras host directories to expose read-only at the same path (the workerd install)
     * @param hostsFile      the sandbox's /etc/hosts (see {@link #HOSTS}), or null for the host's
     */
    SandboxCommand(Path bwrap, Path prlimit, int openFiles, int dataMb, List<Path> readOnlyExtras, Path hostsFile) {
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.openFiles = openFiles;
        this.dataMb = dataMb;
        this.readOnlyExtras = List.copyOf(readOnlyExtras);
        this.hostsFile = hostsFile;
    }

    /**
     * The sandbox's /etc/hosts: {@code localhost} is 127.0.0.1 only. An app that binds "localhost" must land on the
     * address the agent and pasta forward to; a host file that also maps it to ::1 lets some runtimes pick the
     * IPv6 address, which an IPv4 forward does not reach.
     */
    static final String HOSTS = "127.0.0.1 localhost vibed\n";

    boolean isolated() {
        return bwrap != null;
    }

    /** HOME as the app sees it: its release directory. */
    String appHome(Path release) {
        return isolated() ? APP_MOUNT : release.toString();
    }

    /** The app's working directory as the app sees it. */
    String appDir(Path release, String root) {
        String base = appHome(release);
        return root.isEmpty() ? base : base + "/" + root;
    }

    /** Where the agent starts the outermost process (bubblewrap changes directory itself). */
    Path hostWorkingDir(Path release, String root) {
        return isolated() || root.isEmpty() ? release : release.resolve(root);
    }

    /**
     * @param cgroupProcs the group's {@code cgroup.procs} files, empty when cgroups are not in use
     */
    List<String> wrap(Path release, String root, List<String> argv, List<Path> cgroupProcs) {
        List<String> cmd = new ArrayList<>();
        if (!cgroupProcs.isEmpty()) {
            // A shell that moves itself into the group and then execs: the app and everything it forks start
            // inside the group. Writing the pid after spawn would race with the app's first forks.
            StringBuilder script = new StringBuilder();
            for (int i = 1; i <= cgroupProcs.size(); i++) {
                script.append("echo $$ > \"$").append(i).append("\" && ");
            }
            script.append("shift ").append(cgroupProcs.size()).append(" && exec \"$@\"");
            cmd.addAll(List.of("/bin/sh", "-c", script.toString(), "vibed-cgroup"));
            cgroupProcs.forEach(p -> cmd.add(p.toString()));
        }
        if (prlimit != null) {
            cmd.add(prlimit.toString());
            cmd.add("--nofile=" + openFiles + ":" + openFiles);
            cmd.add("--core=0");
            if (dataMb > 0) {
                long bytes = (long) dataMb << 20;
                cmd.add("--data=" + bytes + ":" + bytes);
            }
            // No RLIMIT_NPROC: it counts every process of the uid on the host (other sandboxes included) and root
            // ignores it, so it limits nothing per sandbox; pids.max in the cgroup does.
            cmd.add("--");
        }
        if (bwrap != null) {
            cmd.addAll(List.of(bwrap.toString(),
                    "--unshare-all", "--unshare-user", "--share-net",
                    "--die-with-parent", "--new-session",
                    "--uid", SANDBOX_UID, "--gid", SANDBOX_UID, "--cap-drop", "ALL",
                    "--hostname", "vibed",
                    "--ro-bind", "/usr", "/usr",
                    "--symlink", "usr/bin", "/bin",
                    "--symlink", "usr/lib", "/lib",
                    "--symlink", "usr/lib64", "/lib64",
                    "--symlink", "usr/sbin", "/sbin"));
            for (String f : ETC_FILES) {
                cmd.addAll(List.of("--ro-bind-try", f, f));
            }
            if (hostsFile != null) {
                cmd.addAll(List.of("--ro-bind", hostsFile.toString(), "/etc/hosts"));
            } else {
                cmd.addAll(List.of("--ro-bind-try", "/etc/hosts", "/etc/hosts"));
            }
            cmd.addAll(List.of(
                    "--proc", "/proc",
                    "--dev", "/dev",
                    "--tmpfs", "/tmp"));
            // After the private /tmp: bwrap mounts in order, so an install under /tmp would otherwise be hidden.
            for (Path extra : readOnlyExtras) {
                cmd.addAll(List.of("--ro-bind", extra.toString(), extra.toString()));
            }
            cmd.addAll(List.of(
                    "--bind", release.toString(), APP_MOUNT,
                    "--chdir", appDir(release, root),
                    // The sandbox's own root (where /etc and the mount points live) is read-only too.
                    "--remount-ro", "/",
                    "--"));
        }
        cmd.addAll(argv);
        return cmd;
    }
}
