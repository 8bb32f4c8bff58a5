package dev.vibed.kube.agentsandbox;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** Idle, pre-booted sandboxes of one template; a claim names the pool through {@code warmPoolRef}. */
@Group(AgentSandbox.EXTENSIONS_GROUP)
@Version(AgentSandbox.VERSION)
@Plural("sandboxwarmpools")
public class SandboxWarmPool extends CustomResource<SandboxWarmPoolSpec, SandboxWarmPoolStatus> implements Namespaced {
}
