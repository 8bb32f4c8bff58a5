package dev.vibed.router.wildcard;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * The static Caddy config of wildcard routing. One route for {@code *.<domain>} proxies to the app's own Service,
 * whose DNS name Caddy builds per request from the Host's first label ({@code dynamic a} upstreams, resolved
 * through the cluster DNS and cached for {@code refresh}). When that name does not resolve or its address does not
 * answer, the server's error handling proxies the request to the router's page server.
 *
 * @param serviceSuffix what follows {@code vibed-app-<label>} in a Service's DNS name: {@code .<ns>.svc.<clusterDomain>}
 * @param resolvers     DNS servers Caddy asks ({@code udp/host:port}); empty: the pod's resolv.conf
 * @param pagesDial     {@code host:port} of the router's page server, as Caddy dials it
 */
public record WildcardRoutes(String domain, String serviceSuffix, int servicePort, List<String> resolvers,
                             Duration refresh, String pagesDial) {
    public static final String WILDCARD_ID = "vibed-wildcard";
    public static final String PAGES_ID = "vibed-pages";
    public static final String SERVICE_PREFIX = "vibed-app-";
    /** Tells the page server (and its logs) why Caddy sent the request: 502 dial failed, 503 no upstream. */
    public static final String ERROR_HEADER = "X-Vibed-Proxy-Error";

    public WildcardRoutes {
        resolvers = List.copyOf(resolvers);
    }

    /** The address Caddy dials for an app's route id ({@code vibed-app-<label>}, the Service's name as well). */
    public String serviceTarget(String routeId) {
        return routeId + serviceSuffix + ":" + servicePort;
    }

    JsonObject wildcard() {
        // Caddy counts host labels from the right: in "<label>.apps.example.com" the app's is labels.3.
        int index = domain.split("\\.").length;
        var upstreams = Json.createObjectBuilder()
                .add("source", "a")
                // Absolute (trailing dot): the pod's resolv.conf has ndots:5, and a relative name would be tried
                // under every search domain first, an NXDOMAIN round trip each.
                .add("name", SERVICE_PREFIX + "{http.request.host.labels." + index + "}" + serviceSuffix + ".")
                .add("port", String.valueOf(servicePort))
                .add("refresh", refresh.toMillis() + "ms");
        if (!resolvers.isEmpty()) {
            upstreams.add("resolver", Json.createObjectBuilder().add("addresses", strings(resolvers)));
        }
        return Json.createObjectBuilder()
                .add("@id", WILDCARD_ID)
                .add("match", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("host", strings(List.of("*." + domain)))))
                .add("handle", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("handler", "reverse_proxy")
                        .add("dynamic_upstreams", upstreams)
                        // A Service deleted a moment ago may still resolve (DNS TTL, Caddy's cache): fail fast.
                        .add("transport", Json.createObjectBuilder().add("protocol", "http").add("dial_timeout", "2s"))))
                .add("terminal", true)
                .build();
    }

    JsonObject errors() {
        return Json.createObjectBuilder()
                .add("routes", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("@id", PAGES_ID)
                        .add("handle", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("handler", "reverse_proxy")
                                .add("upstreams", Json.createArrayBuilder().add(Json.createObjectBuilder().add("dial", pagesDial)))
                                .add("headers", Json.createObjectBuilder().add("request", Json.createObjectBuilder()
                                        .add("set", Json.createObjectBuilder().add(ERROR_HEADER,
                                                strings(List.of("{http.error.status_code}"))))))))))
                .build();
    }

    private static JsonArrayBuilder strings(List<String> values) {
        var array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }
}
