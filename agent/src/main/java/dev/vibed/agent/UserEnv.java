package dev.vibed.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user process's environment, built from nothing: inheriting the agent's would hand the app the control
 * token and whatever else the platform runs with.
 */
final class UserEnv {
    static final String TOKEN_VARIABLE = "VIBED_AGENT_TOKEN";

    private UserEnv() {
    }

    /**
     * @param injected the inject's env; it may override the defaults but not where the app lives or listens
     * @param extra    runtime additions (PYTHONPATH of installed dependencies)
     */
    static Map<String, String> build(Map<String, String> injected, String home, int port, String host,
                                     Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LANG", "C.UTF-8");
        env.put("NODE_ENV", "production");
        env.put("PYTHONUNBUFFERED", "1");
        // npm keeps its cache and logs under HOME (the release: private to this app, gone with it); keep it quiet.
        env.put("npm_config_update_notifier", "false");
        env.put("npm_config_fund", "false");
        env.put("npm_config_audit", "false");
        env.putAll(injected);
        env.putAll(extra);
        env.put("PATH", Executables.SANDBOX_PATH);
        env.put("HOME", home);
        env.put("PORT", Integer.toString(port));
        env.put("HOST", host);
        env.remove(TOKEN_VARIABLE);
        return env;
    }

    /** Names the OS cannot carry ('=' or NUL) are refused up front, not at fork time. */
    static void validate(Map<String, String> injected) throws ApiException {
        for (var e : injected.entrySet()) {
            String k = e.getKey();
            if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0) {
                throw ApiException.badRequest("bad_request", "env name '" + k.replace("\0", "\\0")
                        + "' is not a valid environment variable");
            }
            if (k.equals(TOKEN_VARIABLE)) {
                throw ApiException.badRequest("bad_request", "env name '" + k + "' is reserved");
            }
        }
    }
}
