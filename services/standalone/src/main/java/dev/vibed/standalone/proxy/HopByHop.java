package dev.vibed.standalone.proxy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers belong to one connection and so stop at the proxy (RFC 9110 7.6.1): the fixed list plus every name a
 * {@code Connection} header lists. Framing headers are left out too: the proxy frames each side itself.
 */
final class HopByHop {
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect",
            "http2-settings");

    private final Set<String> listed;

    private HopByHop(Set<String> listed) {
        this.listed = listed;
    }

    /** @param connectionValues the values of the message's {@code Connection} headers */
    static HopByHop of(Iterable<String> connectionValues) {
        Set<String> names = new HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return new HopByHop(names);
    }

    boolean drops(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(lower) || listed.contains(lower) || lower.startsWith(":");
    }

    boolean listed(String token) {
        return listed.contains(token);
    }
}
