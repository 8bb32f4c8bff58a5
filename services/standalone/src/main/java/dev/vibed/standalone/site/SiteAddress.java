package dev.vibed.standalone.site;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.app.AppIds;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * How a site of the shared static host is named where the core ports expect a sandbox: its "agent" endpoint
 * ({@code site://local/<claimKey>}), its route target ({@code site:<claimKey>}) and its sandbox name. The claim key
 * in a target is what the proxy serves, so it is checked against the shape core gives claim keys: a route can only
 * ever name one whole site, never a path.
 */
public final class SiteAddress {
    public static final String SCHEME = "site";
    private static final String TARGET_PREFIX = SCHEME + ":";
    private static final Pattern CLAIM = Pattern.compile("[a-z0-9-]{1,80}-v[0-9]{1,9}");

    private SiteAddress() {
    }

    public static AgentClient.Endpoint endpoint(String claimKey) {
        return new AgentClient.Endpoint(URI.create(SCHEME + "://local/" + checked(claimKey)), "");
    }

    public static boolean isSite(AgentClient.Endpoint endpoint) {
        return SCHEME.equals(endpoint.controlUri().getScheme());
    }

    public static String claimOf(AgentClient.Endpoint endpoint) {
        return checked(endpoint.controlUri().getPath().substring(1));
    }

    /** The route target of a site: not a {@code host:port}, so nothing ever dials it. */
    public static String target(String claimKey) {
        return TARGET_PREFIX + checked(claimKey);
    }

    public static boolean isTarget(String target) {
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    public static String claimOfTarget(String target) {
        return checked(target.substring(TARGET_PREFIX.length()));
    }

    /** What {@code sandboxRef} says for a static app: the site's folder in the shared host, not a process. */
    public static String sandboxName(String claimKey) {
        return "site-" + checked(claimKey);
    }

    private static String checked(String claimKey) {
        if (!CLAIM.matcher(claimKey).matches() || !AppIds.claimBelongsTo(claimKey, AppIds.appIdOfClaim(claimKey))) {
            throw new IllegalArgumentException("not a claim key: " + claimKey);
        }
        return claimKey;
    }
}
