package dev.vibed.controller;

import dev.vibed.controller.warmpool.WarmPoolSizing;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.reconcile.ReconcileSettings;
import dev.vibed.kube.api.ClusterApiConfig;
import dev.vibed.kube.blob.S3Config;
import dev.vibed.kube.config.Settings;
import dev.vibed.kube.sandbox.AgentTokens;

import java.time.Duration;

/**
 * Settings of vibed-controller.
 *
 * @param namespace         the workloads namespace (VibedApps, claims, templates, warm pools, per-app Services)
 * @param lease             leader election: the Lease's name, namespace and timings
 * @param publishPodAddress route to the pod's ip:port instead of the Service name (tests, single-host dev only)
 * @param healthPort        port of /healthz and /readyz (0: pick one)
 * @param watchRecheck      how long an app waiting on its claim, pod or Service sleeps before it is looked at anyway;
 *                          only a safety net, since the watch of that object wakes it
 * @param warmPool          how the warm pools are sized from the claim rate
 */
public record ControllerConfig(String namespace, PublicUrls urls, S3Config s3, String agentTokenSecret,
                               String clusterDomain, boolean publishPodAddress, Lease lease,
                               ReconcileSettings reconcile, String healthBind, int healthPort, Duration collectEvery,
                               Duration watchRecheck, WarmPoolSizing warmPool) {

    /**
     * @param exitOnStopLeading a replica that loses its lease exits, so it cannot go on reconciling beside the new
     *                          leader (JOSDK 5.2 keeps processing otherwise); only tests that stop leaders in one
     *                          JVM turn it off
     */
    public record Lease(String name, String namespace, String identity, Duration duration, Duration renewDeadline,
                        Duration retryPeriod, boolean exitOnStopLeading) {
    }

    public static ControllerConfig from(Settings s) {
        String namespace = s.get("namespace", ClusterApiConfig.DEFAULT_NAMESPACE);
        ReconcileSettings defaults = ReconcileSettings.defaults();
        WarmPoolSizing warm = WarmPoolSizing.defaults();
        return new ControllerConfig(
                namespace,
                new PublicUrls(s.get("public-scheme", "https"), s.required("domain"), s.integer("public-port", 0)),
                ClusterApiConfig.s3(s),
                s.get("agent-token-secret", AgentTokens.DEFAULT_SECRET),
                s.get("cluster-domain", "cluster.local"),
                s.bool("publish-pod-address", false),
                new Lease(s.get("lease-name", "vibed-controller"),
                        // The control plane's own namespace (the downward API sets POD_NAMESPACE in the chart).
                        s.get("lease-namespace", System.getenv().getOrDefault("POD_NAMESPACE", namespace)),
                        s.get("identity", System.getenv().get("HOSTNAME")),
                        s.duration("lease-duration", Duration.ofSeconds(15)),
                        s.duration("lease-renew-deadline", Duration.ofSeconds(10)),
                        s.duration("lease-retry-period", Duration.ofSeconds(2)),
                        true),
                new ReconcileSettings(s.duration("drain", defaults.drain()), s.duration("agent-grace", defaults.agentGrace()),
                        s.duration("health-interval", defaults.healthInterval()),
                        s.duration("source-url-validity", defaults.sourceUrlValidity())),
                s.get("health-bind", "0.0.0.0"),
                s.integer("health-port", 8081),
                s.duration("collect-every", Duration.ofMinutes(1)),
                s.duration("watch-recheck", Duration.ofSeconds(30)),
                new WarmPoolSizing(s.integer("warm-min", warm.min()), s.integer("warm-max", warm.max()),
                        s.duration("warm-window", warm.window()), s.duration("warm-start-time", warm.startTime()),
                        s.duration("warm-every", warm.every())));
    }
}
