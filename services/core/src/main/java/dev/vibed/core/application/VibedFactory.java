package dev.vibed.core.application;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.archive.ArchiveInspector;
import dev.vibed.core.audit.AuditLog;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.classify.Classifier;
import dev.vibed.core.deploy.AppWaiter;
import dev.vibed.core.deploy.DeployAdmission;
import dev.vibed.core.deploy.DeployService;
import dev.vibed.core.deploy.DeployTimeline;
import dev.vibed.core.deploy.ServingProbe;
import dev.vibed.core.deploy.SourceSpool;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.quota.Quotas;
import dev.vibed.core.sandbox.SandboxPool;
import dev.vibed.core.watch.AppWatchHub;

import java.time.Clock;
import java.time.Duration;

/**
 * Builds the one {@link Vibed} from a mode's adapters. Standalone and the cluster API both call this, so the
 * application services are wired exactly once and no mode can forget a rule.
 */
public final class VibedFactory {
    /**
     * How long one deploy may keep its turn ({@link DeployAdmission}): several times a quick deploy's own work, so
     * a deploy whose app is slow to listen holds the ones behind it back for no longer than this.
     */
    static final Duration ADMISSION_MAX_HOLD = Duration.ofMillis(300);

    private VibedFactory() {
    }

    /**
     * The adapters a mode supplies: where apps, sources and sandboxes live, how "it serves" is checked, and where each
     * deploy's stage times go ({@link DeployTimeline#none()} where nobody reads them).
     */
    public record Ports(AppStore store, BlobStore blobs, SandboxPool pool, AgentClient agents, ServingProbe servingProbe,
                        PublicUrls urls, AuditLog audit, SourceSpool spool, DeployTimeline timeline) {
    }

    /**
     * The knobs a mode sets; everything else is a rule of the application.
     *
     * @param deployConcurrency deploys doing vibeD's own work at once, first come first served (see
     *                          {@link DeployAdmission}); 0: no limit, for a mode whose deploy work runs elsewhere
     */
    public record Settings(AppPolicy policy, Quotas quotas, Duration deployWait, int deployConcurrency) {
        public static Settings defaults() {
            return new Settings(AppPolicy.defaults(), Quotas.defaults(), Duration.ofSeconds(10), 0);
        }

        public Settings withDeployWait(Duration wait) {
            return new Settings(policy, quotas, wait, deployConcurrency);
        }

        public Settings withQuotas(Quotas q) {
            return new Settings(policy, q, deployWait, deployConcurrency);
        }

        public Settings withPolicy(AppPolicy p) {
            return new Settings(p, quotas, deployWait, deployConcurrency);
        }

        public Settings withDeployConcurrency(int value) {
            return new Settings(policy, quotas, deployWait, value);
        }
    }

    public static Vibed create(Ports ports, Settings settings, Clock clock) {
        AppPolicy policy = settings.policy();
        AppWaiter waiter = new AppWaiter(ports.store(), ports.servingProbe(), clock);
        DeployService deploys = new DeployService(ports.store(), ports.blobs(), ports.pool(), new ArchiveInspector(),
                new Classifier(), waiter, ports.urls(), policy, clock, ports.timeline(),
                new DeployAdmission(settings.deployConcurrency(), ADMISSION_MAX_HOLD));
        AppService apps = new AppService(ports.store(), ports.pool(), ports.agents(), policy, clock);
        var templates = TemplateInfo.KNOWN.stream().filter(t -> ports.pool().hasTemplate(t.name())).toList();
        return new Vibed(deploys, apps, new AppWatchHub(ports.store()), ports.audit(), ports.spool(), policy,
                settings.quotas(), settings.deployWait(), templates, clock);
    }
}
