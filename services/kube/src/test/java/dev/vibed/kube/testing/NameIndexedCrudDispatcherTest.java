package dev.vibed.kube.testing;

import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.model.VibedAppStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The name index must not change a single answer of the stock CRUD dispatcher: the same script of writes and reads
 * runs against both, and every answer (minus the uid and creation time each server makes up) must be the same.
 */
class NameIndexedCrudDispatcherTest {
    private static final String NS = "index-test";

    @Test
    void everyAnswerIsTheStockDispatchersAndTheIndexIsKeptThroughout() {
        List<String> stock;
        List<String> indexed;
        try (KubeMock kube = KubeMock.start(NS)) {
            stock = script(kube.client());
        }
        NameIndexedCrudDispatcher dispatcher = new NameIndexedCrudDispatcher();
        try (KubeMock kube = KubeMock.start(NS, dispatcher)) {
            indexed = script(kube.client());
        }
        assertThat(indexed).as("the indexed server's answers, step by step").containsExactlyElementsOf(stock);
        assertThat(stock).as("the script saw the objects it wrote").contains("get a: {k=2}", "get vibedapp: Ready");
        assertThat(dispatcher.indexed()).as("every write's key was found again, so no lookup fell back to scanning").isTrue();
    }

    /** The answers of one server to a fixed script, each step as a line. */
    private static List<String> script(KubernetesClient client) {
        List<String> answers = new ArrayList<>();
        var configMaps = client.configMaps().inNamespace(NS);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build()).create();
        List<String> events = new CopyOnWriteArrayList<>();
        var watch = configMaps.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        for (int i = 0; i < 50; i++) {
            configMaps.resource(configMap("filler-" + i, "app", "filler", Map.of("i", "" + i))).create();
        }
        configMaps.resource(configMap("a", "app", "one", Map.of("k", "1"))).create();
        client.configMaps().inNamespace("other").resource(configMap("a", "app", "elsewhere", Map.of("k", "other"))).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("a").endMetadata()
                .withStringData(Map.of("s", "secret")).build()).create();
        answers.add("get a: " + data(configMaps.withName("a").get()));
        answers.add("get a elsewhere: " + data(client.configMaps().inNamespace("other").withName("a").get()));
        answers.add("secret a: " + client.secrets().inNamespace(NS).withName("a").get().getMetadata().getName());
        answers.add("get missing: " + configMaps.withName("missing").get());
        answers.add("create a again: " + failure(() -> configMaps.resource(configMap("a", "app", "one", Map.of())).create()));

        // A label change moves the object to another store key: it must still be found by name afterwards.
        configMaps.withName("a").edit(cm -> new ConfigMapBuilder(cm).editMetadata().addToLabels("app", "two").endMetadata()
                .withData(Map.of("k", "2")).build());
        answers.add("get a: " + data(configMaps.withName("a").get()));
        answers.add("list app=two: " + names(configMaps.withLabel("app", "two").list().getItems()));
        answers.add("list app=one: " + names(configMaps.withLabel("app", "one").list().getItems()));
        answers.add("rv a: " + configMaps.withName("a").get().getMetadata().getResourceVersion());
        answers.add("replace a: " + data(configMaps.resource(configMap("a", "app", "three", Map.of("k", "3"))).update()));
        answers.add("replace missing: " + failure(() -> configMaps.resource(configMap("missing", "app", "x", Map.of())).update()));

        // A custom resource with a status subresource: status and spec writes each keep the other's part.
        var apps = client.resources(VibedApp.class).inNamespace(NS);
        VibedApp app = Serialization.unmarshal("""
                {"apiVersion":"vibed.dev/v1","kind":"VibedApp","metadata":{"name":"app-1"},
                 "spec":{"name":"site","owner":"alice","versions":[],"activeVersion":1}}""", VibedApp.class);
        apps.resource(app).create();
        VibedApp stored = apps.withName("app-1").get();
        VibedAppStatus status = new VibedAppStatus();
        status.setPhase("Ready");
        stored.setStatus(status);
        apps.resource(stored).updateStatus();
        answers.add("get vibedapp: " + apps.withName("app-1").get().getStatus().getPhase());
        answers.add("vibedapp generation: " + apps.withName("app-1").get().getMetadata().getGeneration());

        answers.add("delete a: " + configMaps.withName("a").delete().size());
        answers.add("get a after delete: " + configMaps.withName("a").get());
        answers.add("get a elsewhere after delete: " + data(client.configMaps().inNamespace("other").withName("a").get()));
        configMaps.resource(configMap("a", "app", "again", Map.of("k", "again"))).create();
        answers.add("get a recreated: " + data(configMaps.withName("a").get()));
        answers.add("list all: " + configMaps.list().getItems().size());
        await().until(() -> events.contains("ADDED a") && events.contains("DELETED a") && events.stream().filter("ADDED a"::equals).count() == 2);
        watch.close();
        answers.add("watch: " + events.stream().filter(e -> e.endsWith(" a")).toList());
        return answers;
    }

    private static ConfigMap configMap(String name, String label, String value, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels(label, value).endMetadata().withData(data).build();
    }

    private static String data(ConfigMap cm) {
        return cm == null ? "null" : String.valueOf(new java.util.TreeMap<>(cm.getData()));
    }

    private static String names(List<ConfigMap> items) {
        return items.stream().map(cm -> cm.getMetadata().getName()).sorted().toList().toString();
    }

    private static String failure(Runnable write) {
        try {
            write.run();
            return "accepted";
        } catch (KubernetesClientException e) {
            return "HTTP " + e.getCode();
        }
    }
}
