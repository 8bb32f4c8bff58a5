package dev.vibed.kube.api;

import dev.vibed.api.auth.AuthMode;
import dev.vibed.kube.config.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code vibed} in cluster mode (the standalone mode is {@code ./vibed up}). Settings are flags or {@code VIBED_*}
 * env: {@code --domain} (required), {@code --namespace} (vibed-apps), {@code --bind}/{@code --port} (0.0.0.0:8080),
 * {@code --public-scheme} (https), {@code --public-port}, {@code --s3-endpoint}, {@code --s3-access-key},
 * {@code --s3-secret-key} (required), {@code --s3-bucket} (vibed-sources), {@code --s3-region},
 * {@code --s3-presign-endpoint}, {@code --proxy-address} (vibed-caddy:80), {@code --agent-token-secret}
 * (vibed-agent-token), {@code --spool-dir}, {@code --deploy-wait} (10s), and the auth settings of standalone:
 * {@code --auth none|apikey|oidc}, {@code --api-keys-file} (or key lines in env {@code VIBED_API_KEYS}),
 * {@code --oidc-issuer}, {@code --oidc-audience}, {@code --oidc-client-id}, {@code --oidc-client-secret},
 * {@code --oidc-user-claim}, {@code --oidc-admin-claim}, {@code --oidc-admin-value}, {@code --oidc-resource} (the API's
 * public URL; required with oidc). The Kubernetes connection is the usual in-cluster service account or kubeconfig.
 */
public final class ClusterApiMain {
    private static final Logger LOG = Logger.getLogger(ClusterApiMain.class.getName());

    private ClusterApiMain() {
    }

    public static void main(String[] args) throws Exception {
        ClusterApiConfig config;
        try {
            config = ClusterApiConfig.from(Settings.from(args));
        } catch (IllegalArgumentException e) {
            System.err.println("vibed: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        ClusterApi api;
        try {
            api = ClusterApi.start(config, client);
        } catch (IllegalArgumentException e) {
            System.err.println("vibed: " + e.getMessage());
            client.close();
            System.exit(2);
            return;
        }
        if (config.auth().mode() == AuthMode.NONE) {
            LOG.warning("vibed (cluster mode) runs with --auth none: every caller is the admin; set --auth apikey or "
                    + "--auth oidc, or keep it behind an authenticating gateway");
        }
        LOG.info("vibed (cluster mode) on port " + api.port() + ", apps in namespace " + config.namespace()
                + ", S3 " + config.s3());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
