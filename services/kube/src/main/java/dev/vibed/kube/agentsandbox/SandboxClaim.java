package dev.vibed.kube.agentsandbox;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** agent-sandbox's request for a sandbox from a warm pool ({@code extensions.agents.x-k8s.io/v1beta1}). */
@Group(AgentSandbox.EXTENSIONS_GROUP)
@Version(AgentSandbox.VERSION)
@Plural("sandboxclaims")
public class SandboxClaim extends CustomResource<SandboxClaimSpec, SandboxClaimStatus> implements Namespaced {
}
