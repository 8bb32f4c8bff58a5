package dev.vibed.kube.agentsandbox;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** agent-sandbox's sandbox: one pod ({@code agents.x-k8s.io/v1beta1}). vibeD only reads it. */
@Group(AgentSandbox.CORE_GROUP)
@Version(AgentSandbox.VERSION)
@Plural("sandboxes")
public class Sandbox extends CustomResource<SandboxSpec, SandboxStatus> implements Namespaced {
}
