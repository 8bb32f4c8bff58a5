package dev.vibed.kube.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.model.VibedApp;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link AppStore} on VibedApp resources in the workloads namespace: the API stays stateless and every replica of
 * every component sees the same apps. Reads go to the API server (fresh, so read-modify-write conflicts stay rare);
 * writes carry the resourceVersion they read and are retried on 409. Deletion is the finalizer: {@link #create}
 * adds {@link VibedApp#FINALIZER}, {@link #requestDelete} deletes (the API server only marks the resource), and
 * {@link #remove} drops the finalizer once the controller has released everything.
 *
 * <p>Only the controller writes status, its first one included: {@link #create} writes none, so the API can never
 * overwrite a status the controller already wrote (a store without optimistic locking on the status subresource,
 * such as fabric8's mock server, would let a late write win), and status changes need not wake the reconciler. An
 * app without a status yet reads as Pending at its public URL.
 */
public final class KubeAppStore implements AppStore, AutoCloseable {
    private static final int MAX_ATTEMPTS = 16;

    private final KubernetesClient client;
    private final String namespace;
    private final AppWatch watch;
    private final AppEnvSecrets env;
    /** Where an app without a status yet is reached; null: not known to this component (its URL reads as null). */
    private final PublicUrls urls;

    /** A store that writes env Secrets (the API's), with apps' URLs unknown until the controller writes them. */
    public KubeAppStore(KubernetesClient client, String namespace) {
        this(client, namespace, AppEnvSecrets.Access.WRITE, null);
    }

    /** @param envAccess what this component may do with the apps' env Secrets: the controller reads, the router never */
    public KubeAppStore(KubernetesClient client, String namespace, AppEnvSecrets.Access envAccess) {
        this(client, namespace, envAccess, null);
    }

    /** @param urls the public URLs, so that an app the controller has not written a status for yet reads with its URL */
    public KubeAppStore(KubernetesClient client, String namespace, AppEnvSecrets.Access envAccess, PublicUrls urls) {
        this.client = client;
        this.namespace = namespace;
        this.urls = urls;
        this.watch = new AppWatch(apps(), this::withoutEnv);
        this.env = new AppEnvSecrets(client, namespace, envAccess);
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public App create(App app) {
        VibedApp resource = new VibedApp();
        resource.setMetadata(new ObjectMetaBuilder()
                .withName(app.id())
                .withNamespace(namespace)
                .withLabels(Map.of(AgentSandbox.APP_LABEL, app.id()))
                .withFinalizers(VibedApp.FINALIZER)
                .build());
        resource.setSpec(AppMapper.toSpec(app.spec()));
        // The Secret before the app: the controller's first pass, on the create's own event, finds every value the
        // spec names (nothing else would wake it when the Secret landed later). Its keys carry this write's nonce,
        // so an app of that name created meanwhile never reads them, and its next write prunes them.
        Map<String, String> envValues = AppMapper.envValues(resource.getSpec(), app.spec());
        env.addBeforeCreate(app.id(), envValues);
        VibedApp created;
        try {
            created = apps().resource(resource).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                throw new AppAlreadyExistsException(app.id());
            }
            throw e;
        }
        if (!envValues.isEmpty()) {
            env.own(created); // owned by the app now that it has a uid: garbage-collected with it
        }
        // No status write (the status subresource ignores status on create): the controller writes the first one.
        return atUrl(AppMapper.toApp(created, envValues), created);
    }

    @Override
    public Optional<App> get(String id) {
        return Optional.ofNullable(apps().withName(id).get()).map(this::toApp);
    }

    @Override
    public List<App> list() {
        List<App> out = new ArrayList<>();
        for (VibedApp r : apps().list().getItems()) {
            out.add(toApp(r));
        }
        return out;
    }

    /**
     * The app of a VibedApp this component already holds (the controller's informer cache), with env values when
     * this component may read them (one Secret read per app that has env).
     */
    public App toApp(VibedApp r) {
        boolean hasEnv = r.getSpec() != null && r.getSpec().getVersions().stream().anyMatch(v -> !v.getEnv().isEmpty());
        if (!hasEnv || env.access() == AppEnvSecrets.Access.NONE) {
            return withoutEnv(r);
        }
        return atUrl(AppMapper.toApp(r, env.read(r.getMetadata().getName())), r);
    }

    /** The app with env values unknown (""): status writers and watchers need no Secret read. */
    private App withoutEnv(VibedApp r) {
        return atUrl(AppMapper.toApp(r), r);
    }

    /** An app the controller has not written a status for yet: Pending, at its public URL when this store knows it. */
    private App atUrl(App app, VibedApp r) {
        boolean unwritten = r.getStatus() == null || r.getStatus().getPhase() == null;
        return unwritten && urls != null ? app.withStatus(AppStatus.pending(urls.url(app.id()))) : app;
    }

    @Override
    public App updateSpec(String id, UnaryOperator<AppSpec> change) {
        VibedApp updated = retryOnConflict(id, current -> {
            AppSpec next = change.apply(toApp(current).spec());
            // The new keys' values first, then the spec that names them, then drop what no spec can name.
            current.setSpec(AppMapper.mergeSpec(current.getSpec(), next));
            env.add(current, AppMapper.envValues(current.getSpec(), next));
            VibedApp written = apps().resource(current).update();
            try {
                env.prune(written);
            } catch (KubernetesClientException e) {
                // The spec is written; a concurrent Secret write won. Leftover keys go at the next prune.
            }
            return written;
        });
        return toApp(updated);
    }

    @Override
    public App updateStatus(String id, UnaryOperator<AppStatus> change) {
        // Status writers (the controller, often) get the app back without a read of its env Secret.
        return withoutEnv(retryOnConflict(id, current -> {
            current.setStatus(AppMapper.fromStatus(change.apply(AppMapper.toStatus(current.getStatus()))));
            return apps().resource(current).updateStatus();
        }));
    }

    @Override
    public void requestDelete(String id) {
        if (apps().withName(id).delete().isEmpty()) {
            throw new AppNotFoundException(id);
        }
    }

    @Override
    public void remove(String id) {
        Resource<VibedApp> app = apps().withName(id);
        VibedApp current = app.get();
        if (current == null) {
            return;
        }
        if (current.getMetadata().getDeletionTimestamp() == null) {
            app.delete();
        }
        // The Secret goes with its owner by garbage collection; the API (which may delete it) does not wait for that.
        env.delete(id);
        // A PUT with the read resourceVersion, not an index-based JSON patch: other finalizers may come and go.
        try {
            retryOnConflict(id, r -> {
                if (!r.getMetadata().getFinalizers().remove(VibedApp.FINALIZER)) {
                    return r;
                }
                return apps().resource(r).update();
            });
        } catch (AppNotFoundException gone) {
            // removed meanwhile: done
        }
    }

    @Override
    public AutoCloseable watch(Consumer<AppEvent> listener) {
        return watch.add(listener);
    }

    @Override
    public void close() {
        watch.close();
    }

    /** Read, change, write with the read resourceVersion; a 409 means someone wrote in between: read again. */
    private VibedApp retryOnConflict(String id, Function<VibedApp, VibedApp> write) {
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            VibedApp current = apps().withName(id).get();
            if (current == null) {
                throw new AppNotFoundException(id);
            }
            try {
                return write.apply(current);
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    throw new AppNotFoundException(id);
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IllegalStateException("app " + id + ": " + MAX_ATTEMPTS + " conflicting writes in a row", last);
    }

    private NonNamespaceOperation<VibedApp, KubernetesResourceList<VibedApp>, Resource<VibedApp>> apps() {
        return client.resources(VibedApp.class).inNamespace(namespace);
    }
}
