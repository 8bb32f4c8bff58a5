package dev.vibed.router.testing;

import dev.vibed.kube.testing.TinyUpstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake per-app Services for wildcard routing: every app gets its own loopback address (127.0.0.2, 127.0.0.3, ...),
 * all on one port, as Services share port 8080 and differ by cluster IP. {@link #serve} starts an app there and
 * publishes its Service name in the {@link LoopbackDns}; {@link #publishOnly} publishes a name with nothing
 * listening behind it (a Service whose pod is gone).
 */
public final class LoopbackApps implements AutoCloseable {
    private final LoopbackDns dns;
    private final String serviceSuffix;
    private final int port;
    private final AtomicInteger next = new AtomicInteger(2);
    private final Map<String, TinyUpstream> servers = new ConcurrentHashMap<>();
    private final List<TinyUpstream> all = new ArrayList<>();

    /** @param serviceSuffix what follows {@code vibed-app-<label>} in a Service's name: {@code .<ns>.svc.<domain>} */
    public LoopbackApps(LoopbackDns dns, String serviceSuffix) {
        this.dns = dns;
        this.serviceSuffix = serviceSuffix;
        this.port = freePortOnEveryAddress();
    }

    public int port() {
        return port;
    }

    /** Starts the app {@code label} answering {@code body}, and makes its Service name resolve to it. */
    public InetAddress serve(String label, String body) {
        InetAddress address = nextAddress();
        TinyUpstream server = new TinyUpstream(new InetSocketAddress(address, port), body);
        servers.put(label, server);
        synchronized (all) {
            all.add(server);
        }
        dns.put(serviceName(label), address);
        return address;
    }

    /** The Service name resolves, but no pod answers behind it. */
    public void publishOnly(String label) {
        dns.put(serviceName(label), nextAddress());
    }

    /** As when the controller deletes the Service: the name stops resolving and the app stops. */
    public void unpublish(String label) {
        dns.remove(serviceName(label));
        TinyUpstream server = servers.remove(label);
        if (server != null) {
            server.close();
        }
    }

    public String serviceName(String label) {
        return "vibed-app-" + label + serviceSuffix;
    }

    private InetAddress nextAddress() {
        int n = next.getAndIncrement();
        try {
            return InetAddress.getByAddress(new byte[]{127, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port free on 127.0.0.1; other loopback addresses are checked as apps bind them. */
    private static int freePortOnEveryAddress() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
                int candidate = probe.getLocalPort();
                try (var other = new java.net.ServerSocket(candidate, 1, InetAddress.getByName("127.0.0.3"))) {
                    return candidate;
                } catch (BindException taken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no port free on 127.0.0.2 and 127.0.0.3");
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(TinyUpstream::close);
        }
    }
}
