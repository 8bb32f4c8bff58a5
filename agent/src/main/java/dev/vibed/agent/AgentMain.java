package dev.vibed.agent;

/**
 * Entry point of {@code vibed-agent}. Prints {@code vibed-agent ready control=<port> bootId=<id>} on stdout once
 * the control port accepts connections; launchers wait for that line. Exit code 2 means a usage error (no token,
 * bad flag).
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        // The JDK's HTTP server leaves Nagle on by default: a response's headers and body then wait on the client's
        // delayed ACK, up to 40 ms per control call (inject, status) and per static file. Read once, before any
        // server exists; set here rather than as a JVM flag so that every launcher (pool, images) gets it.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String token = token();
        if (token == null || token.isBlank()) {
            System.err.println("vibed-agent: no control token: set " + UserEnv.TOKEN_VARIABLE
                    + " or pass it as the first line of standard input; refusing to start without one");
            System.exit(2);
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vibed-agent: " + e.getMessage());
            System.err.println("usage: vibed-agent --workspace DIR [--control-port N] [--app-port N] [--bind ADDR]"
                    + " [--isolation none|bwrap|auto] [--workerd PATH] [--listen-timeout-ms N] [--memory-mb N]"
                    + " [--data-mb N] [--pids-max N] [--open-files N] [--install-timeout-ms N] [--stop-grace-ms N]");
            System.exit(2);
            return;
        }
        Agent agent;
        try {
            agent = Agent.start(options, token);
        } catch (Exception e) {
            System.err.println("vibed-agent: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "vibed-agent-shutdown"));
        System.out.println("vibed-agent ready control=" + agent.controlPort() + " bootId=" + agent.bootId());
        System.out.flush();
        AgentLog.info("isolation=" + agent.isolation().wire() + " workspace=" + options.workspace());
    }

    /**
     * The token from the environment (how a pod gets it from a Secret) or else from the first line of standard
     * input (how the local launcher passes it: then it is in no file under /proc/<pid>, such as environ or cmdline).
     */
    private static String token() {
        String fromEnv = System.getenv(UserEnv.TOKEN_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
