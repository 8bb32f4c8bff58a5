package dev.vibed.standalone.sandbox;

import dev.vibed.core.app.App;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.core.sandbox.SandboxLease;

/** Standalone: a sandbox's app listens on loopback, so its address is the route target as it is. */
public final class DirectPublisher implements AppPublisher {
    @Override
    public String publish(App app, SandboxLease lease) {
        return lease.appHost() + ":" + lease.appPort();
    }

    @Override
    public void unpublish(String appId) {
        // nothing was created for the app: the route goes away with the status
    }
}
