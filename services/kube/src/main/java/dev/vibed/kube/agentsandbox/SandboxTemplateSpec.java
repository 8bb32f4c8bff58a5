package dev.vibed.kube.agentsandbox;

/** The template's content is agent-sandbox's business; kept untyped. */
public class SandboxTemplateSpec extends Extensible {
}
