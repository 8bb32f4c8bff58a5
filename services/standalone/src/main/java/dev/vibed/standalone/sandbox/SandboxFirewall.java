package dev.vibed.standalone.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables rule that closes what a network namespace alone leaves open. pasta dials the outside world on the
 * sandbox's behalf, as the sandbox account, so a host service bound to 0.0.0.0 stays reachable through the host's
 * other addresses, and so do the LAN and the cloud metadata address. This rule rejects, for sockets of that account
 * only, every destination that is an address of this host or in a private or link-local range, except the DNS
 * resolvers. Host loopback stays allowed because pasta reaches it only through the forwards vibeD asks for.
 *
 * <p>One table per vibeD process ({@code vibed_sandbox_<pid>}), so several vibeD instances on one machine do not
 * remove each other's rule. Every table holds the same rules, so their union is the same rule. Tables of
 * processes that no longer exist (a crashed run) are removed at start. Within a JVM the table is shared and
 * counted: it goes away when the last user closes, or at JVM exit.
 */
final class SandboxFirewall {
    private static final Logger LOG = Logger.getLogger(SandboxFirewall.class.getName());
    static final String TABLE_PREFIX = "vibed_sandbox_";
    private static final Pattern TABLE = Pattern.compile("table inet (" + TABLE_PREFIX + "(\\d+))");

    private static int users;
    private static Path nft;
    private static Thread shutdownHook;

    private SandboxFirewall() {
    }

    static String tableName() {
        return TABLE_PREFIX + ProcessHandle.current().pid();
    }

    /** Installs the rule for {@code user} if this JVM has not yet; returns why it could not, or null. */
    static synchronized String acquire(Path nftBinary, SandboxUser user) {
        if (users > 0) {
            users++;
            return null;
        }
        nft = nftBinary;
        try {
            sweepStale();
            String table = tableName();
            run(List.of(nft.toString(), "delete", "table", "inet", table), null);
            Result r = run(List.of(nft.toString(), "-f", "-"), rules(table, user.uid(), resolvers()));
            if (r.code != 0) {
                return "nft refused the rule: " + r.output;
            }
        } catch (IOException e) {
            return "nft is not available: " + e.getMessage();
        }
        users = 1;
        shutdownHook = new Thread(SandboxFirewall::remove, "vibed-firewall-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        return null;
    }

    static synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            remove();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down and runs the hook itself
            }
        }
    }

    private static void remove() {
        try {
            run(List.of(nft.toString(), "delete", "table", "inet", tableName()), null);
        } catch (IOException e) {
            LOG.warning("could not remove the sandbox firewall table " + tableName() + ": " + e.getMessage());
        }
    }

    /** Tables left by vibeD processes that are gone. */
    private static void sweepStale() throws IOException {
        Result list = run(List.of(nft.toString(), "list", "tables", "inet"), null);
        Matcher m = TABLE.matcher(list.output);
        while (m.find()) {
            long pid = Long.parseLong(m.group(2));
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
                LOG.info("removing the sandbox firewall table of an earlier vibeD run: " + m.group(1));
                run(List.of(nft.toString(), "delete", "table", "inet", m.group(1)), null);
            }
        }
    }

    static String rules(String table, int uid, List<InetAddress> resolvers) {
        String who = "meta skuid " + uid + " ";
        StringBuilder s = new StringBuilder("table inet " + table + " {\n  chain out {\n"
                + "    type filter hook output priority 0; policy accept;\n"
                + "    " + who + "ip daddr 127.0.0.0/8 accept\n"
                + "    " + who + "ip6 daddr ::1 accept\n");
        for (InetAddress r : resolvers) {
            String family = r instanceof java.net.Inet6Address ? "ip6" : "ip";
            s.append("    ").append(who).append(family).append(" daddr ").append(r.getHostAddress())
                    .append(" meta l4proto { tcp, udp } th dport 53 accept\n");
        }
        s.append("    ").append(who).append("fib daddr type local reject\n")
                .append("    ").append(who).append("ip daddr { 10.0.0.0/8, 100.64.0.0/10, 169.254.0.0/16, "
                        + "172.16.0.0/12, 192.168.0.0/16 } reject\n")
                .append("    ").append(who).append("ip6 daddr { fc00::/7, fe80::/10 } reject\n")
                .append("  }\n}\n");
        return s.toString();
    }

    /** The nameservers of /etc/resolv.conf: often on the LAN, and the sandbox must still resolve names. */
    static List<InetAddress> resolvers() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    String literal = f[1].replaceAll("%.*$", "");
                    // Only literals: getByName would otherwise ask DNS.
                    if (literal.matches("[0-9a-fA-F:.]+")) {
                        try {
                            out.add(InetAddress.getByName(literal));
                        } catch (IOException ignored) {
                            // not an address after all: nothing to allow
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // no resolv.conf: nothing to allow
        }
        return out;
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd, String stdin) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "nft timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
