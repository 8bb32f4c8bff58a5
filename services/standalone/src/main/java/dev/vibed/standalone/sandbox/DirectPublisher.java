package dev.vibed.standalone.sandbox;

import dev.vibed.core.app.App;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.standalone.site.SiteAddress;

/**
 * Standalone: a sandbox's app listens on loopback, so its address is the route target as it is; a site of the shared
 * static host is served in process, so its target names the site ({@link SiteAddress#target}) instead.
 */
public final class DirectPublisher implements AppPublisher {
    @Override
    public String publish(App app, SandboxLease lease) {
        if (SiteAddress.isSite(lease.agent())) {
            return SiteAddress.target(lease.claimKey());
        }
        return lease.appHost() + ":" + lease.appPort();
    }

    @Override
    public void unpublish(String appId) {
        // nothing was created for the app: the route goes away with the status
    }
}
