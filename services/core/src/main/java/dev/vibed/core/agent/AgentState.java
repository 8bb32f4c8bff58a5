package dev.vibed.core.agent;

import java.util.Locale;

/** The user process as the agent sees it. */
public enum AgentState {
    IDLE, STARTING, RUNNING, EXITED, CRASHLOOP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentState fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
