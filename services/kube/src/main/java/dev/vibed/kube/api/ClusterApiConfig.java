package dev.vibed.kube.api;

import dev.vibed.api.auth.AuthSettings;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.blob.S3Config;
import dev.vibed.kube.config.Settings;
import dev.vibed.kube.sandbox.AgentTokens;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the vibed API in cluster mode.
 *
 * @param namespace        the workloads namespace: VibedApps, claims, templates and warm pools all live there
 * @param urls             how apps are addressed publicly ({@code <id>.<domain>})
 * @param proxyAddress     the router's proxy (Caddy's HTTP server) the serving probe asks, with each app's Host
 * @param agentTokenSecret Secret (in {@code namespace}) holding the agents' control token, for reading app logs
 * @param spoolDir         where uploads are streamed before they go to S3
 * @param auth             how callers authenticate: the same settings as standalone ({@code --auth}, {@code --oidc-*};
 *                         the key file is {@code --api-keys-file}, env {@code VIBED_API_KEYS} holds key lines)
 */
public record ClusterApiConfig(String bind, int port, String namespace, PublicUrls urls, S3Config s3,
                               InetSocketAddress proxyAddress, String agentTokenSecret, Path spoolDir,
                               Duration deployWait, AuthSettings auth) {

    public static final String DEFAULT_NAMESPACE = "vibed-apps";

    public static ClusterApiConfig from(Settings s) {
        return new ClusterApiConfig(
                s.get("bind", "0.0.0.0"),
                s.integer("port", 8080),
                s.get("namespace", DEFAULT_NAMESPACE),
                new PublicUrls(s.get("public-scheme", "https"), s.required("domain"), s.integer("public-port", 0)),
                s3(s),
                address(s.get("proxy-address", "vibed-caddy:80")),
                s.get("agent-token-secret", AgentTokens.DEFAULT_SECRET),
                Path.of(s.get("spool-dir", System.getProperty("java.io.tmpdir") + "/vibed-spool")),
                s.duration("deploy-wait", Duration.ofSeconds(10)),
                AuthSettings.from(s::get));
    }

    public static S3Config s3(Settings s) {
        return new S3Config(URI.create(s.required("s3-endpoint")), s.get("s3-presign-endpoint").map(URI::create).orElse(null),
                s.get("s3-region", "us-east-1"), s.required("s3-access-key"), s.required("s3-secret-key"),
                s.get("s3-bucket", "vibed-sources"));
    }

    /** {@code host:port}, resolved when used: the proxy's Service may not resolve yet when we start. */
    public static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
