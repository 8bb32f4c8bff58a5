package dev.vibed.kube.store;

import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.model.VibedApp;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * App env values live in a per-app Secret, {@code vibed-env-<app id>}, owned by the VibedApp (garbage-collected
 * with it), never in the VibedApp's spec: anyone who may read VibedApps (the router, kubectl users) sees env names
 * only. One key per version and name ({@code v<version>.<NAME>}), so every version keeps its own env. The API
 * writes it; the controller only reads it, when it injects; the router never touches it.
 */
public final class AppEnvSecrets {
    /** What a component may do with the Secrets (its Role in the chart grants exactly that). */
    public enum Access { WRITE, READ, NONE }

    private final KubernetesClient client;
    private final String namespace;
    private final Access access;

    public AppEnvSecrets(KubernetesClient client, String namespace, Access access) {
        this.client = client;
        this.namespace = namespace;
        this.access = access;
    }

    public static String name(String appId) {
        return "vibed-env-" + appId;
    }

    public static String key(int version, String envName) {
        return "v" + version + "." + envName;
    }

    public Access access() {
        return access;
    }

    /** The Secret's values by key; empty when there is none or this component may not read it. */
    public Map<String, String> read(String appId) {
        if (access == Access.NONE) {
            return Map.of();
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(name(appId)).get();
        Map<String, String> out = new TreeMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * Makes the Secret hold exactly {@code values}, owned by {@code owner}. The owner reference does not block the
     * owner's deletion: that would need the finalizers permission on VibedApps, which the API has no need for.
     */
    public void write(VibedApp owner, Map<String, String> values) {
        if (access != Access.WRITE) {
            if (values.isEmpty()) {
                return;
            }
            throw new IllegalStateException("this component may not write env Secrets");
        }
        String appId = owner.getMetadata().getName();
        Map<String, String> data = new LinkedHashMap<>();
        new TreeMap<>(values).forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Secret secret = new SecretBuilder().withNewMetadata().withName(name(appId)).withNamespace(namespace)
                .withLabels(Map.of(AgentSandbox.APP_LABEL, appId))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(VibedApp.API_VERSION).withKind(VibedApp.KIND)
                        .withName(appId).withUid(owner.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(false).build())
                .endMetadata().withType("Opaque").withData(data).build();
        Secret existing = client.secrets().inNamespace(namespace).withName(name(appId)).get();
        if (existing == null) {
            if (data.isEmpty()) {
                return;
            }
            try {
                client.secrets().inNamespace(namespace).resource(secret).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                existing = client.secrets().inNamespace(namespace).withName(name(appId)).get();
            }
        }
        if (existing != null && !data.equals(existing.getData())) {
            existing.setData(data);
            existing.getMetadata().setOwnerReferences(secret.getMetadata().getOwnerReferences());
            client.secrets().inNamespace(namespace).resource(existing).update();
        }
    }

    /** Deletes the Secret (garbage collection does it too, where the API server runs it). */
    public void delete(String appId) {
        if (access == Access.WRITE) {
            client.secrets().inNamespace(namespace).withName(name(appId)).delete();
        }
    }
}
