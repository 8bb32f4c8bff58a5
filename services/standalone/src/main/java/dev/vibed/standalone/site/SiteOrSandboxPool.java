package dev.vibed.standalone.site;

import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The {@link SandboxPool} the reconciler sees in standalone: claims that only serve files go to the shared static
 * host, every other claim (and a static site that has to be built first, since its build is user code) to the
 * sandbox pool. A claim stays where it was first bound, so a repeated claim never moves.
 */
public final class SiteOrSandboxPool implements SandboxPool {
    private final StaticSitePool sites;
    private final SandboxPool sandboxes;
    private final BiPredicate<String, String> servedAsSite;

    /** @param servedAsSite given a claim key and its template, true when the claim needs no sandbox */
    public SiteOrSandboxPool(StaticSitePool sites, SandboxPool sandboxes, BiPredicate<String, String> servedAsSite) {
        this.sites = sites;
        this.sandboxes = sandboxes;
        this.servedAsSite = servedAsSite;
    }

    @Override
    public ClaimResult claim(String claimKey, String template, Map<String, String> labels) {
        if (sites.lease(claimKey).isPresent()) {
            return sites.claim(claimKey, template, labels);
        }
        if (sandboxes.lease(claimKey).isEmpty() && sites.hasTemplate(template) && servedAsSite.test(claimKey, template)) {
            return sites.claim(claimKey, template, labels);
        }
        return sandboxes.claim(claimKey, template, labels);
    }

    @Override
    public Optional<SandboxLease> lease(String claimKey) {
        return sites.lease(claimKey).or(() -> sandboxes.lease(claimKey));
    }

    @Override
    public void release(String claimKey) {
        sites.release(claimKey);
        sandboxes.release(claimKey);
    }

    @Override
    public void settled(String claimKey) {
        sandboxes.settled(claimKey); // a site's claim holds nothing back
    }

    @Override
    public Set<String> claimKeys() {
        Set<String> all = new HashSet<>(sites.claimKeys());
        all.addAll(sandboxes.claimKeys());
        return all;
    }

    @Override
    public boolean hasTemplate(String template) {
        return sites.hasTemplate(template) || sandboxes.hasTemplate(template);
    }

    @Override
    public void onClaimReady(Consumer<String> listener) {
        sandboxes.onClaimReady(listener); // a site binds at once: it never has a pending claim to wake
    }
}
