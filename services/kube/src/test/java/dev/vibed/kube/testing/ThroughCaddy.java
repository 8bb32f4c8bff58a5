package dev.vibed.kube.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs through Caddy with an app's Host header, as a browser would (surefire allows setting Host). */
public final class ThroughCaddy {
    /** HTTP/1.1: with h2c the JDK client sends the URI's authority as :authority, whatever Host says. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ThroughCaddy() {
    }

    public static HttpResponse<String> get(int caddyPort, String host) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caddyPort + "/"))
                    .header("Host", host).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET through Caddy failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
