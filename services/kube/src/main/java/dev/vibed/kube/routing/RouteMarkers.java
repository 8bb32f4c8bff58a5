package dev.vibed.kube.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Response headers the router's Caddy routes add, so that a probe through Caddy can tell whose answer it got: the
 * 404 fallback's, or an app route's and for which upstream. The upstream is a short digest, not the address, so no
 * internal address reaches the public.
 */
public final class RouteMarkers {
    public static final String FALLBACK_HEADER = "X-Vibed-Fallback";
    public static final String UPSTREAM_HEADER = "X-Vibed-Upstream";
    public static final String SUSPENDED_HEADER = "X-Vibed-Suspended";
    /** On the page of an app that does not serve (yet): {@code failed} or {@code starting}. */
    public static final String NOT_SERVING_HEADER = "X-Vibed-Not-Serving";

    private RouteMarkers() {
    }

    public static String upstreamTag(String target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
