package dev.vibed.router;

import dev.vibed.kube.config.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.concurrent.CountDownLatch;

/**
 * vibed-router. Settings are flags or {@code VIBED_*} env: {@code --domain} (required), {@code --namespace}
 * (vibed-apps), {@code --caddy-admin} (http://vibed-caddy-admin:2019), {@code --caddy-server} (vibed),
 * {@code --caddy-listen} (:80, only to create a missing server), {@code --resync} (5s), {@code --health-port} (8082),
 * {@code --routing} (wildcard | per-app), and for wildcard routing {@code --cluster-domain} (cluster.local),
 * {@code --service-port} (8080), {@code --dns-resolvers} (none: Caddy's resolv.conf), {@code --dns-refresh} (1s),
 * {@code --pages-port} (8083) and {@code --pages-dial} (how Caddy reaches the page server; the chart's Service).
 */
public final class RouterMain {
    private RouterMain() {
    }

    public static void main(String[] args) throws Exception {
        RouterConfig config;
        try {
            config = RouterConfig.from(Settings.from(args));
        } catch (IllegalArgumentException e) {
            System.err.println("vibed-router: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        VibedRouter router = VibedRouter.start(config, client);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            router.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
