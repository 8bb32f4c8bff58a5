package dev.vibed.kube.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.testing.SampleApps;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppMapperTest {

    @Test
    void specAndStatusSurviveTheWireFormExactly() {
        App app = SampleApps.app("alice", "site", "static", SampleApps.sha('a'));
        Instant t = Instant.parse("2026-03-01T10:16:00.000000001Z");
        AppStatus status = new AppStatus(Phase.READY, "http://x.apps.test/", "vibed-app-x.ns.svc.cluster.local:8080",
                "sandbox-1", 1, 0, t, 3, 2, "boom\nline", "ok",
                List.of(new Condition("Ready", "True", "Serving", "version 1 serves", t, 3),
                        new Condition("SourceValid", "True", "Classified", "static", t, 3)),
                Map.of(1, "live", 12, "failed: InjectFailed"));

        VibedApp resource = new VibedApp();
        resource.setMetadata(new ObjectMetaBuilder().withName(app.id()).withGeneration(3L)
                .withCreationTimestamp("2026-03-01T10:15:31Z").build());
        resource.setSpec(AppMapper.toSpec(app.spec()));
        resource.setStatus(AppMapper.fromStatus(status));
        // Through JSON, as the API server would store it.
        VibedApp stored = Serialization.unmarshal(Serialization.asJson(resource), VibedApp.class);

        App back = AppMapper.toApp(stored, AppMapper.envValues(stored.getSpec(), app.spec()));
        assertThat(back.spec()).isEqualTo(app.spec());
        assertThat(Serialization.asJson(stored)).as("env values live in the app's Secret, not in its spec")
                .doesNotContain("\"hello\"");
        assertThat(AppMapper.toApp(stored).spec().active().env()).as("without the Secret: names only")
                .containsOnlyKeys(app.spec().active().env().keySet()).allSatisfy((k, v) -> assertThat(v).isEmpty());
        assertThat(back.status()).isEqualTo(status);
        assertThat(back.generation()).isEqualTo(3);
        assertThat(back.deleting()).isFalse();
        assertThat(stored.getSpec().getTemplate()).as("printer column copy").isEqualTo("static");
        assertThat(stored.getSpec().getVersions().getFirst().getEnv()).extracting("name").containsExactly("GREETING", "MODE");
    }

    @Test
    void aResourceWithoutStatusIsPending() {
        App app = SampleApps.app("alice", "site", "static", SampleApps.sha('a'));
        VibedApp resource = new VibedApp();
        resource.setMetadata(new ObjectMetaBuilder().withName(app.id()).withDeletionTimestamp("2026-03-01T10:15:31Z").build());
        resource.setSpec(AppMapper.toSpec(app.spec()));

        App back = AppMapper.toApp(resource);
        assertThat(back.status().phase()).isEqualTo(Phase.PENDING);
        assertThat(back.deleting()).isTrue();
        assertThat(back.generation()).isEqualTo(1);
    }
}
