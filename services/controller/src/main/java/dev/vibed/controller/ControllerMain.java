package dev.vibed.controller;

import dev.vibed.kube.config.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.concurrent.CountDownLatch;

/**
 * vibed-controller. Settings are flags or {@code VIBED_*} env: {@code --domain} (required), the S3 settings of the
 * API ({@code --s3-endpoint}, {@code --s3-access-key}, {@code --s3-secret-key}, ...), {@code --namespace}
 * (vibed-apps), {@code --agent-token-secret}, {@code --lease-namespace} (POD_NAMESPACE), {@code --lease-name},
 * {@code --health-port} (8081), {@code --agent-grace}, {@code --health-interval}, {@code --collect-every},
 * {@code --watch-recheck} (30s), and the warm pools' sizing: {@code --warm-min} (1), {@code --warm-max} (8; 0 turns
 * it off), {@code --warm-window} (1m), {@code --warm-start-time} (10s), {@code --warm-every} (5s).
 */
public final class ControllerMain {
    private ControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        ControllerConfig config;
        try {
            config = ControllerConfig.from(Settings.from(args));
        } catch (IllegalArgumentException e) {
            System.err.println("vibed-controller: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        VibedController controller = VibedController.start(config, client);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controller.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
