package dev.vibed.controller.reconcile;

import dev.vibed.controller.watch.AppWatches;
import dev.vibed.core.reconcile.AppReconciler;
import dev.vibed.kube.model.VibedApp;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The java-operator-sdk face of core's {@link AppReconciler}: JOSDK brings the informer, the per-resource work
 * queue (one app never reconciles on two threads), retries with backoff, the finalizer and leader election; the
 * decisions are core's, shared with standalone.
 *
 * <p>Status is written by core through the app store (a PUT of /status carrying the resourceVersion it read, retried
 * on conflict), and only when it changed, so this returns {@code noUpdate()} rather than {@code patchStatus}:
 * core's write path is the one standalone uses too. The controller is the only status writer (the API's create
 * writes none; the app reads as Pending until the first pass writes one), so java-operator-sdk's generation-aware
 * filtering keeps our own status writes from waking the reconciler without hiding anyone else's: a status-only
 * change never needs a pass. Core's requeue delay becomes {@code rescheduleAfter}: Ready apps are looked at
 * every health interval, which is how a pod that came back empty (new bootId, idle agent) gets re-injected. While an
 * app waits on agent-sandbox (a claim to bind, a pod to turn ready) core's delay is only a safety net: the event
 * sources of {@link AppWatches} wake it when that happens.
 *
 * <p>The finalizer is {@link VibedApp#FINALIZER}, the one the API adds on create, so an app deleted before the
 * controller ever saw it is still cleaned up. Core's cleanup ends by removing that finalizer itself (its store's
 * {@code remove}), so {@link #cleanup} tells JOSDK not to remove it again.
 */
@ControllerConfiguration(name = VibedAppReconciler.NAME, finalizerName = VibedApp.FINALIZER,
        generationAwareEventProcessing = VibedAppReconciler.GENERATION_AWARE,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 60, timeUnit = TimeUnit.SECONDS))
public final class VibedAppReconciler implements Reconciler<VibedApp>, Cleaner<VibedApp> {
    public static final String NAME = "vibedapp";
    /** Status-only changes do not wake a reconcile: see the class comment. */
    public static final boolean GENERATION_AWARE = true;


    private final AppReconciler core;
    private final AppWatches watches;

    public VibedAppReconciler(AppReconciler core, AppWatches watches) {
        this.core = core;
        this.watches = watches;
    }

    /** The app's claims, pods and Service wake it (java-operator-sdk's secondary resources). */
    @Override
    public List<EventSource<?, VibedApp>> prepareEventSources(EventSourceContext<VibedApp> context) {
        return watches.prepare(context);
    }

    @Override
    public UpdateControl<VibedApp> reconcile(VibedApp app, Context<VibedApp> context) {
        UpdateControl<VibedApp> control = UpdateControl.noUpdate();
        // The API writes a new app's env Secret before the app, so a spec naming a value its Secret lacks
        // (EnvNotStoredException) is not a race: it fails the pass and takes java-operator-sdk's retry backoff.
        Duration again = core.reconcile(app.getMetadata().getName());
        return again == null ? control : control.rescheduleAfter(Math.max(1, again.toMillis()));
    }

    @Override
    public DeleteControl cleanup(VibedApp app, Context<VibedApp> context) {
        // Releases claims and the Service, then drops the finalizer: the route goes with the app's status.
        core.reconcile(app.getMetadata().getName());
        return DeleteControl.noFinalizerRemoval();
    }
}
