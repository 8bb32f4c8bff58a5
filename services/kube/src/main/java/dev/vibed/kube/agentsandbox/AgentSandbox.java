package dev.vibed.kube.agentsandbox;

/** Names agent-sandbox (kubernetes-sigs/agent-sandbox, v1beta1) defines, and the ones vibeD adds to its pods. */
public final class AgentSandbox {
    public static final String CORE_GROUP = "agents.x-k8s.io";
    public static final String EXTENSIONS_GROUP = "extensions.agents.x-k8s.io";
    public static final String VERSION = "v1beta1";

    /** Set by agent-sandbox on every sandbox pod; a Service may select on it. */
    public static final String SANDBOX_NAME_HASH_LABEL = "agents.x-k8s.io/sandbox-name-hash";
    /** On a Sandbox: the name of its pod when it differs from the Sandbox's own. */
    public static final String POD_NAME_ANNOTATION = "agents.x-k8s.io/pod-name";
    /** On a pod: "warm" (adopted from a pool) or "cold" (started for the claim). */
    public static final String LAUNCH_TYPE_LABEL = "agents.x-k8s.io/launch-type";

    /** Our labels, put on the claim's additionalPodMetadata so they reach the pod. */
    public static final String APP_LABEL = "vibed.dev/app";
    public static final String VERSION_LABEL = "vibed.dev/version";
    /** The claim key: what the per-app Service selects (claim-uid never reached pods in v0.5.x). */
    public static final String CLAIM_LABEL = "vibed.dev/claim";

    /**
     * Optional pod annotations naming the agent's control port and the app's port. A real pod uses the defaults
     * (9000, 8080); tests and dev setups that run several "pods" on one loopback address set them.
     */
    public static final String AGENT_PORT_ANNOTATION = "vibed.dev/agent-port";
    public static final String APP_PORT_ANNOTATION = "vibed.dev/app-port";
    public static final int DEFAULT_AGENT_PORT = 9000;
    public static final int DEFAULT_APP_PORT = 8080;

    private AgentSandbox() {
    }
}
