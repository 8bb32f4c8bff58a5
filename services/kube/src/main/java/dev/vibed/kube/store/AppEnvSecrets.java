package dev.vibed.kube.store;

import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.model.VibedApp;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * App env values live in a per-app Secret, {@code vibed-env-<app id>}, owned by the VibedApp (garbage-collected
 * with it), never in the VibedApp's spec: anyone who may read VibedApps (the router, kubectl users) sees env names
 * and their keys only. One key per version, write and name ({@code v<version>-<nonce>.<NAME>}): a writer adds its
 * keys before its spec lands and never reuses another's, so concurrent writers cannot mix their values, and a key
 * is removed only once no spec can name it. The API writes it; the controller only reads it, when it injects; the
 * router never touches it.
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

    public static String key(int version, String nonce, String envName) {
        return "v" + version + "-" + nonce + "." + envName;
    }

    static String nonce() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** The version a key belongs to, or -1. */
    static int versionOf(String key) {
        int dash = key.indexOf('-');
        try {
            return key.startsWith("v") && dash > 1 ? Integer.parseInt(key.substring(1, dash)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

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

    /** Adds {@code values} to the Secret of an existing app, before a spec naming them is written. */
    public void add(VibedApp owner, Map<String, String> values) {
        add(owner.getMetadata().getName(), owner, values);
    }

    /**
     * Adds {@code values} to the Secret of an app not created yet, so the controller's first pass (on the create's
     * own event) finds every value the spec names; {@link #own} then hands the Secret to the app.
     */
    public void addBeforeCreate(String appId, Map<String, String> values) {
        add(appId, null, values);
    }

    /** Makes {@code owner} the Secret's owner (garbage-collected with it), when it has one and is not owned yet. */
    public void own(VibedApp owner) {
        modify(owner.getMetadata().getName(), owner, data -> data);
    }

    private void add(String appId, VibedApp owner, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        modify(appId, owner, data -> {
            Map<String, String> merged = new TreeMap<>(data);
            merged.putAll(values);
            return merged;
        });
    }

    /**
     * After {@code written} landed: drops the keys no spec can name any more, those of its own versions it does not
     * name, and those of versions older than its oldest. Keys of newer versions belong to a writer still under way.
     */
    public void prune(VibedApp written) {
        if (access != Access.WRITE) {
            return;
        }
        java.util.Set<String> named = new java.util.HashSet<>();
        int max = 0;
        for (var v : written.getSpec().getVersions()) {
            max = Math.max(max, v.getVersion());
            v.getEnv().forEach(e -> named.add(e.getSecretKey()));
        }
        int newest = max;
        modify(written.getMetadata().getName(), written, data -> {
            Map<String, String> kept = new TreeMap<>(data);
            kept.keySet().removeIf(k -> !named.contains(k) && versionOf(k) <= newest);
            return kept;
        });
    }

    /**
     * Read, change, write with the read resourceVersion (409: read again), so concurrent writers never lose each
     * other's keys. The owner reference does not block the owner's deletion: that would need the finalizers
     * permission on VibedApps, which the API has no need for.
     */
    private void modify(String appId, VibedApp owner, java.util.function.UnaryOperator<Map<String, String>> change) {
        if (access != Access.WRITE) {
            throw new IllegalStateException("this component may not write env Secrets");
        }
        for (int attempt = 0; attempt < 16; attempt++) {
            Secret existing = client.secrets().inNamespace(namespace).withName(name(appId)).get();
            Map<String, String> current = new TreeMap<>();
            if (existing != null && existing.getData() != null) {
                existing.getData().forEach((k, v) -> current.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            Map<String, String> next = change.apply(current);
            boolean adopt = existing != null && owner != null && !ownedBy(existing, owner);
            if (next.equals(current) && existing != null && !adopt) {
                return;
            }
            Map<String, String> data = new LinkedHashMap<>();
            next.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            try {
                if (existing == null) {
                    if (data.isEmpty()) {
                        return;
                    }
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name(appId))
                            .withNamespace(namespace).withLabels(Map.of(AgentSandbox.APP_LABEL, appId))
                            .withOwnerReferences(owner == null ? List.of() : List.of(ownerReference(owner)))
                            .endMetadata().withType("Opaque").withData(data).build()).create();
                } else {
                    if (adopt) {
                        existing.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
                    }
                    existing.setData(data);
                    client.secrets().inNamespace(namespace).resource(existing).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("Secret " + name(appId) + ": too many conflicting writes in a row");
    }

    private static boolean ownedBy(Secret secret, VibedApp owner) {
        return secret.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()));
    }

    private static OwnerReference ownerReference(VibedApp owner) {
        return new OwnerReferenceBuilder().withApiVersion(VibedApp.API_VERSION).withKind(VibedApp.KIND)
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(false).build();
    }

    /** Deletes the Secret (garbage collection does it too, where the API server runs it). */
    public void delete(String appId) {
        if (access == Access.WRITE) {
            client.secrets().inNamespace(namespace).withName(name(appId)).delete();
        }
    }
}
