package dev.vibed.kube.api;

import dev.vibed.core.app.App;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.deploy.ServingProbe;
import dev.vibed.kube.routing.RouteMarkers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Cluster {@link ServingProbe}: asks the router's proxy (Caddy) for the app's URL with the app's Host header, as a
 * browser would, and accepts the answer only when an app route gave it: not the 404 fallback, not a proxy error
 * (dead upstream), and, when the route names its upstream, the upstream the status says. A plain socket rather than
 * java.net.http, whose client refuses to set Host unless a JVM-wide flag allows it.
 */
public final class HostServingProbe implements ServingProbe {
    private final InetSocketAddress proxy;
    private final PublicUrls urls;
    private final int timeoutMillis;

    public HostServingProbe(InetSocketAddress proxy, PublicUrls urls, Duration timeout) {
        this.proxy = proxy;
        this.urls = urls;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    @Override
    public boolean serves(App app) {
        String target = app.status().routeTarget();
        if (target == null) {
            return false;
        }
        try {
            Answer answer = get(urls.host(app.id()));
            if (answer.status() >= 500 || answer.headers().containsKey(lower(RouteMarkers.FALLBACK_HEADER))) {
                return false;
            }
            String upstream = answer.headers().get(lower(RouteMarkers.UPSTREAM_HEADER));
            return upstream == null || upstream.equals(RouteMarkers.upstreamTag(target));
        } catch (IOException e) {
            return false;
        }
    }

    record Answer(int status, Map<String, String> headers) {
    }

    Answer get(String host) throws IOException {
        try (Socket socket = new Socket()) {
            // Resolved per probe: the proxy's Service address may change, and may not resolve at start-up.
            socket.connect(new InetSocketAddress(proxy.getHostString(), proxy.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: vibed-serving-probe\r\nAccept: */*\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new HashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(lower(line.substring(0, colon).trim()), line.substring(colon + 1).trim());
                }
            }
            // Only the head matters; closing without reading the body is fine with Connection: close.
            return new Answer(status, headers);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line", e);
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
