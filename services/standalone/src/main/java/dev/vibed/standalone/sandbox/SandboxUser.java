package dev.vibed.standalone.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The host account the sandboxes' network helpers (pasta) run as when vibeD runs as root. It must differ from the
 * platform's own uid: the firewall tells sandbox traffic apart by socket owner, and a helper running as root could
 * be turned against the host. Created once as a system account with no home and no shell.
 *
 * @param name the account name, for messages
 */
record SandboxUser(String name, int uid, int gid) {
    static final String NAME = "vibed-sandbox";

    /** This process's uid, read from procfs: the JDK has no public call for it. */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No procfs or no "unix" attribute view (not Linux): unknown counts as not root, and the network
            // probe that follows says in its warning what then does not work.
            return -1;
        }
    }

    /** The account, created with {@code useradd} if it does not exist yet; empty when that fails. */
    static Optional<SandboxUser> ensure(StringBuilder why) {
        Optional<SandboxUser> existing = lookup();
        if (existing.isPresent()) {
            return existing;
        }
        try {
            Process p = new ProcessBuilder("useradd", "--system", "--user-group", "--no-create-home",
                    "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", NAME)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                // Another vibeD on this machine may have created it a moment ago.
                Optional<SandboxUser> raced = lookup();
                if (raced.isEmpty()) {
                    why.append("useradd ").append(NAME).append(" failed: ").append(out);
                }
                return raced;
            }
        } catch (IOException e) {
            why.append("useradd is not available: ").append(e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return lookup();
    }

    private static Optional<SandboxUser> lookup() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/passwd"));
            for (String line : lines) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals(NAME)) {
                    return Optional.of(new SandboxUser(NAME, Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** setpriv's arguments that run a command as this account with no capabilities and no supplementary groups. */
    List<String> runAs(Path setpriv) {
        return List.of(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--no-new-privs", "--");
    }
}
