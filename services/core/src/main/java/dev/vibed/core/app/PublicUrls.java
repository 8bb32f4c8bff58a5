package dev.vibed.core.app;

/**
 * How apps are addressed from outside: {@code <scheme>://<appId>.<domain>[:port]/}. Standalone serves
 * {@code http://<id>.localhost:8080/}; a cluster usually {@code https://<id>.apps.example.com/}.
 *
 * @param port the public port, or 0 when it is the scheme's default
 */
public record PublicUrls(String scheme, String domain, int port) {

    public String host(String appId) {
        return appId + "." + domain;
    }

    public String url(String appId) {
        boolean defaultPort = port == 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host(appId) + (defaultPort ? "" : ":" + port) + "/";
    }

    /** The app id a request's Host header names, or null when the host is not an app host. */
    public String appIdFromHost(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String host = hostHeader.toLowerCase(java.util.Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        String suffix = "." + domain;
        if (!host.endsWith(suffix)) {
            return null;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return label.isEmpty() || label.contains(".") ? null : label;
    }
}
