package dev.vibed.kube.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * fabric8's Kubernetes mock server in CRUD mode on loopback, the stand-in for an API server (there is none to be had
 * here). The generated CRDs are created in it first: from them it learns which resources have a status
 * subresource, so status writes and spec writes behave as on a real server.
 */
public final class KubeMock implements AutoCloseable {
    public static final List<String> CRDS = List.of(
            "vibedapps.vibed.dev-v1.yml",
            "sandboxes.agents.x-k8s.io-v1.yml",
            "sandboxclaims.extensions.agents.x-k8s.io-v1.yml",
            "sandboxtemplates.extensions.agents.x-k8s.io-v1.yml",
            "sandboxwarmpools.extensions.agents.x-k8s.io-v1.yml");
    private static final String RULES_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    /** Every request the server answered, as "METHOD path?query", so tests can count LISTs and watches. */
    private final Queue<String> requests = new ConcurrentLinkedQueue<>();

    private KubeMock(String namespace, KubernetesCrudDispatcher store) {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        requests.add(request.getMethod() + " " + request.getPath());
                        if ("POST".equals(request.getMethod()) && RULES_REVIEW.equals(request.getPath())) {
                            return allowLeases();
                        }
                        return store.dispatch(request);
                    }
                }, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (String crd : CRDS) {
            client.apiextensions().v1().customResourceDefinitions().resource(load(crd)).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    /**
     * java-operator-sdk checks with a SelfSubjectRulesReview that it may use Leases before it runs leader election;
     * the CRUD mock has no authorization, so it answers "allowed".
     */
    private static MockResponse allowLeases() {
        SelfSubjectRulesReview review = new SelfSubjectRulesReview();
        review.setStatus(new SubjectRulesReviewStatusBuilder()
                .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                .withIncomplete(false)
                .build());
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }

    /**
     * The LIST requests (GETs of a collection that are not watches) answered so far whose path contains
     * {@code resource}, e.g. {@code "/sandboxclaims"}.
     */
    public long lists(String resource) {
        return requests.stream().filter(r -> r.startsWith("GET ") && !r.contains("watch=true"))
                .map(r -> r.substring(4).split("\\?", 2)[0])
                .filter(path -> path.endsWith(resource))
                .count();
    }

    /** The writes (PUT, PATCH) answered so far whose path ends with {@code suffix}, e.g. {@code "/status"}. */
    public long writes(String suffix) {
        return requests.stream().filter(r -> r.startsWith("PUT ") || r.startsWith("PATCH "))
                .map(r -> r.substring(r.indexOf(' ') + 1).split("\\?", 2)[0])
                .filter(path -> path.endsWith(suffix))
                .count();
    }

    /** Every request answered so far, in order, as {@code "METHOD path"}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many requests the server has answered. */
    public int requestCount() {
        return requests.size();
    }

    /** fabric8's CRUD dispatcher as it ships: every request scans the whole store. */
    public static KubeMock start(String namespace) {
        return new KubeMock(namespace, new KubernetesCrudDispatcher());
    }

    /**
     * The same CRUD dispatcher with a lookup by name that does not scan ({@link NameIndexedCrudDispatcher}), for
     * benchmarks with thousands of objects, where the stock scan would be what they measure.
     */
    public static KubeMock startIndexed(String namespace) {
        return start(namespace, new NameIndexedCrudDispatcher());
    }

    /** A server whose objects are kept by {@code store}. */
    public static KubeMock start(String namespace, KubernetesCrudDispatcher store) {
        return new KubeMock(namespace, store);
    }

    public KubernetesClient client() {
        return client;
    }

    /** A second client on the same server, as a separate component (API, controller, router) would have. */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    private static CustomResourceDefinition load(String name) {
        try (InputStream in = KubeMock.class.getResourceAsStream("/META-INF/fabric8/" + name)) {
            if (in == null) {
                throw new IllegalStateException("generated CRD " + name + " is not on the classpath: build vibed-kube first");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
