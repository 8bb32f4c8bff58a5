package dev.vibed.kube.agentsandbox;

/** Names agent-sandbox (kubernetes-sigs/agent-sandbox, v1beta1) defines, and the ones vibeD adds to its pods. */
public final class AgentSandbox {
    public static final String CORE_GROUP = "agents.x-k8s.io";
    public static final String EXTENSIONS_GROUP = "extensions.agents.x-k8s.io";
    public static final String VERSION = "v1beta1";

    /**
     * Set by agent-sandbox on every sandbox pod from its creation (FNV-1a of the Sandbox's name, see
     * {@link SandboxNameHash}); the Sandbox publishes it as {@code status.selector}. The per-app Service selects on it,
     * so vibeD needs no label of its own on pods (and no entry in agent-sandbox's allowed-label-domains).
     */
    public static final String SANDBOX_NAME_HASH_LABEL = "agents.x-k8s.io/sandbox-name-hash";
    /** On a Sandbox: the name of its pod when it differs from the Sandbox's own. */
    public static final String POD_NAME_ANNOTATION = "agents.x-k8s.io/pod-name";
    /**
     * On the Sandbox (not on its pod): "warm" (adopted from a pool) or "cold" (started for the claim). agent-sandbox
     * writes it in the claim controller's adoption and creation paths.
     */
    public static final String LAUNCH_TYPE_LABEL = "agents.x-k8s.io/launch-type";

    /**
     * agent-sandbox's ConfigMap and key listing the label domains a claim's additionalPodMetadata may use (default
     * only {@code sandbox.users.io}; read at its controller's start). vibeD puts no labels there.
     */
    public static final String CONFIG_MAP = "agent-sandbox-config";
    public static final String ALLOWED_LABEL_DOMAINS_KEY = "allowed-label-domains";

    /** Claim Ready=False reasons of agent-sandbox's claim controller that vibeD reacts to. */
    public static final String REASON_TEMPLATE_NOT_FOUND = "TemplateNotFound";
    public static final String REASON_WARM_POOL_NOT_FOUND = "WarmPoolNotFound";
    public static final String REASON_INVALID_METADATA = "InvalidMetadata";
    public static final String REASON_RECONCILER_ERROR = "ReconcilerError";

    /** A template's networkPolicyManagement; agent-sandbox's default, Managed, admits only its own router. */
    public static final String NETWORK_POLICY_UNMANAGED = "Unmanaged";

    /** Our labels, on the claim object itself (never on its additionalPodMetadata). */
    public static final String APP_LABEL = "vibed.dev/app";
    public static final String VERSION_LABEL = "vibed.dev/version";
    /** The claim key, on the claim: how vibeD lists its claims. */
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
