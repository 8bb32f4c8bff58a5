package dev.vibed.controller.publish;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.app.App;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.kube.agentsandbox.AgentSandbox;
import dev.vibed.kube.agentsandbox.Sandbox;
import dev.vibed.kube.agentsandbox.SandboxNameHash;
import dev.vibed.kube.agentsandbox.SandboxStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.store.KubeAppStore;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.SampleApps;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServicePublisherTest {
    private static final String NS = "vibed-apps";
    private static KubeMock kube;
    private static KubeAppStore store;

    @BeforeAll
    static void start() {
        kube = KubeMock.start(NS);
        store = new KubeAppStore(kube.newClient(), NS);
    }

    @AfterAll
    static void stop() {
        store.close();
        kube.close();
    }

    @Test
    void thePerAppServiceSelectsTheServingSandboxsPodByAgentSandboxsLabelAndFollowsARollout() throws Exception {
        App app = store.create(SampleApps.app("alice", "published", "static", SampleApps.sha('1')));
        ServicePublisher publisher = new ServicePublisher(kube.newClient(), NS, "cluster.local", false);
        readyPod(app.id() + "-v1-sandbox");
        readyPod(app.id() + "-v2-sandbox");

        String target = publisher.publish(app, lease(app.id() + "-v1", "10.0.0.5", 8080));
        assertThat(target).isEqualTo("vibed-app-" + app.id() + "." + NS + ".svc.cluster.local:8080");
        Service service = service(app.id());
        assertThat(service.getSpec().getSelector())
                .isEqualTo(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(app.id() + "-v1-sandbox")));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString(8080));
        });
        assertThat(service.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo(VibedApp.KIND));
        String resourceVersion = service.getMetadata().getResourceVersion();

        publisher.publish(app, lease(app.id() + "-v1", "10.0.0.5", 8080));
        assertThat(service(app.id()).getMetadata().getResourceVersion()).as("no write when nothing changed").isEqualTo(resourceVersion);

        assertThat(publisher.publish(app, lease(app.id() + "-v2", "10.0.0.6", 8080))).as("the Service name is stable").isEqualTo(target);
        assertThat(service(app.id()).getSpec().getSelector())
                .containsEntry(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(app.id() + "-v2-sandbox"));

        publisher.unpublish(app.id());
        assertThat(service(app.id())).isNull();
        publisher.unpublish(app.id());
    }

    @Test
    void theSelectorIsTheOneTheSandboxPublishes() throws Exception {
        App app = store.create(SampleApps.app("alice", "selected", "static", SampleApps.sha('3')));
        Sandbox sandbox = new Sandbox();
        sandbox.setMetadata(new ObjectMetaBuilder().withName(app.id() + "-v1-sandbox").withNamespace(NS).build());
        kube.client().resources(Sandbox.class).inNamespace(NS).resource(sandbox).create();
        SandboxStatus status = new SandboxStatus();
        status.setSelector(AgentSandbox.SANDBOX_NAME_HASH_LABEL + "=cafe0123");
        sandbox.setStatus(status);
        kube.client().resources(Sandbox.class).inNamespace(NS).resource(sandbox).updateStatus();
        ServicePublisher publisher = new ServicePublisher(kube.newClient(), NS, "cluster.local", false);
        assertThat(publisher.selectorOf(app.id() + "-v1-sandbox")).isEqualTo(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, "cafe0123"));
    }

    @Test
    void withoutAReadyEndpointThePublishIsNotYetDone() throws Exception {
        App app = store.create(SampleApps.app("alice", "unready", "static", SampleApps.sha('4')));
        ServicePublisher publisher = new ServicePublisher(kube.newClient(), NS, "cluster.local", false);
        String pod = app.id() + "-v1-sandbox";
        assertThatThrownBy(() -> publisher.publish(app, lease(app.id() + "-v1", "10.0.0.7", 8080)))
                .isInstanceOf(AppPublisher.NotYetException.class).hasMessageContaining("no ready endpoint");
        assertThat(service(app.id())).as("the Service is made at once; only Ready waits").isNotNull();
        kube.client().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod)
                .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(pod))).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build()).create();
        assertThatThrownBy(() -> publisher.publish(app, lease(app.id() + "-v1", "10.0.0.7", 8080)))
                .isInstanceOf(AppPublisher.NotYetException.class).hasMessageContaining("1 not ready");
        kube.client().pods().inNamespace(NS).withName(pod).edit(p -> {
            p.getStatus().getConditions().getFirst().setStatus("True");
            return p;
        });
        assertThat(publisher.publish(app, lease(app.id() + "-v1", "10.0.0.7", 8080))).startsWith("vibed-app-" + app.id());
    }

    @Test
    void podAddressModeRoutesToThePodItselfForTestsAndDev() throws Exception {
        App app = store.create(SampleApps.app("alice", "direct", "static", SampleApps.sha('2')));
        readyPod(app.id() + "-v1-sandbox");
        ServicePublisher publisher = new ServicePublisher(kube.newClient(), NS, "cluster.local", true);
        assertThat(publisher.publish(app, lease(app.id() + "-v1", "127.0.0.1", 41234))).isEqualTo("127.0.0.1:41234");
        assertThat(publisher.publish(app, lease(app.id() + "-v1", "fd00::7", 41234))).isEqualTo("[fd00::7]:41234");
        assertThat(service(app.id()).getSpec().getPorts().getFirst().getTargetPort()).isEqualTo(new IntOrString(41234));
    }

    private static void readyPod(String name) {
        kube.client().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of(AgentSandbox.SANDBOX_NAME_HASH_LABEL, SandboxNameHash.of(name))).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }

    private static Service service(String appId) {
        return kube.client().services().inNamespace(NS).withName("vibed-app-" + appId).get();
    }

    private static SandboxLease lease(String key, String ip, int appPort) {
        return new SandboxLease(key, key + "-sandbox", new AgentClient.Endpoint(URI.create("http://" + ip + ":9000"), "t"), ip, appPort, false);
    }
}
