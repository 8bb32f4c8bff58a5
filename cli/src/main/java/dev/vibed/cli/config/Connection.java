package dev.vibed.cli.config;

import dev.vibed.cli.CliError;

import java.net.URI;
import java.util.Map;

/**
 * Which server to talk to and with which token: from the flags, then {@code VIBED_URL}/{@code VIBED_TOKEN}, then
 * the config file, then {@code http://localhost:8080} (what {@code ./vibed up} serves). A token saved for one
 * server is never sent to another.
 *
 * @param server the base URL, without a trailing slash
 * @param token  the bearer token, or null to send none
 */
public record Connection(String server, String token) {
    public static final String DEFAULT_SERVER = "http://localhost:8080";

    public static Connection resolve(String serverFlag, String tokenFlag, Map<String, String> env, CliConfig config) {
        String server = firstNonBlank(serverFlag, env.get("VIBED_URL"), config.server().orElse(null), DEFAULT_SERVER);
        server = normalise(server);
        String token = firstNonBlank(tokenFlag, env.get("VIBED_TOKEN"), config.token(server).orElse(null));
        return new Connection(server, token);
    }

    public static String normalise(String server) {
        String s = server.trim();
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            URI uri = URI.create(s);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new CliError(CliError.USAGE, "'" + server + "' is not a server URL; give one like http://localhost:8080");
        }
        return s;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
