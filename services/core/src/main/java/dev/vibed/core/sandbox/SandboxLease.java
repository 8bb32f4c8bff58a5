package dev.vibed.core.sandbox;

import dev.vibed.core.agent.AgentClient;

/**
 * A sandbox bound to a claim: how to reach its agent and where its app will listen.
 *
 * @param cold true when no warm sandbox was free and one was started for this claim (a pool miss)
 */
public record SandboxLease(String claimKey, String sandboxName, AgentClient.Endpoint agent, String appHost,
                           int appPort, boolean cold) {
}
