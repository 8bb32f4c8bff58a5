package dev.vibed.standalone.proxy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.deploy.ServingProbe;
import dev.vibed.core.route.Route;
import dev.vibed.standalone.site.StaticSites;
import dev.vibed.standalone.site.SiteAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Standalone serving check: the embedded proxy holds a route to the app's current target and that target accepts
 * connections (a site of the shared static host: has files to serve); exactly what a GET of the URL needs.
 */
public final class ProxyServingProbe implements ServingProbe {
    private final ProxyRouteTable routes;
    private final PublicUrls urls;
    private final StaticSites sites;

    public ProxyServingProbe(ProxyRouteTable routes, PublicUrls urls, StaticSites sites) {
        this.routes = routes;
        this.urls = urls;
        this.sites = sites;
    }

    /** The answer changes when a route does: the route sync applying the app's new target wakes the waiter. */
    @Override
    public java.util.Optional<AutoCloseable> onChange(Runnable change) {
        return java.util.Optional.of(routes.onChange(change));
    }

    @Override
    public boolean serves(App app) {
        String target = app.status().routeTarget();
        Route route = routes.forHost(urls.host(app.id())).orElse(null);
        if (target == null || route == null || route.kind() != Route.Kind.PROXY || !target.equals(route.target())) {
            return false;
        }
        if (SiteAddress.isTarget(target)) {
            return sites.get(SiteAddress.claimOfTarget(target)).flatMap(StaticSites.Site::served).isPresent();
        }
        int colon = target.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))), 500);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
