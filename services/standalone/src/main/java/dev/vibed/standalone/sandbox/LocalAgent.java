package dev.vibed.standalone.sandbox;

import dev.vibed.core.agent.AgentClient;

import java.nio.file.Path;

/** A running local sandbox: one vibed-agent process with its own directory and ports. */
public interface LocalAgent {

    String name();

    String template();

    Path dir();

    /** The agent's process id, recorded in the sandbox dir so a later start can end orphans. */
    long pid();

    AgentClient.Endpoint endpoint();

    String appHost();

    int appPort();

    boolean alive();

    /** Stops the agent and its app (the whole process tree) and waits briefly for them to exit. */
    void destroy();
}
