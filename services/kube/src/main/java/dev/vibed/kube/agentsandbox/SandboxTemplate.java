package dev.vibed.kube.agentsandbox;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A runtime template (pod template, network policy). vibeD's templates are named after the classifier's templates
 * ({@code static}, {@code node}, ...) and only checked for existence.
 */
@Group(AgentSandbox.EXTENSIONS_GROUP)
@Version(AgentSandbox.VERSION)
@Plural("sandboxtemplates")
public class SandboxTemplate extends CustomResource<SandboxTemplateSpec, Void> implements Namespaced {
}
