package dev.vibed.kube.agentsandbox;

/** A sandbox's spec (pod template, lifecycle): vibeD reads none of it, so it is kept untyped. */
public class SandboxSpec extends Extensible {
}
