package dev.vibed.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** "Listening" means a TCP connect succeeds: a running process is not yet a serving app. */
final class PortProbe {
    private final String host;

    PortProbe(String bindAddress) {
        // A wildcard bind is reachable on loopback; probing the wildcard itself is not portable.
        this.host = switch (bindAddress) {
            case "0.0.0.0", "*" -> "127.0.0.1";
            case "::", "[::]" -> "::1";
            default -> bindAddress;
        };
    }

    String host() {
        return host;
    }

    boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
