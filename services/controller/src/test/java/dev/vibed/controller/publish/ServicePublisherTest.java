package dev.vibed.controller.publish;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.app.App;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.kube.agentsandbox.AgentSandbox;
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
    void thePerAppServiceSelectsTheServingClaimsPodAndFollowsARollout() throws Exception {
        App app = store.create(SampleApps.app("alice", "published", "static", SampleApps.sha('1')));
        ServicePublisher publisher = new ServicePublisher(kube.newClient(), NS, "cluster.local", false);

        String target = publisher.publish(app, lease(app.id() + "-v1", "10.0.0.5", 8080));
        assertThat(target).isEqualTo("vibed-app-" + app.id() + "." + NS + ".svc.cluster.local:8080");
        Service service = service(app.id());
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of(AgentSandbox.CLAIM_LABEL, app.id() + "-v1"));
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
        assertThat(service(app.id()).getSpec().getSelector()).containsEntry(AgentSandbox.CLAIM_LABEL, app.id() + "-v2");

        publisher.unpublish(app.id());
        assertThat(service(app.id())).isNull();
        publisher.unpublish(app.id());
    }

    @Test
    void podAddressModeRoutesToThePodItselfForTestsAndDev() throws Exception {
        App app = store.create(SampleApps.app("alice", "direct", "static", SampleApps.sha('2')));
        ServicePublisher publisher = new ServicePublisher(kube.newClient(), NS, "cluster.local", true);
        assertThat(publisher.publish(app, lease(app.id() + "-v1", "127.0.0.1", 41234))).isEqualTo("127.0.0.1:41234");
        assertThat(publisher.publish(app, lease(app.id() + "-v1", "fd00::7", 41234))).isEqualTo("[fd00::7]:41234");
        assertThat(service(app.id()).getSpec().getPorts().getFirst().getTargetPort()).isEqualTo(new IntOrString(41234));
    }

    private static Service service(String appId) {
        return kube.client().services().inNamespace(NS).withName("vibed-app-" + appId).get();
    }

    private static SandboxLease lease(String key, String ip, int appPort) {
        return new SandboxLease(key, key + "-sandbox", new AgentClient.Endpoint(URI.create("http://" + ip + ":9000"), "t"), ip, appPort, false);
    }
}
