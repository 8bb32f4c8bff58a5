package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an app's process tree really does, read from /proc: the TCP ports its own sockets listen on, and the CPU
 * time it has used. Sockets are matched by inode between the processes' open files and the kernel's socket
 * tables, so it works whether the sandbox shares the host's network namespace (the tables then list every
 * socket of the machine) or has its own.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    /** One listening socket: its port and whether it accepts connections on loopback. */
    record Listener(int port, String address) {
    }

    private final Path proc;

    ListeningSockets(Path proc) {
        this.proc = proc;
    }

    static ListeningSockets ofThisMachine() {
        return new ListeningSockets(Path.of("/proc"));
    }

    /** The TCP ports the processes of {@code root}'s tree listen on (ordered, without duplicates). */
    Set<Integer> ports(ProcessHandle root) {
        Set<Integer> out = new TreeSet<>();
        listeners(root).forEach(l -> out.add(l.port()));
        return out;
    }

    List<Listener> listeners(ProcessHandle root) {
        List<Long> pids = tree(root);
        Set<String> inodes = new HashSet<>();
        Set<String> namespaces = new HashSet<>();
        List<Long> tablesFrom = new ArrayList<>();
        for (long pid : pids) {
            Path fds = proc.resolve(Long.toString(pid)).resolve("fd");
            try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
                for (Path fd : s) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException e) {
                        // Closed while we looked.
                    }
                }
            } catch (IOException e) {
                continue; // Gone, or not ours to read.
            }
            String ns;
            try {
                ns = Files.readSymbolicLink(proc.resolve(Long.toString(pid)).resolve("ns/net")).toString();
            } catch (IOException e) {
                ns = "pid-" + pid;
            }
            if (namespaces.add(ns)) {
                tablesFrom.add(pid);
            }
        }
        List<Listener> out = new ArrayList<>();
        if (inodes.isEmpty()) {
            return out;
        }
        for (long pid : tablesFrom) {
            for (String table : List.of("net/tcp", "net/tcp6")) {
                try {
                    for (String line : Files.readAllLines(proc.resolve(Long.toString(pid)).resolve(table))) {
                        Listener l = parse(line, inodes);
                        if (l != null && !out.contains(l)) {
                            out.add(l);
                        }
                    }
                } catch (IOException e) {
                    // No IPv6, or the process is gone.
                }
            }
        }
        return out;
    }

    /** CPU ticks (user + system) used so far by the live processes of the tree. */
    long cpuTicks(ProcessHandle root) {
        long sum = 0;
        for (long pid : tree(root)) {
            try {
                String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // After "pid (comm) ": field 3 is f[0]; utime and stime are fields 14 and 15.
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // Gone.
            }
        }
        return sum;
    }

    private static List<Long> tree(ProcessHandle root) {
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** A line of /proc/net/tcp[6]: "sl local_address rem_address st ... inode ...", addresses in hex. */
    static Listener parse(String line, Set<String> inodes) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals(LISTEN) || !inodes.contains(f[9])) {
            return null;
        }
        int colon = f[1].indexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(f[1].substring(colon + 1), 16);
            return new Listener(port, address(f[1].substring(0, colon)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The kernel prints IPv4 as one little-endian word, IPv6 as four; enough to tell wildcard from loopback. */
    private static String address(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
        }
        if (hex.equals("00000000000000000000000000000000")) {
            return "::";
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "::1";
        }
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return address(hex.substring(24));
        }
        return hex;
    }
}
