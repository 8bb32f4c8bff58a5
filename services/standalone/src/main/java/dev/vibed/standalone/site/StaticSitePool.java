package dev.vibed.standalone.site;

import dev.vibed.core.classify.Classification;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link SandboxPool} port onto the shared static host: a claim of the {@code static} template binds a site at
 * once (there is nothing to start, so never Pending and no warm pool), and release deletes the site. The lease's
 * agent is the host itself ({@link StaticSiteAgent}); it has no app port, since the proxy serves the site in process.
 */
public final class StaticSitePool implements SandboxPool {
    private final StaticSites sites;

    public StaticSitePool(StaticSites sites) {
        this.sites = sites;
    }

    @Override
    public ClaimResult claim(String claimKey, String template, Map<String, String> labels) {
        if (!hasTemplate(template)) {
            return new ClaimResult.Failed("TemplateMissing", "the static host serves only the static template, not '" + template + "'");
        }
        sites.bind(claimKey);
        return new ClaimResult.Bound(lease(claimKey, false));
    }

    @Override
    public Optional<SandboxLease> lease(String claimKey) {
        return sites.get(claimKey).map(s -> lease(claimKey, false));
    }

    @Override
    public void release(String claimKey) {
        sites.release(claimKey);
    }

    @Override
    public Set<String> claimKeys() {
        return sites.claimKeys();
    }

    @Override
    public boolean hasTemplate(String template) {
        return Classification.STATIC.equals(template);
    }

    private static SandboxLease lease(String claimKey, boolean cold) {
        return new SandboxLease(claimKey, SiteAddress.sandboxName(claimKey), SiteAddress.endpoint(claimKey),
                SiteAddress.SCHEME, 0, cold);
    }
}
