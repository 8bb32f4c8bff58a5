package dev.vibed.kube.sandbox;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agents' control token, read from a Secret in the workloads namespace (the one the template's pods mount).
 * Cached briefly: every reconcile of every app needs it, and a rotated token is picked up within {@code ttl}.
 */
public final class AgentTokens {
    public static final String DEFAULT_SECRET = "vibed-agent-token";
    public static final String KEY = "token";

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private final Duration ttl;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private String cached;
    private Instant readAt = Instant.MIN;

    public AgentTokens(KubernetesClient client, String namespace, String secretName, Duration ttl, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** @throws IllegalStateException when the Secret or its key is missing: nothing can talk to an agent then */
    public String token() {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (cached == null || now.isAfter(readAt.plus(ttl))) {
                cached = read();
                readAt = now;
            }
            return cached;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates the token Secret with a random token when there is none: the chart leaves it to the API (a chart
     * cannot generate a value that survives upgrades), and it must never change under running sandboxes, so an
     * existing Secret is never touched. Sandbox pods wait for it (their env comes from it) and then start.
     *
     * @return true when this call created it
     */
    public boolean ensureExists() {
        if (client.secrets().inNamespace(namespace).withName(secretName).get() != null) {
            return false;
        }
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            client.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName(secretName).withNamespace(namespace).endMetadata().withType("Opaque")
                    .withData(java.util.Map.of(KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
                    .build()).create();
            return true;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == java.net.HttpURLConnection.HTTP_CONFLICT) {
                return false; // another replica made it first
            }
            throw e;
        }
    }

    private String read() {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret != null && secret.getData() != null && secret.getData().get(KEY) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8).trim();
        }
        if (secret != null && secret.getStringData() != null && secret.getStringData().get(KEY) != null) {
            return secret.getStringData().get(KEY).trim();
        }
        throw new IllegalStateException("Secret " + namespace + "/" + secretName + " with key '" + KEY
                + "' (the sandbox agents' control token) is missing");
    }
}
