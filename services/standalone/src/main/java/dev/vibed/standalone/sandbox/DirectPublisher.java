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
        return target(lease.appHost(), lease.appPort());
    }

    /** The route target of a sandbox's app: its loopback address as the proxy dials it. */
    static String target(String appHost, int appPort) {
        return appHost + ":" + appPort;
    }

    @Override
    public void unpublish(String appId) {
        // nothing was created for the app: the route goes away with the status
    }
}
